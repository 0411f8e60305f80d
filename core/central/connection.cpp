#include "connection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QUrlQuery>

namespace iotc {

ConnectionProfile ConnectionProfile::forApp(const QString& subdomain, const QString& dnsSuffix)
{
    ConnectionProfile p;
    p.baseUrl = QStringLiteral("https://") + subdomain + QLatin1Char('.') + dnsSuffix;
    return p;
}

ConnectionProfile ConnectionProfile::forBaseUrl(const QString& url)
{
    ConnectionProfile p;
    p.baseUrl = url;
    while (p.baseUrl.endsWith(QLatin1Char('/')))
        p.baseUrl.chop(1);
    if (p.baseUrl.endsWith(QStringLiteral("/api")))
        p.baseUrl.chop(4);
    return p;
}

void ConnectionProfile::setToken(const QString& token)
{
    const QString t = token.trimmed();
    if (t.startsWith(QStringLiteral("SharedAccessSignature ")) || t.startsWith(QStringLiteral("Bearer ")))
        authorization = t;
    else
        authorization = QStringLiteral("Bearer ") + t;
}

QString ConnectionProfile::redactedAuthorization() const
{
    if (authorization.startsWith(QStringLiteral("SharedAccessSignature ")))
        return QStringLiteral("SharedAccessSignature sr=…&sig=<redacted>…");
    if (authorization.startsWith(QStringLiteral("Bearer ")))
        return QStringLiteral("Bearer <redacted>");
    return authorization.isEmpty() ? QStringLiteral("(none)") : QStringLiteral("<redacted>");
}

QUrl ConnectionProfile::apiUrl(const QString& path) const
{
    QUrl url(baseUrl + QStringLiteral("/api") + path);
    QUrlQuery q(url);
    q.addQueryItem(QStringLiteral("api-version"), apiVersion);
    url.setQuery(q);
    return url;
}

QString bearerTokenFromAzureCli(QString& error, int timeoutMs, const QString& program)
{
    QProcess az;
    az.start(program,
        { QStringLiteral("account"), QStringLiteral("get-access-token"), QStringLiteral("--resource"),
            QStringLiteral("https://apps.azureiotcentral.com"), QStringLiteral("--output"), QStringLiteral("json") });
    if (!az.waitForStarted(10000)) {
        error = QStringLiteral("The Azure CLI (az) is not installed or not on PATH. Install it and run 'az login', "
                               "or give an API token with --token or IOTC_API_TOKEN.");
        return {};
    }
    if (!az.waitForFinished(timeoutMs)) {
        az.kill();
        error = QStringLiteral("The Azure CLI did not answer within %1 s.").arg(timeoutMs / 1000);
        return {};
    }
    const QString stderrText = QString::fromUtf8(az.readAllStandardError()).trimmed();
    if (az.exitStatus() != QProcess::NormalExit || az.exitCode() != 0) {
        if (stderrText.contains(QStringLiteral("az login"), Qt::CaseInsensitive))
            error = QStringLiteral("The Azure CLI is not signed in: run 'az login' (in the application's tenant) and "
                                   "try again.");
        else
            error = QStringLiteral("The Azure CLI could not get a token: ") + stderrText.left(300);
        return {};
    }
    const auto json = QJsonDocument::fromJson(az.readAllStandardOutput()).object();
    const QString token = json.value(QStringLiteral("accessToken")).toString();
    if (token.isEmpty()) {
        error = QStringLiteral("The Azure CLI answered without an accessToken.");
        return {};
    }
    return QStringLiteral("Bearer ") + token;
}

} // namespace iotc
