#pragma once

#include "central/requestpacer.h"
#include "net/networksettings.h"

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

class QThread;

namespace iotc {

// What one answer may weigh: more is a broken or hostile server, abandoned as soon as it shows.
inline constexpr qint64 DefaultMaxBodyBytes = qint64(64) * 1024 * 1024;

struct HttpRequest {
    QByteArray method = "GET";
    QUrl url;
    QString authorization; // the whole Authorization header value; never logged
    QByteArray body;
    QByteArray contentType = "application/json";
    // One attempt, from sending to the last byte: a server dripping a byte at a time cannot
    // stretch it (a transfer timeout would restart on every byte).
    int timeoutMs = 30000;
    // The whole call, retries and waits included; 0 = only each attempt's own bound. No attempt
    // and no wait (not even one a Retry-After asks for) goes past it.
    int deadlineMs = 0;
    qint64 maxBodyBytes = DefaultMaxBodyBytes;
    int maxAttempts = 4; // 1 = no retries
    // The proxy to go through (unset: the system's) and trust anchors besides the system's.
    std::optional<QNetworkProxy> proxy;
    QList<QSslCertificate> extraCaCertificates;
    // Shared with the requests that count against the same rate (null: not paced); each attempt
    // waits for its slot, within the deadline.
    std::shared_ptr<RequestPacer> pacer;
};

// The user's network setting on a request: an explicit proxy (--proxy) and the extra CAs.
void applyNetwork(HttpRequest& request, const NetworkSettings& network);

struct HttpResponse {
    // Refused: the worker stopped by itself and does not retry (a redirect to another origin, an
    // answer over maxBodyBytes, credentials for a URL they must not go to); networkError says which.
    enum class Outcome { Ok, HttpError, NetworkError, Timeout, Cancelled, Refused };
    Outcome outcome = Outcome::NetworkError;
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError; // Qt's text for network failures, or why the worker refused
    // No connection could be made at all: the host name does not resolve, or nothing listens at
    // the address. Such a failure is retried at most once (RetryPolicy::maxUnreachableAttempts).
    // Proxy: the proxy itself could not be reached, would not tunnel, or wants credentials.
    enum class Unreachable { No, HostNotFound, Refused, Proxy };
    Unreachable unreachable = Unreachable::No;
    int attempts = 0;
    int retryAfterSeconds = -1; // from the last response, when it had one
    // The server asked to retry later than the call may wait (its deadline, or maxRetryAfter):
    // the call ended at once instead of waiting for nothing.
    bool retryAfterTooLong = false;
    // The request pacer had no slot before the deadline: nothing was sent (networkError says so).
    bool pacedPastDeadline = false;

    bool ok() const { return outcome == Outcome::Ok; }
    QByteArray header(const QByteArray& name) const;
};

// How retries are spaced. 429/503 honour Retry-After (seconds or an HTTP date, capped); 5xx,
// network errors and timeouts back off exponentially with jitter; 4xx others never retry. A host
// that does not resolve or refuses the connection is tried at most maxUnreachableAttempts times:
// it rarely heals within seconds, and the user should hear so at once.
struct RetryPolicy {
    std::chrono::milliseconds baseDelay { 500 };
    std::chrono::milliseconds maxDelay { 30000 }; // backoff cap
    int maxUnreachableAttempts = 2; // the first try and one retry
    // A server asking for longer is not waited for: the call ends at once and says so.
    std::chrono::milliseconds maxRetryAfter { 120000 };
    static bool retryable(const HttpResponse& r);
    std::chrono::milliseconds delayFor(const HttpResponse& r, int attempt) const;
};

class HttpEngine;

// One QNetworkAccessManager on its own thread: requests in, responses out as futures. Nothing
// here runs on the caller's thread, so a GUI can chain .then() on its own context. TLS is
// verified by Qt's defaults and the system proxy is honoured. Redirects are followed only within
// the request's origin (scheme, host and port), so credentials never leave it.
//
// Destroying the worker with calls pending is safe from any thread, the HTTP thread included
// (a continuation releasing the last owner): those calls resolve as Cancelled.
class HttpWorker : public QObject {
    Q_OBJECT
public:
    explicit HttpWorker(RetryPolicy policy = {});
    ~HttpWorker() override;

    QFuture<HttpResponse> send(HttpRequest request);

private:
    QThread* m_thread;
    HttpEngine* m_engine; // lives in m_thread and owns the network manager and every pending call
};

// Parses Retry-After: delta-seconds or an HTTP date; -1 when absent or unreadable.
int parseRetryAfter(const QByteArray& value);

} // namespace iotc
