#pragma once

#include <string>
#include <string_view>

namespace iotc {

// IoT Central models telemetry from IoT Edge module components only from runtime 1.2.4 on; with an
// older edgeAgent/edgeHub it lands in _unmodeleddata. The one place that knows the number.
inline constexpr std::string_view MinimumEdgeRuntime = "1.2.4";

// A runtime version the device reported exactly ("1.2.0", "1.4.10"): older than the minimum?
bool edgeRuntimeIsOlder(std::string_view version);

// A version read from an image tag, which may be rolling ("1.2" could be 1.2.0 or 1.2.9):
// -1 older than the minimum, +1 at or above it, 0 the tag cannot say (rolling, custom, none).
int judgeEdgeRuntimeTag(std::string_view tag);

// "IoT Edge 1.2.4 or later", for messages.
std::string edgeRuntimeRequirement();

} // namespace iotc
