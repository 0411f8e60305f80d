#pragma once

#include "centralerror.h"
#include "connection.h"
#include "device.h"
#include "httpworker.h"

#include <QFuture>
#include <QJsonObject>

#include <functional>
#include <memory>
#include <optional>

namespace iotc {

template <class T> struct Result {
    std::optional<T> value;
    CentralError error;
    bool ok() const { return value.has_value(); }
};

// The IoT Central data-plane REST client (api-version 2022-07-31). Every call is asynchronous:
// it runs on the HttpWorker's thread and resolves a future with a value or a CentralError.
// Templates are cached, and concurrent requests for one template share a single call.
class CentralClient {
public:
    explicit CentralClient(ConnectionProfile profile, std::shared_ptr<HttpWorker> http = {});

    const ConnectionProfile& profile() const { return m_profile; }

    QFuture<Result<QJsonObject>> getJson(const QString& apiPath, const QString& what);
    QFuture<Result<Device>> device(const QString& id);
    QFuture<Result<Device>> setDeviceEnabled(const QString& id, bool enabled);
    QFuture<Result<QJsonObject>> deviceTemplate(const QString& id);
    QFuture<Result<QJsonObject>> credentials(const QString& deviceId);
    QFuture<Result<QJsonObject>> properties(const QString& deviceId);
    // PATCH /devices/{id}/properties (writable values; components as nested objects). Not retried.
    QFuture<Result<QJsonObject>> setProperties(const QString& deviceId, const QJsonObject& values);
    QFuture<Result<QJsonObject>> eventSasTokens();
    // GET /system/iotedge/devices/{id}/modules (the az CLI's endpoint): an Edge device's modules
    // with their images, from which the runtime version is read (see edgeruntime.h).
    QFuture<Result<QJsonObject>> edgeModules(const QString& deviceId);

    // Streams the device list page by page: onPage runs on the HTTP thread as each page arrives
    // (return false to stop); the future resolves with the number of devices seen. nextLink is
    // followed byte-exact and only within the application's origin (the token never leaves it);
    // a link seen before, a link longer than MaxNextLinkBytes, or more than maxPages pages ends the
    // listing with an error instead of looping.
    static constexpr int DefaultMaxDevicePages = 20000; // two million devices at 100 a page
    static constexpr int MaxNextLinkBytes = 16 * 1024; // Central's links are a few hundred bytes
    QFuture<Result<qint64>> listDevices(
        std::function<bool(const QList<Device>&)> onPage, int maxPages = DefaultMaxDevicePages);

    std::shared_ptr<HttpWorker> http() const { return m_http; }

private:
    struct TemplateCache;
    HttpRequest request(const QByteArray& method, const QUrl& url) const;

    ConnectionProfile m_profile;
    std::shared_ptr<HttpWorker> m_http;
    std::shared_ptr<TemplateCache> m_templates;
};

} // namespace iotc
