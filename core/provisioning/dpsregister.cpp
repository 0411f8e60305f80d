#include "dpsregister.h"

#include "util/sas.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUrl>

namespace iotc {

namespace {

constexpr int MaxPolls = 20;

DpsAnswer answerFrom(const HttpResponse& resp)
{
    DpsAnswer a;
    a.httpStatus = resp.status;
    if (resp.outcome != HttpResponse::Outcome::Ok && resp.outcome != HttpResponse::Outcome::HttpError) {
        a.transportError = centralErrorFrom(resp, QStringLiteral("DPS registration"), ErrorSource::Dps);
        return a;
    }
    const auto doc = QJsonDocument::fromJson(resp.body);
    if (!doc.isObject()) {
        a.transportError.kind = CentralError::Kind::InvalidResponse;
        a.transportError.httpStatus = resp.status;
        a.transportError.explanation = QStringLiteral("DPS answered %1 with a body that is not JSON.").arg(resp.status);
        return a;
    }
    QJsonObject o = doc.object();
    if (o.contains(QStringLiteral("errorCode")))
        a.errorCode = o.value(QStringLiteral("errorCode")).toInt();
    a.errorMessage = o.value(QStringLiteral("message")).toString(o.value(QStringLiteral("errorMessage")).toString());
    a.trackingId = o.value(QStringLiteral("trackingId")).toString();
    // An operation's answer holds the registration state under registrationState.
    const QJsonObject state = o.value(QStringLiteral("registrationState")).toObject();
    a.status = o.value(QStringLiteral("status")).toString();
    a.assignedHub
        = state.value(QStringLiteral("assignedHub")).toString(o.value(QStringLiteral("assignedHub")).toString());
    a.substatus = state.value(QStringLiteral("substatus")).toString(o.value(QStringLiteral("substatus")).toString());
    if (!state.isEmpty() && state.contains(QStringLiteral("errorCode"))) {
        a.errorCode = state.value(QStringLiteral("errorCode")).toInt();
        a.errorMessage = state.value(QStringLiteral("errorMessage")).toString();
    }
    return a;
}

} // namespace

DpsAnswer registerWithDps(const std::shared_ptr<HttpWorker>& http, const QString& dpsEndpoint, const QString& idScope,
    const QString& deviceId, const QByteArray& deviceKeyBase64, const QString& modelId, int timeoutMs,
    const NetworkSettings& network)
{
    const auto where = dpsRegistrationUrl(dpsEndpoint, idScope, deviceId);
    if (where.refused)
        return *where.refused;
    const QString& registration = where.url;
    const QString token = makeDpsToken(idScope, deviceId, deviceKeyBase64, secondsFromNow(std::chrono::hours(1)));
    QDeadlineTimer deadline(timeoutMs);

    HttpRequest put;
    put.method = "PUT";
    put.url = QUrl(registration + QStringLiteral("/register?api-version=2021-10-01"));
    put.authorization = token;
    QJsonObject body { { QStringLiteral("registrationId"), deviceId } };
    if (!modelId.isEmpty())
        body.insert(QStringLiteral("payload"), QJsonObject { { QStringLiteral("modelId"), modelId } });
    put.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    put.timeoutMs = timeoutMs;
    put.deadlineMs = timeoutMs;
    put.maxAttempts = 1; // a registration is not repeated behind the user's back
    applyNetwork(put, network);
    HttpResponse resp = http->send(put).result();
    DpsAnswer answer = answerFrom(resp);
    QString operationId = QJsonDocument::fromJson(resp.body).object().value(QStringLiteral("operationId")).toString();
    for (int poll = 0; poll < MaxPolls && answer.reached() && !answer.errorCode
         && answer.status == QLatin1String("assigning") && !operationId.isEmpty() && !deadline.hasExpired();
         ++poll) {
        const int retryAfterMs = std::clamp(QString::fromLatin1(resp.header("Retry-After")).toInt() * 1000, 500, 5000);
        QThread::msleep(static_cast<unsigned long>(std::min<qint64>(retryAfterMs, deadline.remainingTime())));
        HttpRequest get;
        get.method = "GET";
        get.url = QUrl(registration + QStringLiteral("/operations/")
            + QString::fromLatin1(QUrl::toPercentEncoding(operationId)) + QStringLiteral("?api-version=2021-10-01"));
        get.authorization = token;
        get.timeoutMs = static_cast<int>(std::max<qint64>(1000, deadline.remainingTime()));
        get.deadlineMs = get.timeoutMs;
        get.maxAttempts = 2;
        applyNetwork(get, network);
        resp = http->send(get).result();
        answer = answerFrom(resp);
    }
    return answer;
}

} // namespace iotc
