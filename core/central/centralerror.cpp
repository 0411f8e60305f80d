#include "centralerror.h"

#include "knowledge/knowledgebase.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace iotc {

const char* errorKindName(CentralError::Kind kind)
{
    switch (kind) {
    case CentralError::Kind::None:
        return "none";
    case CentralError::Kind::Http:
        return "http";
    case CentralError::Kind::Network:
        return "network";
    case CentralError::Kind::Timeout:
        return "timeout";
    case CentralError::Kind::InvalidResponse:
        return "invalid-response";
    case CentralError::Kind::Cancelled:
        return "cancelled";
    case CentralError::Kind::Credentials:
        return "credentials";
    }
    return "unknown";
}

QString CentralError::summary() const
{
    QString s;
    if (httpStatus > 0)
        s += QString::number(httpStatus) + QLatin1Char(' ');
    if (!code.isEmpty())
        s += QLatin1Char('[') + code + QStringLiteral("] ");
    s += explanation.isEmpty() ? message : explanation;
    if (!requestId.isEmpty())
        s += QStringLiteral(" (request ") + requestId + QLatin1Char(')');
    return s;
}

CentralError CentralError::credentials(const QString& explanation)
{
    CentralError e;
    e.kind = Kind::Credentials;
    e.explanation = explanation;
    e.message = explanation;
    return e;
}

