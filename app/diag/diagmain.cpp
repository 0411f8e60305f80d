#include "commands.h"

#include "arguments.h"
#include "commandtable.h"
#include "connectionoptions.h"
#include "runloop.h"
#include "textoutput.h"

#include <QtGlobal>

#include <cstdio>
#include <string_view>

namespace iotc::cli {

int runVersion(const std::vector<std::string>& words)
{
    bool text = false;
    const auto setup = setUpCommand("version", words, { .check = [&](const Arguments& a) {
        OptionReader options(a);
        text = options.choice("output", "json", { "json", "text" }) == "text";
        return options.ok() ? ExitOk : options.fail("version");
    } });
    if (!setup.ready())
        return setup.exitCode;
    if (text)
        std::printf("iotc-diag %s (Qt %s)\n", IOTC_VERSION, qVersion());
    else
        std::printf("{\"iotc-diag\":\"%s\",\"qt\":\"%s\"}\n", IOTC_VERSION, qVersion());
    return ExitOk;
}

int runHelp(const std::vector<std::string>& words)
{
    size_t consumed = 0;
    const CommandSpec* spec = findCommand(words, &consumed);
    if (words.empty() || !spec || consumed != words.size()) {
        if (!words.empty()) {
            std::string name;
            for (const auto& w : words)
                name += (name.empty() ? "" : " ") + w;
            std::fprintf(
                stderr, "iotc-diag help: no command '%s'\n\n%s", printable(name).c_str(), overviewHelp().c_str());
            return ExitUsage;
        }
        writeAll(stdout, overviewHelp());
        return ExitOk;
    }
    writeAll(stdout, commandHelp(*spec));
    return ExitOk;
}

namespace {

// The commands that run until stopped end on SIGINT/SIGTERM with their summary (the table says
// which); every other command is ended by the signal as usual.
bool endsWithSummary(const std::vector<std::string>& words)
{
    const CommandSpec* spec = findCommand(words);
    return spec && spec->stopSignals == StopSignals::EndWithSummary;
}

} // namespace

int runDiag(int argc, char** argv)
{
    if (argc < 2 || !endsWithSummary(std::vector<std::string>(argv + 1, argv + argc)))
        releaseStopSignals();
    if (argc < 2) {
        std::fputs(overviewHelp().c_str(), stderr);
        return ExitUsage;
    }
    std::vector<std::string> words(argv + 1, argv + argc);
    const std::string& command = words.front();
    if (command == "--version")
        return runVersion({});
    if (command == "--help" || command == "-h")
        return runHelp({});
    size_t consumed = 0;
    const CommandSpec* spec = findCommand(words, &consumed);
    if (!spec) {
        // "device" alone, or "device frobnicate": the commands that begin with that word.
        std::string usage;
        for (const auto& c : commandTable())
            if (std::string_view(c.name).starts_with(command + " "))
                usage += usageLine(c);
        if (!usage.empty()) {
            std::fprintf(stderr, "%s", usage.c_str());
            return ExitUsage;
        }
        std::fprintf(
            stderr, "iotc-diag: unknown command '%s'\n\n%s", printable(command).c_str(), overviewHelp().c_str());
        return ExitUsage;
    }
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(consumed));
    // COMMAND --help prints the help generated from the table, for every command alike; the
    // words are read with the command's own options, so "--payload --help" stays a value.
    if (parseCommandWords(*spec, words).has("help")) {
        writeAll(stdout, commandHelp(*spec));
        return ExitOk;
    }
    return spec->run(words);
}

} // namespace iotc::cli
