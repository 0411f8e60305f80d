#pragma once

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>

class QNetworkAccessManager;
class QThread;

namespace iotc {

struct HttpRequest {
    QByteArray method = "GET";
    QUrl url;
    QString authorization; // the whole Authorization header value; never logged
    QByteArray body;
    QByteArray contentType = "application/json";
    int timeoutMs = 30000;
    int maxAttempts = 4; // 1 = no retries
};

struct HttpResponse {
    enum class Outcome { Ok, HttpError, NetworkError, Timeout, Cancelled };
    Outcome outcome = Outcome::NetworkError;
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError; // Qt's text for network failures
    int attempts = 0;
    int retryAfterSeconds = -1; // from the last response, when it had one

    bool ok() const { return outcome == Outcome::Ok; }
    QByteArray header(const QByteArray& name) const;
};

// How retries are spaced. 429/503 honour Retry-After (seconds or an HTTP date, capped); 5xx,
// network errors and timeouts back off exponentially with jitter; 4xx others never retry.
struct RetryPolicy {
    std::chrono::milliseconds baseDelay { 500 };
    std::chrono::milliseconds maxDelay { 30000 }; // backoff cap
    std::chrono::milliseconds maxRetryAfter { 120000 }; // a server asking for longer is not waited for
    static bool retryable(const HttpResponse& r);
    std::chrono::milliseconds delayFor(const HttpResponse& r, int attempt) const;
};

// One QNetworkAccessManager on its own thread: requests in, responses out as futures. Nothing
// here runs on the caller's thread, so a GUI can chain .then() on its own context. TLS is
// verified by Qt's defaults and the system proxy is honoured.
class HttpWorker : public QObject {
    Q_OBJECT
public:
    explicit HttpWorker(RetryPolicy policy = {});
    ~HttpWorker() override;

    QFuture<HttpResponse> send(HttpRequest request);

private:
    struct Call;
    void start(std::shared_ptr<Call> call);
    void finish(std::shared_ptr<Call> call, HttpResponse response);

    RetryPolicy m_policy;
    QThread* m_thread;
    QObject* m_context; // lives in m_thread; parents the network manager
    QNetworkAccessManager* m_network = nullptr;
};

// Parses Retry-After: delta-seconds or an HTTP date; -1 when absent or unreadable.
int parseRetryAfter(const QByteArray& value);

} // namespace iotc
