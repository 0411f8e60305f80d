#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace iotc::cli {

// Command-line words of one subcommand: --name value, --name=value, --flag, positionals.
struct Arguments {
    std::vector<std::string> positional;
    std::unordered_map<std::string, std::string> values;
    std::set<std::string> flags;
    std::string error; // set when the words do not fit the spec

    bool has(const std::string& name) const { return flags.count(name) || values.count(name); }
    std::optional<std::string> value(const std::string& name) const;
};

Arguments parseArguments(const std::vector<std::string>& words, const std::set<std::string>& valueOptions,
    const std::set<std::string>& flagOptions);

// Exit codes shared by every iotc-diag command.
enum ExitCode { ExitOk = 0, ExitProblem = 1, ExitUsage = 2 };

} // namespace iotc::cli
