#pragma once

#include "template/capabilityindex.h"
#include "validate/issue.h"
#include "validate/payloadvalidator.h"

#include <QHash>
#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace iotc {

class CentralClient;

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

private:
    Resolution resolve(const QString& deviceId);

    std::shared_ptr<CentralClient> m_client;
    std::shared_ptr<const PayloadValidator> m_fixed;
    std::mutex m_mutex;
    QHash<QString, Resolution> m_devices; // looked up once per event: hashed, not a tree
    std::map<QString, Resolution> m_templates;
};

} // namespace iotc