CentralError centralErrorFrom(const HttpResponse& r, const QString& what, ErrorSource source)
{
    CentralError e;
    e.attempts = r.attempts;
    e.retryAfterSeconds = r.retryAfterSeconds;
    const bool dps = source == ErrorSource::Dps;
    const QString where = dps ? QStringLiteral("the DPS endpoint") : QStringLiteral("the application");
    const QString tries = r.attempts > 1 ? QStringLiteral(", %1 attempts").arg(r.attempts) : QString();
    switch (r.outcome) {
    case HttpResponse::Outcome::Ok:
        return e;
    case HttpResponse::Outcome::Cancelled:
        e.kind = CentralError::Kind::Cancelled;
        e.explanation = what + QStringLiteral(" was cancelled.");
        return e;
    case HttpResponse::Outcome::Timeout:
        e.kind = CentralError::Kind::Timeout;
        e.message = r.networkError;
        if (r.pacedPastDeadline) { // (nothing went over the network: not its fault)
            e.explanation = what + QStringLiteral(" was ") + r.networkError
                + QStringLiteral(". Allow more time (--timeout) or ask for less at once.");
            return e;
        }
        e.explanation = what + QStringLiteral(" got no answer in time (") + r.networkError + tries
            + QStringLiteral("). Check the network path to ") + where + QStringLiteral(" and any proxy.");
        return e;
    case HttpResponse::Outcome::NetworkError: {
        e.kind = CentralError::Kind::Network;
        e.message = r.networkError;
        const QString lower = r.networkError.toLower();
        if (r.unreachable == HttpResponse::Unreachable::Proxy)
            e.explanation = what + QStringLiteral(" did not get through the proxy (") + r.networkError + tries
                + QStringLiteral("): check the proxy setting (--proxy, or https_proxy and no_proxy), that the proxy "
                                 "is reachable, and its credentials.");
        else if (r.unreachable == HttpResponse::Unreachable::HostNotFound
            || (lower.contains(QStringLiteral("not found")) && lower.contains(QStringLiteral("host"))))
            e.explanation = (dps ? QStringLiteral("The DPS endpoint's host name does not resolve: check the DPS "
                                                  "endpoint and DNS (")
                                 : QStringLiteral("The application's host name does not resolve: check the app's "
                                                  "subdomain and DNS suffix ("))
                + r.networkError + tries + QLatin1Char(')');
        else if (r.unreachable == HttpResponse::Unreachable::Refused || lower.contains(QStringLiteral("refused")))
            e.explanation = QStringLiteral("Nothing answers at ") + where
                + QStringLiteral("'s address (connection refused") + tries
                + QStringLiteral("): check the URL and port.");
        else if (lower.contains(QStringLiteral("ssl")) || lower.contains(QStringLiteral("certificate")))
            e.explanation = QStringLiteral("The TLS connection failed (") + r.networkError
                + QStringLiteral("): a proxy may be intercepting TLS, or the system's root certificates are outdated.");
        else
            e.explanation = what + QStringLiteral(" failed: ") + r.networkError
                + (tries.isEmpty() ? QString() : QStringLiteral(" (") + tries.mid(2) + QLatin1Char(')'));
        return e;
    }
    case HttpResponse::Outcome::Refused:
        // The worker stopped by itself (another origin, an oversized answer): nothing to retry.
        e.kind = CentralError::Kind::InvalidResponse;
        e.message = r.networkError;
        e.explanation = what + QStringLiteral(": ") + r.networkError + QLatin1Char('.');
        return e;
    case HttpResponse::Outcome::HttpError:
        break;
    }
    e.kind = CentralError::Kind::Http;
    e.httpStatus = r.status;
    const auto doc = QJsonDocument::fromJson(r.body);
    const QJsonObject body = doc.object();
    const QJsonObject error = body.value(QStringLiteral("error")).toObject();
    const QJsonObject& answer = error.isEmpty() ? body : error; // /system endpoints answer at the top level
    e.code = answer.value(QStringLiteral("code")).toVariant().toString();
    e.message = answer.value(QStringLiteral("message")).toString();
    e.requestId = answer.value(QStringLiteral("requestId")).toString();
    e.time = answer.value(QStringLiteral("time")).toString();
    if (e.code.isEmpty())
        e.code = QString::fromUtf8(r.header("x-ms-error-code"));
    if (e.message.isEmpty())
        e.message = doc.isNull() ? QString::fromUtf8(r.body.left(200)).trimmed() : QString();
    // The knowledge base holds the guide's codes, DPS's and IoT Hub's. IoT Central's REST answers
    // are explained below: a DPS entry never speaks for them (a REST 404 is not "check the ID scope").
    if (dps)
        e.knowledge = KnowledgeBase::builtIn().byCode(QString::number(r.status).toStdString(), "dps");
    const QString lowerMessage = e.message.toLower();
    if (r.retryAfterTooLong) {
        e.explanation = QStringLiteral("IoT Central asks to retry after %1 s (HTTP %2), longer than this request may "
                                       "wait: stopped without waiting. Try again later.")
                            .arg(r.retryAfterSeconds)
                            .arg(r.status);
        return e;
    }
    switch (r.status) {
    case 401:
        e.explanation = lowerMessage.contains(QStringLiteral("expired"))
            ? QStringLiteral("The credential has expired: create a new API token in IoT Central (Permissions > API "
                             "tokens), or sign in again with az login for a bearer token.")
            : QStringLiteral("The API token or bearer token was not accepted: it may be mistyped, expired (API tokens "
                             "last about a year, bearer tokens about an hour) or belong to another application.");
        break;
    case 403:
        e.explanation = e.code.startsWith(QStringLiteral("403.043.004"))
            ? QStringLiteral("The credential has no access to this application: the user is not a member of the "
                             "app, or the token was issued for another tenant (sign in to the app's home tenant).")
            : QStringLiteral("The credential is valid but its role does not allow this operation: ask an "
                             "administrator for a role with the needed permissions.");
        break;
    case 404:
        e.explanation = dps ? what + QStringLiteral(": not found at the DPS endpoint.")
                            : what
                + QStringLiteral(": not found in this application. Check the ID (IDs are case-sensitive) and that "
                                 "this is the right application.");
        break;
    case 429:
        e.explanation = QStringLiteral("IoT Central is throttling requests (about 20 per second per application, 1 "
                                       "per second for queries); retried ")
            + QString::number(r.attempts) + QStringLiteral(" time(s).");
        break;
    default:
        if (r.status >= 500)
            e.explanation = QStringLiteral("IoT Central had an internal error (") + QString::number(r.status)
                + QStringLiteral(") after ") + QString::number(r.attempts)
                + QStringLiteral(
                    " attempt(s). Retry later; if it persists, file a support ticket with the request ID.");
        else
            e.explanation = what + QStringLiteral(" was refused (") + QString::number(r.status) + QStringLiteral("): ")
                + e.message;
        break;
    }
    return e;
}

} // namespace iotc
