#pragma once

#include "central/centralclient.h"
#include "template/capabilityindex.h"
#include "validate/issue.h"
#include "validate/payloadvalidator.h"

#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace iotc {

// Which validator judges a device's messages: its template, fetched once through the REST client
// (device -> template -> flattened index), or one fixed template for every device (offline use).
// When no template can be had, the reason is an issue to report, not a stall.
class TemplateResolver {
public:
    explicit TemplateResolver(std::shared_ptr<CentralClient> client);
    explicit TemplateResolver(std::shared_ptr<const DeviceTemplate> fixed);

    struct Resolution {
        std::shared_ptr<const PayloadValidator> validator; // null when none
        QString templateId;
        std::optional<Issue> problem; // why there is no validator
        std::optional<std::string> edgeRuntimeVersion; // an IoT Edge gateway's runtime, when its tag tells
    };
    // Blocking on the first call for a device (REST round trips); cached afterwards.
    Resolution forDevice(const QString& deviceId);
    // Looks up every device of a batch that is not known yet, side by side: one wait for all of
    // them instead of one round trip after another (an app's thousand devices at start-up).
    void prepare(const std::vector<QString>& deviceIds);

private:
    Resolution fromDevice(const QString& deviceId, const Result<Device>& device);
    Resolution templateFor(const QString& templateId);
    Resolution parsed(const QString& templateId, const Result<QJsonObject>& answer);
    static Resolution withTemplate(const QString& templateId, const Resolution& forTemplate);
    std::optional<QFuture<Result<QJsonObject>>> edgeModulesFor(const Resolution& r, const QString& deviceId);
    static void addEdgeRuntime(Resolution& r, std::optional<QFuture<Result<QJsonObject>>> modules);
    void remember(const QString& deviceId, const Resolution& r);

    std::shared_ptr<CentralClient> m_client;
    std::shared_ptr<const PayloadValidator> m_fixed;
    std::mutex m_mutex;
    QHash<QString, Resolution> m_devices; // looked up once per event: hashed, not a tree
    std::map<QString, Resolution> m_templates;
};

} // namespace iotc
