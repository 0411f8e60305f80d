#include "dpscheck.h"

#include "util/sas.h"

#include "central/originpolicy.h"
#include "knowledge/knowledgebase.h"

#include <QJsonDocument>

namespace iotc {

QJsonObject DpsAnswer::toJson() const
{
    QJsonObject o { { QStringLiteral("httpStatus"), httpStatus },
        { QStringLiteral("status"), status.isEmpty() ? QJsonValue() : QJsonValue(status) },
        { QStringLiteral("assignedHub"), assignedHub.isEmpty() ? QJsonValue() : QJsonValue(assignedHub) },
        { QStringLiteral("substatus"), substatus.isEmpty() ? QJsonValue() : QJsonValue(substatus) },
        { QStringLiteral("errorCode"), errorCode ? QJsonValue(*errorCode) : QJsonValue() },
        { QStringLiteral("errorMessage"), errorMessage.isEmpty() ? QJsonValue() : QJsonValue(errorMessage) } };
    if (!trackingId.isEmpty())
        o.insert(QStringLiteral("trackingId"), trackingId);
    return o;
}

const KnowledgeEntry* dpsKnowledge(const DpsAnswer& answer)
{
    if (!answer.reached() || (answer.httpStatus < 400 && !answer.errorCode))
        return nullptr;
    const auto& kb = KnowledgeBase::builtIn();
    if (answer.errorCode && !dpsThrottled(answer)) {
        if (const auto* e = kb.byCode(std::to_string(*answer.errorCode), "dps"))
            return e;
    }
    return answer.httpStatus >= 400 ? kb.byCode(std::to_string(answer.httpStatus), "dps") : nullptr;
}

bool dpsThrottled(const DpsAnswer& answer)
{
    return answer.reached() && answer.httpStatus == 429;
}

DpsRegistrationUrl dpsRegistrationUrl(const QString& dpsEndpoint, const QString& idScope, const QString& deviceId)
{
    QString base = dpsEndpoint;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    DpsRegistrationUrl out;
    // The request carries the device's SAS token: only to an endpoint that may have it.
    if (QString why; !isAllowedServiceUrl(base, &why)) {
        DpsAnswer refused;
        refused.transportError.kind = CentralError::Kind::InvalidResponse;
        refused.transportError.message = QStringLiteral("DPS endpoint ") + why;
        refused.transportError.explanation
            = QStringLiteral("The DPS endpoint ") + why + QStringLiteral(": the device's SAS token was not sent.");
        out.refused = refused;
        return out;
    }
    // The ID scope comes from the application's answer: encoded, it stays one path segment.
    out.url = base + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(idScope))
        + QStringLiteral("/registrations/") + QString::fromLatin1(QUrl::toPercentEncoding(deviceId));
    return out;
}

QFuture<DpsAnswer> checkDpsRegistration(const std::shared_ptr<HttpWorker>& http, const QString& dpsEndpoint,
    const QString& idScope, const QString& deviceId, const QByteArray& deviceKeyBase64, int timeoutMs,
    const NetworkSettings& network)
{
    HttpRequest r;
    r.method = "POST";
    const auto where = dpsRegistrationUrl(dpsEndpoint, idScope, deviceId);
    if (where.refused)
        return QtFuture::makeReadyFuture(*where.refused);
    r.url = QUrl(where.url + QStringLiteral("?api-version=2021-10-01"));
    r.authorization = makeDpsToken(idScope, deviceId, deviceKeyBase64, secondsFromNow(std::chrono::hours(1)));
    r.body
        = QJsonDocument(QJsonObject { { QStringLiteral("registrationId"), deviceId } }).toJson(QJsonDocument::Compact);
    r.timeoutMs = timeoutMs;
    r.deadlineMs = timeoutMs; // the lookup as a whole, its retry and any Retry-After wait included
    r.maxAttempts = 2; // a status lookup, not a registration: one retry for a transient failure
    applyNetwork(r, network);
    return http->send(r).then(QtFuture::Launch::Sync, [](const HttpResponse& resp) {
        DpsAnswer a;
        a.httpStatus = resp.status;
        if (resp.outcome != HttpResponse::Outcome::Ok && resp.outcome != HttpResponse::Outcome::HttpError) {
            a.transportError = centralErrorFrom(resp, QStringLiteral("DPS registration lookup"), ErrorSource::Dps);
            return a;
        }
        const auto doc = QJsonDocument::fromJson(resp.body);
        const QJsonObject o = doc.object();
        if (!doc.isObject()) {
            a.transportError.kind = CentralError::Kind::InvalidResponse;
            a.transportError.httpStatus = resp.status;
            a.transportError.explanation
                = QStringLiteral("DPS answered %1 with a body that is not JSON.").arg(resp.status);
            return a;
        }
        if (o.contains(QStringLiteral("errorCode")))
            a.errorCode = o.value(QStringLiteral("errorCode")).toInt();
        a.errorMessage
            = o.value(QStringLiteral("message")).toString(o.value(QStringLiteral("errorMessage")).toString());
        a.trackingId = o.value(QStringLiteral("trackingId")).toString();
        a.status = o.value(QStringLiteral("status")).toString();
        a.assignedHub = o.value(QStringLiteral("assignedHub")).toString();
        a.substatus = o.value(QStringLiteral("substatus")).toString();
        return a;
    });
}

} // namespace iotc
