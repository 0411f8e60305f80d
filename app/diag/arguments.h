#pragma once

#include "util/numbers.h"

#include <QString>

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace iotc::cli {

// Command-line words of one subcommand: --name value, --name=value, --flag, positionals, and the
// spellings an alias table maps to option names (-d value, --app-id=value, -y).
struct Arguments {
    std::vector<std::string> positional;
    std::unordered_map<std::string, std::string> values;
    std::set<std::string> flags;
    std::string error; // set when the words do not fit the spec

    bool has(const std::string& name) const { return flags.count(name) || values.count(name); }
    std::optional<std::string> value(const std::string& name) const;
};

// Other spellings of an option, as typed ("-d", "--app-id"), to the option's name ("device-id", "app").
using AliasMap = std::map<std::string, std::string>;

// A word beginning with "--", or with "-" and a letter, is an option; "-", "-5m" and "-3" are not.
// An option not in valueOptions or flagOptions (by name or through aliases) is an error, and so is
// an option given twice with different values (--app-id a --app b).
Arguments parseArguments(const std::vector<std::string>& words, const std::set<std::string>& valueOptions,
    const std::set<std::string>& flagOptions, const AliasMap& aliases = {});

// Exit codes shared by every iotc-diag command.
enum ExitCode { ExitOk = 0, ExitProblem = 1, ExitUsage = 2 };

// Strict number parsing (core/util/numbers.h), for the commands' own words.
using iotc::parseInteger;
using iotc::parseNumber;

// "invalid value for --name: value (expected what)", the one wording every command uses.
std::string invalidValue(const std::string& name, std::string_view value, const std::string& expected);

// Reads a command's option values strictly, keeping the first problem: a value that does not fit
// stops the command (exit 2) instead of silently meaning something else (0, the default, "json").
//     OptionReader options(args);
//     const auto output = options.choice("output", "text", { "json", "text" });
//     if (!options.ok()) return options.fail("validate");
class OptionReader {
public:
    explicit OptionReader(const Arguments& args)
        : m_args(args)
    {
    }

    // An integer from min to max (inclusive); fallback when the option is absent.
    long long integer(const std::string& name, long long fallback, long long min, long long max);
    // A finite number from min to max (inclusive); unit ("seconds") goes into the message.
    double number(const std::string& name, double fallback, double min, double max, const char* unit = nullptr);
    // One of the allowed words.
    std::string choice(
        const std::string& name, const std::string& fallback, std::initializer_list<const char*> allowed);

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    // Prints "iotc-diag COMMAND: <error>" on stderr; returns ExitUsage.
    int fail(const char* command) const;

private:
    void problem(std::string text);

    const Arguments& m_args;
    std::string m_error;
};

// A secret (API token, connection string) named on the command line, where ps and the shell
// history would show it, or read from somewhere safer: "@FILE" reads FILE, "-" or "@-" reads
// standard input; a trailing newline is trimmed. Any other value is the secret itself.
// nullopt with error (naming the file, never the secret) when it cannot be read or is empty.
std::optional<QString> secretArgument(const std::string& value, QString* error);
// The secret held in FILE ("-": standard input), for --token-file.
std::optional<QString> secretFromFile(const std::string& path, QString* error);

// A secret file is small; anything larger is not one.
inline constexpr size_t MaxSecretBytes = size_t { 64 } * 1024;

} // namespace iotc::cli
