#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace iotc {

// Which IoT Edge runtime a gateway runs, read from its system modules ($edgeAgent, $edgeHub) as
// IoT Central lists them (GET /system/iotedge/devices/{id}/modules: each module's settings.image).
// Module component telemetry only reaches IoT Central modeled from a minimum runtime on
// (validate/edgeruntimerule.h).
struct EdgeRuntime {
    enum class Verdict { Older, Supported, Unknown };
    QString agentImage;
    QString hubImage;
    QString version; // the lower of the two image tags ("1.2.0", "1.4", "latest"); empty when untagged
    Verdict verdict = Verdict::Unknown;
    QString explanation; // in words, for findings

    // The version the validator may trust (exact enough to compare with 1.2.4), if any.
    std::optional<std::string> comparableVersion() const;
};

// nullopt when the response lists no $edgeAgent / $edgeHub (not an IoT Edge device, or no access).
std::optional<EdgeRuntime> edgeRuntimeFromModules(const QJsonObject& response);

} // namespace iotc
