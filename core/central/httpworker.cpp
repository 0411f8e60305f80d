#include "httpworker.h"

#include "net/tlsthreadstate.h"
#include "originpolicy.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QPointer>
#include <QPromise>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QThread>

#include <QTimeZone>
#include <QTimer>
#include <mutex>

#include <set>

namespace iotc {

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& [k, v] : headers) {
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

int parseRetryAfter(const QByteArray& value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const int seconds = v.toInt(&ok);
    if (ok)
        return seconds >= 0 ? seconds : -1;
    const QDateTime when
        = QLocale::c().toDateTime(QString::fromLatin1(v), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (!when.isValid())
        return -1;
    QDateTime utc = when;
    utc.setTimeZone(QTimeZone::utc());
    return static_cast<int>(std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(utc)));
}

bool RetryPolicy::retryable(const HttpResponse& r)
{
    switch (r.outcome) {
    case HttpResponse::Outcome::Ok:
    case HttpResponse::Outcome::Cancelled:
    case HttpResponse::Outcome::Refused:
        return false;
    case HttpResponse::Outcome::NetworkError:
    case HttpResponse::Outcome::Timeout:
        return true;
    case HttpResponse::Outcome::HttpError:
        return r.status == 429 || r.status >= 500;
    }
    return false;
}

std::chrono::milliseconds RetryPolicy::delayFor(const HttpResponse& r, int attempt) const
{
    using namespace std::chrono;
    if ((r.status == 429 || r.status == 503) && r.retryAfterSeconds >= 0)
        return std::min<milliseconds>(seconds(r.retryAfterSeconds), maxRetryAfter);
    const auto exponential = baseDelay * (1LL << std::min(attempt - 1, 10));
    const auto capped = std::min<milliseconds>(exponential, maxDelay);
    // Full jitter on the upper half keeps many clients from retrying in lockstep.
    const auto jitter = milliseconds(QRandomGenerator::global()->bounded(static_cast<int>(capped.count() / 2 + 1)));
    return capped / 2 + jitter;
}

namespace {

// A pending attempt needs at least this much of the call's deadline to be worth starting.
constexpr qint64 MinAttemptMs = 500;
constexpr qint64 ReadBufferBytes = 1024 * 1024; // body bytes Qt may hold before the worker takes them

struct Call {
    HttpRequest request;
    QPromise<HttpResponse> promise;
    QDeadlineTimer deadline { QDeadlineTimer::Forever };
    int attempt = 0;
    bool done = false;
    // Why this attempt's reply was aborted by the worker, if it was.
    enum class Stop { None, Timeout, TooLarge } stop = Stop::None;
    int attemptMs = 0;
    bool slotTaken = false; // this attempt waited for its pacer's slot
    // The answer as it arrives, in Qt's own chunks (no copying): its size is known before it is
    // all in memory, and a fast server is not outrun by ever larger reallocations.
    QList<QByteArray> chunks;
    qint64 received = 0;

    void take(QByteArray chunk)
    {
        received += chunk.size();
        if (!chunk.isEmpty())
            chunks.append(std::move(chunk));
    }
    QByteArray takeBody()
    {
        QByteArray body = chunks.size() == 1 ? chunks.front() : chunks.join();
        chunks.clear();
        received = 0;
        return body;
    }
    QPointer<QNetworkReply> reply;

    ~Call()
    {
        // Dropped unstarted (the worker went away first): the waiter gets an answer, not a
        // future without a result.
        if (!done) {
            HttpResponse r;
            r.outcome = HttpResponse::Outcome::Cancelled;
            r.attempts = attempt;
            promise.addResult(std::move(r));
            promise.finish();
        }
    }
};

QString mebibytes(qint64 bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0), 'f', bytes % (1024 * 1024) == 0 ? 0 : 1) + QStringLiteral(" MiB");
}

} // namespace

// Everything that touches the network, on the HTTP thread. Its callbacks capture it, never the
// HttpWorker, which may be gone while they are still queued.
class HttpEngine : public QObject {
public:
    explicit HttpEngine(RetryPolicy policy)
        : m_policy(policy)
    {
    }

