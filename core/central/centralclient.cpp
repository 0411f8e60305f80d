#include "centralclient.h"

#include "originpolicy.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QPromise>
#include <QSet>

#include <map>

namespace iotc {

namespace {

Result<QJsonObject> jsonResult(const HttpResponse& r, const QString& what)
{
    Result<QJsonObject> out;
    if (!r.ok()) {
        out.error = centralErrorFrom(r, what);
        return out;
    }
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(r.body, &parseError);
    if (!doc.isObject()) {
        out.error.kind = CentralError::Kind::InvalidResponse;
        out.error.httpStatus = r.status;
        out.error.message = parseError.errorString();
        out.error.explanation = what + QStringLiteral(" answered with a body that is not a JSON object (")
            + parseError.errorString() + QStringLiteral(" at offset ") + QString::number(parseError.offset)
            + QStringLiteral(").");
        return out;
    }
    out.value = doc.object();
    return out;
}

Result<Device> deviceResult(const Result<QJsonObject>& json, const QString& what)
{
    Result<Device> out;
    out.error = json.error;
    if (!json.ok())
        return out;
    out.value = Device::fromJson(*json.value);
    if (!out.value) {
        out.error.kind = CentralError::Kind::InvalidResponse;
        out.error.explanation = what + QStringLiteral(" answered with an object that is not a device (no id).");
    }
    return out;
}

// Every request of the client: credentials, the per-attempt timeout and the call's deadline.
HttpRequest requestFor(const ConnectionProfile& profile, const QByteArray& method, const QUrl& url)
{
    HttpRequest r;
    r.method = method;
    r.url = url;
    r.authorization = profile.authorization;
    r.timeoutMs = profile.timeoutMs;
    r.deadlineMs = profile.deadlineMs;
    r.pacer = profile.pacer;
    applyNetwork(r, profile.network);
    return r;
}

struct ListState {
    QPromise<Result<qint64>> promise;
    std::function<bool(const QList<Device>&)> onPage;
    qint64 count = 0;
    std::shared_ptr<HttpWorker> http;
    ConnectionProfile profile;
    QUrl first; // the origin every nextLink must keep
    // The pages asked for, as SHA-256 of their exact bytes (a link back to one of them is a loop):
    // digests, not the links, so 20,000 pages cost well under a MiB whatever the links' length.
    QSet<QByteArray> seen;
    int maxPages = CentralClient::DefaultMaxDevicePages;
};

Result<qint64> listingRefused(const QString& why)
{
    Result<qint64> refused;
    refused.error.kind = CentralError::Kind::InvalidResponse;
    refused.error.message = why;
    refused.error.explanation = why;
    return refused;
}

QByteArray linkDigest(const QUrl& url)
{
    return QCryptographicHash::hash(url.toEncoded(), QCryptographicHash::Sha256);
}

void fetchPage(std::shared_ptr<ListState> s, const QUrl& url)
{
    s->seen.insert(linkDigest(url));
    s->http->send(requestFor(s->profile, "GET", url)).then(QtFuture::Launch::Sync, [s](const HttpResponse& r) {
        auto finishWith = [&](Result<qint64> result) {
            s->promise.addResult(std::move(result));
            s->promise.finish();
        };
        const auto page = jsonResult(r, QStringLiteral("List devices"));
        if (!page.ok()) {
            Result<qint64> failed;
            failed.error = page.error;
            finishWith(failed);
            return;
        }
        QList<Device> devices;
        for (const auto& v : page.value->value(QStringLiteral("value")).toArray()) {
            if (auto d = Device::fromJson(v.toObject()))
                devices.append(*d);
        }
        s->count += devices.size();
        const bool more = s->onPage(devices) && !s->promise.isCanceled();
        const QString next = page.value->value(QStringLiteral("nextLink")).toString();
        if (more && !next.isEmpty()) {
            const QByteArray nextBytes = next.toUtf8();
            if (nextBytes.size() > CentralClient::MaxNextLinkBytes) {
                finishWith(listingRefused(
                    QStringLiteral("The device list's nextLink is %1 bytes long (at most %2 are accepted; after "
                                   "%3 page(s), %4 device(s)): not a paging link; stopped.")
                        .arg(nextBytes.size())
                        .arg(CentralClient::MaxNextLinkBytes)
                        .arg(s->seen.size())
                        .arg(s->count)));
                return;
            }
            const QUrl nextUrl = QUrl::fromEncoded(nextBytes, QUrl::StrictMode);
            if (!nextUrl.isValid() || !isSameOrigin(nextUrl, s->first) || !credentialUrlProblem(nextUrl).isEmpty()) {
                finishWith(listingRefused(QStringLiteral("The device list's nextLink points to another origin (")
                    + originOf(nextUrl) + QStringLiteral(" instead of ") + originOf(s->first)
                    + QStringLiteral("); not following it with the application's credentials.")));
                return;
            }
            if (s->seen.contains(linkDigest(nextUrl))) {
                finishWith(listingRefused(
                    QStringLiteral("The device list's nextLink leads back to a page already read (after %1 "
                                   "page(s), %2 device(s)): the server is looping; stopped.")
                        .arg(s->seen.size())
                        .arg(s->count)));
                return;
            }
            if (s->seen.size() >= s->maxPages) {
                finishWith(listingRefused(
                    QStringLiteral("The device list goes on past %1 pages (%2 device(s) so far): stopped there.")
                        .arg(s->maxPages)
                        .arg(s->count)));
                return;
            }
            fetchPage(s, nextUrl);
            return;
        }
        Result<qint64> done;
        done.value = s->count;
        finishWith(done);
    });
}

} // namespace

struct CentralClient::TemplateCache {
    QMutex mutex;
    std::map<QString, QFuture<Result<QJsonObject>>> entries;
};

CentralClient::CentralClient(ConnectionProfile profile, std::shared_ptr<HttpWorker> http)
    : m_profile(std::move(profile))
    , m_http(http ? std::move(http) : std::make_shared<HttpWorker>())
    , m_templates(std::make_shared<TemplateCache>())
{
}

HttpRequest CentralClient::request(const QByteArray& method, const QUrl& url) const
{
    return requestFor(m_profile, method, url);
}

QFuture<Result<QJsonObject>> CentralClient::getJson(const QString& apiPath, const QString& what)
{
    return m_http->send(request("GET", m_profile.apiUrl(apiPath)))
        .then(QtFuture::Launch::Sync, [what](const HttpResponse& r) { return jsonResult(r, what); });
}

QFuture<Result<Device>> CentralClient::device(const QString& id)
{
    const QString what = QStringLiteral("Get device ") + id;
    return getJson(QStringLiteral("/devices/") + QString::fromLatin1(QUrl::toPercentEncoding(id)), what)
        .then(QtFuture::Launch::Sync, [what](const Result<QJsonObject>& r) { return deviceResult(r, what); });
}

QFuture<Result<Device>> CentralClient::setDeviceEnabled(const QString& id, bool enabled)
{
    HttpRequest r = request(
        "PATCH", m_profile.apiUrl(QStringLiteral("/devices/") + QString::fromLatin1(QUrl::toPercentEncoding(id))));
    r.body = enabled ? QByteArray("{\"enabled\":true}") : QByteArray("{\"enabled\":false}");
    r.maxAttempts = 1; // not idempotent in the user's eyes: no silent retries
    const QString what = (enabled ? QStringLiteral("Unblock device ") : QStringLiteral("Block device ")) + id;
    return m_http->send(r).then(QtFuture::Launch::Sync,
        [what](const HttpResponse& resp) { return deviceResult(jsonResult(resp, what), what); });
}

QFuture<Result<QJsonObject>> CentralClient::setProperties(const QString& deviceId, const QJsonObject& values)
{
    HttpRequest r = request("PATCH",
        m_profile.apiUrl(QStringLiteral("/devices/") + QString::fromLatin1(QUrl::toPercentEncoding(deviceId))
            + QStringLiteral("/properties")));
    r.body = QJsonDocument(values).toJson(QJsonDocument::Compact);
    r.maxAttempts = 1; // an operator's change: no silent retries
    const QString what = QStringLiteral("Set properties of device ") + deviceId;
    return m_http->send(r).then(
        QtFuture::Launch::Sync, [what](const HttpResponse& resp) { return jsonResult(resp, what); });
}

QFuture<Result<QJsonObject>> CentralClient::deviceTemplate(const QString& id)
{
    QMutexLocker lock(&m_templates->mutex);
    if (auto it = m_templates->entries.find(id); it != m_templates->entries.end()) {
        // A finished failure is not kept: the next caller asks again.
        if (!it->second.isFinished() || it->second.result().ok())
            return it->second;
    }
    auto future = getJson(QStringLiteral("/deviceTemplates/") + QString::fromLatin1(QUrl::toPercentEncoding(id, ":;")),
        QStringLiteral("Get device template ") + id);
    m_templates->entries[id] = future;
    return future;
}

QFuture<Result<QJsonObject>> CentralClient::credentials(const QString& deviceId)
{
    return getJson(QStringLiteral("/devices/") + QString::fromLatin1(QUrl::toPercentEncoding(deviceId))
            + QStringLiteral("/credentials"),
        QStringLiteral("Get credentials of ") + deviceId);
}

QFuture<Result<QJsonObject>> CentralClient::properties(const QString& deviceId)
{
    return getJson(QStringLiteral("/devices/") + QString::fromLatin1(QUrl::toPercentEncoding(deviceId))
            + QStringLiteral("/properties"),
        QStringLiteral("Get properties of ") + deviceId);
}

QFuture<Result<QJsonObject>> CentralClient::eventSasTokens()
{
    HttpRequest r = request("POST", QUrl(m_profile.baseUrl + QStringLiteral("/system/iothubs/generateEventSasTokens")));
    return m_http->send(r).then(QtFuture::Launch::Sync,
        [](const HttpResponse& resp) { return jsonResult(resp, QStringLiteral("Generate event hub tokens")); });
}

QFuture<Result<QJsonObject>> CentralClient::edgeModules(const QString& deviceId)
{
    HttpRequest r = request("GET",
        QUrl(m_profile.baseUrl + QStringLiteral("/system/iotedge/devices/")
            + QString::fromLatin1(QUrl::toPercentEncoding(deviceId)) + QStringLiteral("/modules")));
    const QString what = QStringLiteral("List IoT Edge modules of ") + deviceId;
    return m_http->send(r).then(
        QtFuture::Launch::Sync, [what](const HttpResponse& resp) { return jsonResult(resp, what); });
}

QFuture<Result<qint64>> CentralClient::listDevices(std::function<bool(const QList<Device>&)> onPage, int maxPages)
{
    auto s = std::make_shared<ListState>();
    s->onPage = std::move(onPage);
    s->http = m_http;
    s->profile = m_profile;
    s->maxPages = std::max(1, maxPages);
    s->promise.start();
    auto future = s->promise.future();
    s->first = m_profile.apiUrl(QStringLiteral("/devices"));
    fetchPage(s, s->first);
    return future;
}

} // namespace iotc
