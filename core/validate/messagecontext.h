#pragma once

#include <optional>
#include <string>

namespace iotc {

enum class PayloadKind { Telemetry, ReportedProperties };

// What the event carried besides its body. Absent optionals mean the message had no such property.
struct MessageContext {
    PayloadKind kind = PayloadKind::Telemetry;
    std::optional<std::string> contentType;
    std::optional<std::string> contentEncoding;
    std::string component; // dt-subject
    std::string module; // iothub-connection-module-id
    std::string modelId; // dt-dataschema
    std::optional<std::string> edgeRuntimeVersion; // when known, decides edge-unmodeled
};

} // namespace iotc