    void init() { m_network = new QNetworkAccessManager(this); }
    void start(const std::shared_ptr<Call>& call);
    // Every pending call resolves as Cancelled; replies are aborted without running their handlers.
    void shutdown();

private:
    void onFinished(const std::shared_ptr<Call>& call, QNetworkReply* reply);
    void finish(std::shared_ptr<Call> call, HttpResponse response);
    void refuse(const std::shared_ptr<Call>& call, const QString& why);

    RetryPolicy m_policy;
    QNetworkAccessManager* m_network = nullptr;
    std::set<std::shared_ptr<Call>> m_pending; // started and not finished: in flight or waiting to retry
    bool m_closed = false;
};

void HttpEngine::start(const std::shared_ptr<Call>& call)
{
    if (m_closed || call->done)
        return;
    m_pending.insert(call);
    if (call->promise.isCanceled()) {
        HttpResponse r;
        r.outcome = HttpResponse::Outcome::Cancelled;
        r.attempts = call->attempt;
        finish(call, r);
        return;
    }
    const HttpRequest& req = call->request;
    if (!req.authorization.isEmpty()) {
        // The last line of defence: whatever built this URL, credentials go only where they may.
        if (const QString problem = credentialUrlProblem(req.url); !problem.isEmpty()) {
            refuse(call, QStringLiteral("credentials not sent: the URL ") + problem);
            return;
        }
    }
    if (req.pacer && !call->slotTaken) {
        const qint64 left = call->deadline.remainingTime(); // -1: no deadline
        const auto wait = req.pacer->reserve(left < 0
                ? std::nullopt
                : std::optional(std::chrono::milliseconds(std::max<qint64>(0, left - MinAttemptMs))));
        if (!wait) {
            // The rate's next free slot leaves no time for an attempt: ended now, nothing sent.
            HttpResponse r;
            r.outcome = HttpResponse::Outcome::Timeout;
            r.attempts = call->attempt;
            r.pacedPastDeadline = true;
            r.networkError
                = QStringLiteral("not sent: the request rate (%1 a second) has no free slot before the call's deadline")
                      .arg(req.pacer->requestsPerSecond());
            finish(call, r);
            return;
        }
        call->slotTaken = true;
        if (wait->count() > 0) {
            QTimer::singleShot(*wait, Qt::PreciseTimer, this, [this, call] { start(call); });
            return;
        }
    }
    call->slotTaken = false;
    const qint64 left = call->deadline.remainingTime(); // -1: no deadline
    call->attemptMs = left < 0 ? req.timeoutMs : static_cast<int>(std::min<qint64>(req.timeoutMs, left));
    if (call->attemptMs <= 0) {
        HttpResponse r;
        r.outcome = HttpResponse::Outcome::Timeout;
        r.attempts = call->attempt;
        r.networkError = QStringLiteral("no time left before the deadline");
        finish(call, r);
        return;
    }
    ++call->attempt;
    call->stop = Call::Stop::None;
    call->chunks.clear();
    call->received = 0;
    QNetworkRequest nr(req.url);
    // (The manager's proxy applies to the requests it sends from now on; one setting per process.)
    m_network->setProxy(req.proxy.value_or(QNetworkProxy(QNetworkProxy::DefaultProxy)));
    if (!req.extraCaCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(trustAnchors(req.extraCaCertificates));
        nr.setSslConfiguration(tls);
    }
    nr.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    nr.setMaximumRedirectsAllowed(5);
    if (!req.authorization.isEmpty())
        nr.setRawHeader("Authorization", req.authorization.toUtf8());
    if (!req.body.isEmpty())
        nr.setHeader(QNetworkRequest::ContentTypeHeader, req.contentType);
    nr.setRawHeader("Accept", "application/json");
    QNetworkReply* reply = m_network->sendCustomRequest(nr, req.method, req.body);
    call->reply = reply;
    // Flow control: Qt's HTTP thread stops reading once this much body waits to be taken. Without
    // it, a server that sends as fast as it is read (an endless body) keeps that thread in its read
    // loop, where it never sees the abort: it goes on reading, and destroying the network manager
    // then blocks for Qt's 5 s (AnEndlessBodyIsCutAtTheCap: 5 s to let the worker go, now ~30 ms).
    reply->setReadBufferSize(ReadBufferBytes);
    // abort() finishes the reply at once (finished runs inside it); the reason is noted first.
    auto stop = [call, reply](Call::Stop why) {
        if (call->stop == Call::Stop::None)
            call->stop = why;
        reply->abort();
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, [call, reply, stop] {
        bool known = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&known);
        if (known && length > call->request.maxBodyBytes)
            stop(Call::Stop::TooLarge);
    });
    connect(reply, &QNetworkReply::readyRead, this, [call, reply, stop] {
        call->take(reply->readAll());
        if (call->received > call->request.maxBodyBytes)
            stop(Call::Stop::TooLarge);
    });
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { onFinished(call, reply); });
    QTimer::singleShot(call->attemptMs, reply, [reply, stop] {
        if (!reply->isFinished())
            stop(Call::Stop::Timeout);
    });
}

