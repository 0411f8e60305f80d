#pragma once

#include "arguments.h"

#include "central/connection.h"

#include <memory>
#include <set>
#include <string>

namespace iotc {
namespace sim {
class SimulatedApp;
}
} // namespace iotc

namespace iotc::cli {

// The connection options every online command takes:
//   --app SUBDOMAIN [--dns-suffix S] | --base-url URL, --token TOKEN (or IOTC_API_TOKEN) | --az,
//   --demo (start the simulated app in-process), --dps-endpoint URL, --timeout SECONDS.
struct Connection {
    ConnectionProfile profile;
    std::shared_ptr<sim::SimulatedApp> demo; // kept alive while the command runs
};

const std::set<std::string>& connectionValueOptions();
const std::set<std::string>& connectionFlagOptions();

// Builds the connection or explains on stderr why it cannot (returns false).
bool resolveConnection(const Arguments& args, const char* command, Connection& out, double demoRateHz = 0);
// True when the words name an application at all (--app, --base-url or --demo).
bool hasApplication(const Arguments& args);

extern const char* const ConnectionUsage;

} // namespace iotc::cli
