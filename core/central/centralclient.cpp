#include "centralclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QPromise>

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

struct ListState {
    QPromise<Result<qint64>> promise;
    std::function<bool(const QList<Device>&)> onPage;
    qint64 count = 0;
    std::shared_ptr<HttpWorker> http;
    ConnectionProfile profile;
};

void fetchPage(std::shared_ptr<ListState> s, const QUrl& url)
{
    HttpRequest req;
    req.url = url;
    req.authorization = s->profile.authorization;
    req.timeoutMs = s->profile.timeoutMs;
    s->http->send(req).then(QtFuture::Launch::Sync, [s](const HttpResponse& r) {
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
            const QUrl nextUrl = QUrl::fromEncoded(next.toUtf8(), QUrl::StrictMode);
            const QUrl base(s->profile.baseUrl);
            if (!nextUrl.isValid() || nextUrl.host() != base.host() || nextUrl.port() != base.port()) {
                Result<qint64> refused;
                refused.error.kind = CentralError::Kind::InvalidResponse;
                refused.error.explanation = QStringLiteral("The device list's nextLink points to another host (")
                    + nextUrl.host() + QStringLiteral("); not following it with the application's credentials.");
                finishWith(refused);
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
    HttpRequest r;
    r.method = method;
    r.url = url;
    r.authorization = m_profile.authorization;
    r.timeoutMs = m_profile.timeoutMs;
    return r;
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

QFuture<Result<qint64>> CentralClient::listDevices(std::function<bool(const QList<Device>&)> onPage)
{
    auto s = std::make_shared<ListState>();
    s->onPage = std::move(onPage);
    s->http = m_http;
    s->profile = m_profile;
    s->promise.start();
    auto future = s->promise.future();
    fetchPage(s, m_profile.apiUrl(QStringLiteral("/devices")));
    return future;
}

} // namespace iotc