void HttpEngine::onFinished(const std::shared_ptr<Call>& call, QNetworkReply* reply)
{
    reply->deleteLater();
    call->reply = nullptr;
    if (call->done)
        return;
    HttpResponse r;
    r.attempts = call->attempt;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // What the worker cut short is dropped unread; and an aborted reply is closed: reading it
    // would only make Qt warn "device not open".
    if (call->stop != Call::Stop::None) {
        call->chunks.clear();
    } else {
        if (reply->isOpen())
            call->take(reply->readAll());
        r.body = call->takeBody();
    }
    for (const auto& h : reply->rawHeaderPairs())
        r.headers.append(h);
    r.retryAfterSeconds = parseRetryAfter(r.header("Retry-After"));
    const HttpRequest& req = call->request;
    if (call->stop == Call::Stop::Timeout) {
        r.outcome = HttpResponse::Outcome::Timeout;
        r.networkError = QStringLiteral("no complete answer within %1 ms").arg(call->attemptMs);
    } else if (call->stop == Call::Stop::TooLarge) {
        refuse(call, QStringLiteral("the answer is larger than %1; not read further").arg(mebibytes(req.maxBodyBytes)));
        return;
    } else if (reply->error() == QNetworkReply::InsecureRedirectError) {
        const QUrl target = req.url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
        refuse(call,
            QStringLiteral("redirected to another origin (%1); not followed, so the credentials stay with %2")
                .arg(originOf(target), originOf(req.url)));
        return;
    } else if (reply->error() == QNetworkReply::TooManyRedirectsError) {
        refuse(call, QStringLiteral("too many redirects"));
        return;
    } else if (r.status >= 200 && r.status < 300) {
        r.outcome = HttpResponse::Outcome::Ok;
    } else if (r.status > 0) {
        r.outcome = HttpResponse::Outcome::HttpError;
    } else {
        r.outcome = HttpResponse::Outcome::NetworkError;
        r.networkError = reply->errorString();
        const bool viaProxy = req.proxy
            && (req.proxy->type() == QNetworkProxy::HttpProxy || req.proxy->type() == QNetworkProxy::Socks5Proxy);
        // (Through a proxy, what cannot be reached or named is the proxy: Qt says "refused".)
        if (viaProxy
            && (reply->error() == QNetworkReply::ConnectionRefusedError
                || reply->error() == QNetworkReply::HostNotFoundError))
            r.unreachable = HttpResponse::Unreachable::Proxy;
        else if (reply->error() == QNetworkReply::HostNotFoundError)
            r.unreachable = HttpResponse::Unreachable::HostNotFound;
        else if (reply->error() == QNetworkReply::ConnectionRefusedError)
            r.unreachable = HttpResponse::Unreachable::Refused;
        else if (reply->error() >= QNetworkReply::ProxyConnectionRefusedError
            && reply->error() <= QNetworkReply::UnknownProxyError)
            r.unreachable = HttpResponse::Unreachable::Proxy;
    }
    const int maxAttempts = r.unreachable == HttpResponse::Unreachable::No
        ? req.maxAttempts
        : std::min(req.maxAttempts, std::max(1, m_policy.maxUnreachableAttempts));
    if (RetryPolicy::retryable(r) && call->attempt < maxAttempts && !call->promise.isCanceled()) {
        using namespace std::chrono;
        const qint64 left = call->deadline.remainingTime();
        if ((r.status == 429 || r.status == 503) && r.retryAfterSeconds >= 0) {
            const milliseconds asked = seconds(r.retryAfterSeconds);
            if (asked > m_policy.maxRetryAfter || (left >= 0 && asked.count() >= left)) {
                r.retryAfterTooLong = true; // waiting would only run into the deadline
                finish(call, std::move(r));
                return;
            }
        }
        const auto delay = m_policy.delayFor(r, call->attempt);
        if (left < 0 || delay.count() + MinAttemptMs < left) {
            QTimer::singleShot(delay, this, [this, call] { start(call); });
            return;
        }
    }
    finish(call, std::move(r));
}

