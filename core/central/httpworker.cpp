#include "httpworker.h"

#include <QDateTime>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QPromise>
#include <QRandomGenerator>
#include <QThread>
#include <QTimeZone>
#include <QTimer>

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

struct HttpWorker::Call {
    HttpRequest request;
    QPromise<HttpResponse> promise;
    int attempt = 0;
};

HttpWorker::HttpWorker(RetryPolicy policy)
    : m_policy(policy)
    , m_thread(new QThread)
    , m_context(new QObject)
{
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    m_thread->setObjectName(QStringLiteral("iotc-http"));
    m_context->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(
        m_context, [this] { m_network = new QNetworkAccessManager(m_context); }, Qt::BlockingQueuedConnection);
}

HttpWorker::~HttpWorker()
{
    if (QThread::currentThread() == m_thread) {
        // The last owner let go from a callback on the HTTP thread itself (a device listing that
        // outlived its client): nothing to wait for here, the thread winds itself down.
        m_context->deleteLater(); // after the callback in progress; run when the thread finishes
        QObject::connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
        m_thread->quit();
        return;
    }
    QMetaObject::invokeMethod(
        m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QFuture<HttpResponse> HttpWorker::send(HttpRequest request)
{
    auto call = std::make_shared<Call>();
    call->request = std::move(request);
    call->promise.start();
    QFuture<HttpResponse> future = call->promise.future();
    QMetaObject::invokeMethod(
        m_context, [this, call] { start(call); }, Qt::QueuedConnection);
    return future;
}

void HttpWorker::start(std::shared_ptr<Call> call)
{
    if (call->promise.isCanceled()) {
        HttpResponse r;
        r.outcome = HttpResponse::Outcome::Cancelled;
        finish(call, r);
        return;
    }
    ++call->attempt;
    const HttpRequest& req = call->request;
    QNetworkRequest nr(req.url);
    if (!req.authorization.isEmpty())
        nr.setRawHeader("Authorization", req.authorization.toUtf8());
    if (!req.body.isEmpty())
        nr.setHeader(QNetworkRequest::ContentTypeHeader, req.contentType);
    nr.setRawHeader("Accept", "application/json");
    nr.setTransferTimeout(req.timeoutMs);
    QNetworkReply* reply = m_network->sendCustomRequest(nr, req.method, req.body);
    connect(reply, &QNetworkReply::finished, m_context, [this, call, reply] {
        reply->deleteLater();
        HttpResponse r;
        r.attempts = call->attempt;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        for (const auto& h : reply->rawHeaderPairs())
            r.headers.append(h);
        r.retryAfterSeconds = parseRetryAfter(r.header("Retry-After"));
        if (reply->error() == QNetworkReply::OperationCanceledError && r.status == 0) {
            r.outcome = HttpResponse::Outcome::Timeout; // transfer timeout (nothing else cancels here)
            r.networkError = QStringLiteral("no answer within %1 ms").arg(call->request.timeoutMs);
        } else if (r.status >= 200 && r.status < 300) {
            r.outcome = HttpResponse::Outcome::Ok;
        } else if (r.status > 0) {
            r.outcome = HttpResponse::Outcome::HttpError;
        } else {
            r.outcome = HttpResponse::Outcome::NetworkError;
            r.networkError = reply->errorString();
        }
        if (RetryPolicy::retryable(r) && call->attempt < call->request.maxAttempts && !call->promise.isCanceled()) {
            const auto delay = m_policy.delayFor(r, call->attempt);
            QTimer::singleShot(delay, m_context, [this, call] { start(call); });
            return;
        }
        finish(call, std::move(r));
    });
}

void HttpWorker::finish(std::shared_ptr<Call> call, HttpResponse response)
{
    call->promise.addResult(std::move(response));
    call->promise.finish();
}

} // namespace iotc
