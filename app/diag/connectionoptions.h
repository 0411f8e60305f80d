#pragma once

#include "arguments.h"
#include "commandtable.h"

#include "central/connection.h"
#include "eventhub/eventhubtarget.h"
#include "net/networksettings.h"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace iotc::sim {
class SimulatedApp;
} // namespace iotc::sim

namespace iotc::cli {

// The connection options every online command takes:
//   --app SUBDOMAIN [--dns-suffix S] | --base-url URL, --token TOKEN (or IOTC_API_TOKEN) | --az,
//   --demo (start the simulated app in-process), --dps-endpoint URL, --timeout SECONDS.
struct Connection {
    ConnectionProfile profile;
    std::shared_ptr<sim::SimulatedApp> demo; // kept alive while the command runs
};

// The connection options with one line of help each; the two sets below are their names.
const std::vector<OptionSpec>& connectionOptionSpecs();
const std::set<std::string>& connectionValueOptions();
const std::set<std::string>& connectionFlagOptions();
// --transport, --amqp-port and --websocket-port: the event stream's, on the commands that read it.
const std::vector<OptionSpec>& streamNetworkOptionSpecs();
// Reads the network options present in args (the others keep their defaults); false having said
// why on stderr (a proxy's password is never repeated).
bool readNetworkSettings(const Arguments& args, const char* command, NetworkSettings& out);

// Builds the connection or explains on stderr why it cannot (returns false).
bool resolveConnection(const Arguments& args, const char* command, Connection& out, double demoRateHz = 0);
// True when the words name an application at all (--app, --base-url or --demo).
bool hasApplication(const Arguments& args);

// --eventhub-connection-string ("@FILE" or "-" keep the key out of ps and the shell history): true
// with target set when it names an event hub, true with target untouched when it is not given,
// false having said why when it is not a connection string.
bool readEventHubArgument(const Arguments& args, const char* command, std::optional<EventHubTarget>& target);

extern const char* const ConnectionUsage;

// A command ready to run: its words parsed with the options the command table gives it, its
// positionals counted, its own options judged and, when it takes one, its application resolved.
struct CommandContext {
    const CommandSpec* spec = nullptr;
    Arguments args;
    Connection connection;
    bool haveApp = false; // an application was named and resolved (connection is usable)
    // --proxy and --ca-file (every online command), --transport, --amqp-port, --websocket-port (the
    // streaming commands and diagnose); also in connection.profile once the application is resolved.
    NetworkSettings network;
};

struct CommandSetup {
    std::optional<CommandContext> context; // set when the command can go on
    int exitCode = ExitOk; // what the command returns when it cannot (help printed: ExitOk)
    bool ready() const { return context.has_value(); }
};

struct SetupOptions {
    double demoRateHz = 0; // --demo's message rate (REST-only commands need nothing to stream)
    // Judges the command's own options after parsing and before anything connects: returns
    // ExitOk to go on, or the exit code, having said why on stderr.
    std::function<int(const Arguments&)> check;
};

// The one way a command starts: parse (by the table), --help (prints the generated help, exit 0),
// usage problems (exit 2), options.check, then the connection. --timeout reaches the connection
// (as the REST bound) only where the table says it means that; elsewhere the command reads it.
// With ConnectionUse::Optional the application is resolved only when one is named.
CommandSetup setUpCommand(const char* command, const std::vector<std::string>& words, const SetupOptions& options = {});

} // namespace iotc::cli
