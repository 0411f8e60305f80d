#pragma once

#include "central/centralerror.h"
#include "central/httpworker.h"

#include <QFuture>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace iotc {

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

// Registration status lookup (POST {dps}/{idScope}/registrations/{id}?api-version=2021-10-01)
// with the device's own SAS token, derived from its symmetric key.
QFuture<DpsAnswer> checkDpsRegistration(const std::shared_ptr<HttpWorker>& http, const QString& dpsEndpoint,
    const QString& idScope, const QString& deviceId, const QByteArray& deviceKeyBase64, int timeoutMs = 30000);

} // namespace iotc
