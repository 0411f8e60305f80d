#pragma once

#include "central/requestpacer.h"
#include "net/networksettings.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace iotc {

// Where the application is and how to authenticate. The authorization is a secret: it is only
// ever put in an Authorization header, and redacted() is what may be shown.
struct ConnectionProfile {
    QString baseUrl; // https://{app}.{dnsSuffix} or a full base (sovereign clouds, the simulator)
    QString authorization; // "SharedAccessSignature sr=..." or "Bearer eyJ..."
    QString dpsEndpoint = QStringLiteral("https://global.azure-devices-provisioning.net");
    QString apiVersion = QStringLiteral("2022-07-31");
    int timeoutMs = 30000; // one attempt of a request, start to last byte
    // One call, its retries and waits included (0: only timeoutMs per attempt). The command line's
    // --timeout sets both, so a command never waits past it, not even for a Retry-After.
    int deadlineMs = 0;
    NetworkSettings network; // the proxy and extra CAs for REST and DPS, the event stream's transport
    // The REST calls of every client made from copies of this profile share it (null: unpaced).
    std::shared_ptr<RequestPacer> pacer;

    static ConnectionProfile forApp(
        const QString& subdomain, const QString& dnsSuffix = QStringLiteral("azureiotcentral.com"));
    static ConnectionProfile forBaseUrl(const QString& url);

    // API token pasted as-is, a bearer token with or without "Bearer ".
    void setToken(const QString& token);
    QString redactedAuthorization() const;
    QUrl apiUrl(const QString& path) const; // {base}/api{path}?api-version=...
};

// Runs `az account get-access-token --resource https://apps.azureiotcentral.com` and returns
// "Bearer <token>", or an explanation in error (az missing, not logged in, ...). Blocking: call it
// off the GUI thread. program is "az" unless a test points it elsewhere.
QString bearerTokenFromAzureCli(QString& error, int timeoutMs = 60000, const QString& program = QStringLiteral("az"));

} // namespace iotc
