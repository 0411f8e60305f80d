#pragma once

#include <QString>

namespace iotc {
class CentralClient;
} // namespace iotc

namespace iotc::cli {

// A device id filter that names one device (no * or ?), which can be looked up.
bool isPlainDeviceId(const QString& filter);

enum class DeviceCheck {
    Known, // the application has it
    Unknown, // it has not: said on stderr ("no device X in this application; did you mean Y?")
    Unchecked, // the lookup failed otherwise: said on stderr, and the command goes on
    Interrupted, // SIGINT/SIGTERM while asking
};

// The stream commands' check of a plain --device-id against the application, before they listen:
// a mistyped id is no device that is silent. Waits in a RunLoop (a signal ends it at once).
DeviceCheck checkDeviceId(const char* command, CentralClient& client, const QString& id);

} // namespace iotc::cli