void HttpEngine::refuse(const std::shared_ptr<Call>& call, const QString& why)
{
    HttpResponse r;
    r.outcome = HttpResponse::Outcome::Refused;
    r.attempts = call->attempt;
    r.networkError = why;
    finish(call, std::move(r));
}

void HttpEngine::finish(std::shared_ptr<Call> call, HttpResponse response)
{
    if (call->done)
        return;
    call->done = true;
    m_pending.erase(call);
    call->promise.addResult(std::move(response));
    call->promise.finish();
}

void HttpEngine::shutdown()
{
    m_closed = true;
    const auto pending = std::exchange(m_pending, {});
    for (const auto& call : pending) {
        if (QNetworkReply* reply = call->reply) {
            disconnect(reply, nullptr, this, nullptr);
            reply->abort();
        }
        HttpResponse r;
        r.outcome = HttpResponse::Outcome::Cancelled;
        r.attempts = call->attempt;
        r.networkError = QStringLiteral("the HTTP worker was shut down");
        finish(call, std::move(r));
    }
}

void applyNetwork(HttpRequest& request, const NetworkSettings& network)
{
    QNetworkProxy proxy;
    QString ignored;
    if (!network.proxy.trimmed().isEmpty() && parseProxySetting(network.proxy, proxy, ignored)
        && proxy.type() != QNetworkProxy::DefaultProxy)
        request.proxy = proxy;
    request.extraCaCertificates = network.extraCaCertificates;
}

HttpWorker::HttpWorker(RetryPolicy policy)
    : m_thread(new QThread)
    , m_engine(new HttpEngine(policy))
{
    // Once per process: it takes Qt's process-wide proxy lock, which a proxy look-up on another
    // thread may hold for long.
    static std::once_flag systemProxies;
    std::call_once(systemProxies, [] { QNetworkProxyFactory::setUseSystemConfiguration(true); });
    m_thread->setObjectName(QStringLiteral("iotc-http"));
    m_engine->moveToThread(m_thread);
    releaseTlsStateWhenFinished(m_thread);
    m_thread->start();
    // Queued, not blocking: the caller (often the GUI thread) never waits for the new thread's loop;
    // requests are queued to the same object after it, so init() still runs first.
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine] { engine->init(); }, Qt::QueuedConnection);
}

HttpWorker::~HttpWorker()
{
    // The engine is deleted by its thread as the thread finishes (deleteLater with the loop
    // stopping), never from inside one of its own callbacks.
    if (QThread::currentThread() == m_thread) {
        // The last owner let go from a callback on the HTTP thread itself (a device listing that
        // outlived its client): the engine's code may be below on this stack, so the shutdown
        // runs on a later turn of the loop, and the thread winds itself down after it.
        QMetaObject::invokeMethod(
            m_engine,
            [engine = m_engine, thread = m_thread] {
                engine->shutdown();
                engine->deleteLater();
                thread->quit();
            },
            Qt::QueuedConnection);
        QObject::connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
        return;
    }
    QMetaObject::invokeMethod(
        m_engine,
        [engine = m_engine] {
            engine->shutdown();
            engine->deleteLater();
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QFuture<HttpResponse> HttpWorker::send(HttpRequest request)
{
    auto call = std::make_shared<Call>();
    call->request = std::move(request);
    if (call->request.deadlineMs > 0)
        call->deadline = QDeadlineTimer(call->request.deadlineMs);
    call->promise.start();
    QFuture<HttpResponse> future = call->promise.future();
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, call] { engine->start(call); }, Qt::QueuedConnection);
    return future;
}

} // namespace iotc
