#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <atomic>
#include <memory>

class QHttpServerResponder;

namespace iotc::sim {

class SimState;

// What the HTTP side needs to know about the AMQP side to hand out event-hub tokens.
struct EventHubAccess {
    // The answer's hostname is scheme://host:port/: sb:// (plain on loopback) or amqps:// (TLS).
    QString scheme = QStringLiteral("sb");
    QString host; // 127.0.0.1 (localhost with amqps)
    quint16 port = 0;
    QByteArray hubKey; // shared access key of the "service" policy (signs as raw text)
    QString keyName = QStringLiteral("service");
    int tokenLifetimeSeconds = 3600;
};

// Faults the tests and a support engineer can turn on.
struct HttpFaults {
    std::atomic<int> throttleNext { 0 }; // answer the next N API requests with 429
    std::atomic<int> retryAfterSeconds { 1 };
    std::atomic<int> failNext { 0 }; // answer the next N API requests with 500
    std::atomic<int> delayMs { 0 }; // answer every request this late
    std::atomic<int> malformedNext { 0 }; // answer the next N requests with a broken JSON body
    std::atomic<int> clockOffsetSeconds { 0 }; // the Date header this far from the real time (a skewed clock)
};

// The simulated app's HTTP face: the IoT Central data-plane REST API (api-version 2022-07-31),
// POST /system/iothubs/generateEventSasTokens, and the DPS device registration API under
// /{idScope}/registrations/... Responses and errors in the real shapes.
class SimHttpServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    SimHttpServer(std::shared_ptr<SimState> state, QObject* parent = nullptr);

    void setEventHubAccess(const EventHubAccess& access) { m_eventHub = access; }
    // The hub DPS assigns devices to (default: {hub name}.azure-devices.net).
    void setDeviceHubHost(const QString& host) { m_deviceHubHost = host; }
    void setPageSize(int size) { m_pageSize = size; }
    HttpFaults& faults() { return m_faults; }

    QString apiToken() const { return m_apiToken; }
    // Requests served so far (tests check caching and retries with it).
    quint64 requestCount() const { return m_requestCounter.load(); }
    QString bearerToken() const { return m_bearerToken; }
    // Base URL once listening, e.g. http://127.0.0.1:41234
    QString baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QString& url) { m_baseUrl = url; }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    struct Reply {
        int status = 200;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    Reply route(const QHttpServerRequest& request);
    Reply api(const QHttpServerRequest& request, const QStringList& path);
    Reply dps(const QHttpServerRequest& request, const QStringList& path);
    Reply eventSasTokens();
    Reply edgeModules(const QString& deviceId);
    std::optional<Reply> authorize(const QHttpServerRequest& request);
    Reply error(int status, const QString& code, const QString& message);
    static Reply json(const QJsonObject& body, int status = 200);
    static Reply dpsError(int status, int errorCode, const QString& message);

    std::shared_ptr<SimState> m_state;
    EventHubAccess m_eventHub;
    QString m_deviceHubHost;
    HttpFaults m_faults;
    QString m_apiToken;
    QString m_bearerToken;
    QString m_baseUrl;
    int m_pageSize = 100;
    std::atomic<quint64> m_requestCounter { 0 };
};

} // namespace iotc::sim
