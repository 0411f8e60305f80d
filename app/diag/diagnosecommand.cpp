#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "inputfile.h"
#include "runloop.h"
#include "textoutput.h"

#include "diagnose/diagnoser.h"
#include "report/diagnosisreport.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>

namespace iotc::cli {

namespace {

// Why the report cannot be written where asked, or empty: checked before the diagnosis runs,
// with the extensions writeDiagnosisReport understands.
std::string reportPathProblem(const std::string& path)
{
    const auto ends = [&](std::string_view suffix) { return path.ends_with(suffix); };
    if (!ends(".md") && !ends(".html") && !ends(".htm") && !ends(".json"))
        return path + ": the report file must end in .md, .html or .json";
    const QFileInfo info(QString::fromStdString(path));
    if (info.isDir())
        return path + " is a directory";
    const QFileInfo folder(info.absolutePath());
    if (!folder.isDir())
        return "the folder " + folder.filePath().toStdString() + " does not exist";
    return {};
}

// The command's own options into options (and text), or the exit code having said why.
int judgeOptions(const Arguments& args, DiagnoseOptions& options, bool& text)
{
    options.deviceId = QString::fromStdString(args.positional[0]);
    OptionReader reader(args);
    options.listenSeconds = static_cast<int>(reader.integer("listen", options.listenSeconds, 0, 86400));
    options.lookbackMinutes = reader.number("lookback", options.lookbackMinutes, 0, 129600, "minutes");
    text = reader.choice("output", "json", { "json", "text" }) == "text";
    if (!reader.ok())
        return reader.fail("diagnose");
    if (auto report = args.value("report")) {
        const std::string problem = reportPathProblem(*report);
        if (!problem.empty()) {
            std::fprintf(stderr, "iotc-diag diagnose: --report: %s\n", printable(problem).c_str());
            return ExitUsage;
        }
    }
    if (auto file = args.value("device-log")) {
        std::string bytes;
        std::string error;
        if (!readInputFile(*file, bytes, error, MaxLogBytes)) {
            std::fprintf(stderr, "iotc-diag diagnose: --device-log: %s\n", printable(error).c_str());
            return ExitUsage;
        }
        options.deviceLog = QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
    }
    if (!readEventHubArgument(args, "diagnose", options.eventHub))
        return ExitUsage;
    return ExitOk;
}

} // namespace

int runDiagnose(const std::vector<std::string>& words)
{
    DiagnoseOptions options;
    bool text = false;
    // Every option is judged before any work (a diagnosis takes minutes), then the connection.
    const auto setup = setUpCommand("diagnose", words,
        { .demoRateHz = 2.0, .check = [&](const Arguments& args) { return judgeOptions(args, options, text); } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    // Ctrl-C (or SIGTERM) stops the listening, and the diagnosis ends with what it saw; a second
    // one ends the process at once (runloop.h).
    options.stopListening = std::make_shared<std::atomic<bool>>(false);
    std::optional<StopForwarder> forwarder(std::in_place, options.stopListening);
    Diagnoser diagnoser(connection.profile, options);
    const auto diagnosis = diagnoser.run([text](const QString& check, const QString& what) {
        if (text)
            std::fprintf(stderr, "[%s] %s\n", qPrintable(printable(check)), qPrintable(printable(what)));
    });
    forwarder.reset();
    if (auto report = args.value("report")) {
        QString error;
        if (!writeDiagnosisReport(diagnosis, QString::fromStdString(*report), error)) {
            std::fprintf(stderr, "iotc-diag diagnose: %s\n", qPrintable(printable(error)));
            return ExitUsage;
        }
    }
    if (text)
        writeAll(stdout, printable(diagnosisToText(diagnosis).toStdString(), true));
    else
        writeAll(stdout, QJsonDocument(diagnosisToJson(diagnosis)).toJson(QJsonDocument::Indented).toStdString());
    // Could not run: the application could not be asked, or the data check could not run and
    // nothing else was found (Diagnosis::couldNotRun); otherwise a problem found, or healthy.
    if (diagnosis.couldNotRun())
        return ExitUsage;
    return diagnosis.healthy() ? ExitOk : ExitProblem;
}

} // namespace iotc::cli
