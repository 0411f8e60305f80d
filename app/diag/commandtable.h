#pragma once

#include "arguments.h"

#include <set>
#include <string>
#include <vector>

namespace iotc::cli {

// One option of a command: its name (without --), the word shown for its value (empty for a
// flag) and one line of help. A hidden option is accepted (other modes of the same code read
// it) but not listed in the help.
struct OptionSpec {
    const char* name;
    const char* value; // "FILE", "json|text"; nullptr or "" for a flag
    const char* help;
    bool hidden = false;
};

// What --timeout means for a command.
enum class TimeoutMeaning {
    None, // the command takes no --timeout
    Request, // bounds each REST request, its retries and waits included (the connection option)
    RunLength, // how long the command runs (0: until Ctrl-C); not a REST bound
};

// Whether a command reaches an application through the connection options.
enum class ConnectionUse { None, Required, Optional };

using CommandFunction = int (*)(const std::vector<std::string>& words);

// What SIGINT/SIGTERM do to a command: end the process as usual, or (the commands that run until
// stopped) only ask it to stop, so that it ends with its summary or verdict (runloop.h).
enum class StopSignals { Default, EndWithSummary };

// One iotc-diag command: everything its help and its parsing need, in one place.
struct CommandSpec {
    const char* name; // "devices", "template show"
    const char* summary; // one line for the overview
    const char* synopsis; // what follows the name in the usage line
    const char* description; // a few lines for the command's help; may be empty
    std::vector<OptionSpec> values; // the command's own options that take a value
    std::vector<OptionSpec> flags; // the command's own flags (--help is always accepted)
    std::vector<OptionSpec> positionals; // name and help of each positional word
    size_t minPositionals = 0;
    size_t maxPositionals = 0; // SIZE_MAX: any number
    ConnectionUse connection = ConnectionUse::None;
    TimeoutMeaning timeout = TimeoutMeaning::None;
    const char* timeoutHelp = ""; // the command's own words on --timeout, when it has one
    CommandFunction run = nullptr;
    StopSignals stopSignals = StopSignals::Default;
};

// Another spelling of an option, az's among them: "-d" for --device-id, "--app-id" for --app.
struct OptionAlias {
    const char* spelled; // as typed: "-d", "--app-id"
    const char* name; // the option it stands for: "device-id", "app"
};
// The one alias table: every command accepts each alias whose option it has.
const std::vector<OptionAlias>& optionAliases();
// The command's aliases (spelling -> option name): those of optionAliases() whose option it takes.
AliasMap aliasesOf(const CommandSpec& spec);
// Whether the command's first positional is DEVICE_ID (which --device-id / -d may give instead).
bool takesDeviceId(const CommandSpec& spec);

// Every command, in the order the overview lists them.
const std::vector<CommandSpec>& commandTable();

// The command named by the first words (one word, or two for "template show"); nullptr if none.
// consumed says how many words the name took.
const CommandSpec* findCommand(const std::vector<std::string>& words, size_t* consumed = nullptr);
// The command with this exact name; throws std::logic_error for a name the table lacks.
const CommandSpec& commandSpec(const char* name);

// The option names parseArguments needs: the command's own, the connection options when it takes
// them, "device-id" when DEVICE_ID is its first positional, "help" and "yes" (az's --yes: a no-op).
std::set<std::string> valueOptionsOf(const CommandSpec& spec);
std::set<std::string> flagOptionsOf(const CommandSpec& spec);
// The command's words parsed with exactly the options (and aliases) the table gives it. Then
// --device-id becomes the DEVICE_ID positional (both, differing: an error; empty: an error), and
// --output jsonl becomes json where the command does not list jsonl itself (the same JSON).
Arguments parseCommandWords(const CommandSpec& spec, const std::vector<std::string>& words);

// "usage: iotc-diag NAME SYNOPSIS\n".
std::string usageLine(const CommandSpec& spec);
// The whole help of one command: usage, description, options, connection options, --timeout.
std::string commandHelp(const CommandSpec& spec);
// The overview: every command with its summary.
std::string overviewHelp();

// A usage problem: "iotc-diag NAME: problem", the usage line and where the options are listed,
// on stderr. Returns ExitUsage.
int usageError(const CommandSpec& spec, const std::string& problem);
// Checks the number of positional words against the table; false (with the problem) if it is off.
bool positionalsFit(const CommandSpec& spec, const Arguments& args, std::string& problem);

} // namespace iotc::cli
