#include "commands.h"

#include "arguments.h"

#include <cstdio>
#include <cstring>

namespace iotc::cli {

namespace {

constexpr const char* Usage = "usage: iotc-diag COMMAND [OPTIONS]\n"
                              "\n"
                              "Finds out why a device's data does not show up in Azure IoT Central.\n"
                              "\n"
                              "Commands:\n"
                              "  validate   validate a payload (or a JSON Lines batch) against a device template\n"
                              "  template   print a device template's flattened capability index\n"
                              "  version    print the version\n"
                              "\n"
                              "Run 'iotc-diag COMMAND --help' for a command's options.\n";

} // namespace

int runDiag(int argc, char** argv)
{
    if (argc < 2) {
        std::fputs(Usage, stderr);
        return ExitUsage;
    }
    const std::string command = argv[1];
    std::vector<std::string> words(argv + 2, argv + argc);
    if (command == "validate")
        return runValidate(words);
    if (command == "template") {
        if (!words.empty() && words.front() == "show")
            return runTemplateShow(std::vector<std::string>(words.begin() + 1, words.end()));
        return runTemplate(words);
    }
    if (command == "devices")
        return runDevices(words);
    if (command == "device") {
        if (words.empty() || words.front() != "show") {
            std::fputs("usage: iotc-diag device show DEVICE_ID [connection options]\n", stderr);
            return ExitUsage;
        }
        return runDeviceShow(std::vector<std::string>(words.begin() + 1, words.end()));
    }
    if (command == "registration-info")
        return runRegistrationInfo(words);
    if (command == "monitor-events")
        return runMonitorEvents(words);
    if (command == "validate-messages")
        return runValidateMessages(words);
    if (command == "capture")
        return runCapture(words);
    if (command == "replay")
        return runReplay(words);
    if (command == "validate-properties")
        return runValidateProperties(words);
    if (command == "monitor-properties")
        return runMonitorProperties(words);
    if (command == "diagnose")
        return runDiagnose(words);
    if (command == "sim")
        return runSim(words);
    if (command == "explain")
        return runExplain(words);
    if (command == "scan-log")
        return runScanLog(words);
    if (command == "version" || command == "--version") {
        std::printf("iotc-diag %s\n", IOTC_VERSION);
        return ExitOk;
    }
    if (command == "help" || command == "--help" || command == "-h") {
        std::fputs(Usage, stdout);
        return ExitOk;
    }
    std::fprintf(stderr, "iotc-diag: unknown command '%s'\n\n%s", command.c_str(), Usage);
    return ExitUsage;
}

} // namespace iotc::cli
