#pragma once

#include "central/centralerror.h"
#include "central/httpworker.h"

#include <QFuture>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace iotc {

struct KnowledgeEntry;

// DPS's answer for a device, as DPS gave it (never swallowed): the registration state when there
// is one, otherwise the error code and message of the failure.
struct DpsAnswer {
    int httpStatus = 0;
    QString status; // assigned, assigning, failed, disabled, unassigned; empty on errors
    QString assignedHub;
    QString substatus;
    std::optional<int> errorCode; // 401002, 400209, 404201, 429001 ...
    QString errorMessage;
    QString trackingId;
    CentralError transportError; // set when DPS could not be reached or answered nonsense

    bool reached() const { return transportError.ok(); }
    QJsonObject toJson() const;
};

// What DPS's answer means, in DPS's own words (a knowledge-base entry of kind dps): its errorCode's
// entry when DPS has one (401002, 400209, 404201), else its HTTP status's (429, 404, 500 ...). A
// code another service owns never answers for DPS: a 429 carrying errorCode 429001 is DPS
// throttling (the guide's 429), not IoT Hub's. Null for a success or a status the guide lacks.
const KnowledgeEntry* dpsKnowledge(const DpsAnswer& answer);

// True when DPS says it is throttling the device (HTTP 429, whatever errorCode the body carries).
bool dpsThrottled(const DpsAnswer& answer);

// {dps}/{idScope}/registrations/{id} (each part one encoded path segment), or the answer that
// refuses to send the device's SAS token to an endpoint that may not have it.
struct DpsRegistrationUrl {
    QString url; // without a query
    std::optional<DpsAnswer> refused;
};
DpsRegistrationUrl dpsRegistrationUrl(const QString& dpsEndpoint, const QString& idScope, const QString& deviceId);

// Registration status lookup (POST {dps}/{idScope}/registrations/{id}?api-version=2021-10-01)
// with the device's own SAS token, derived from its symmetric key.
QFuture<DpsAnswer> checkDpsRegistration(const std::shared_ptr<HttpWorker>& http, const QString& dpsEndpoint,
    const QString& idScope, const QString& deviceId, const QByteArray& deviceKeyBase64, int timeoutMs = 30000,
    const NetworkSettings& network = {});

} // namespace iotc
