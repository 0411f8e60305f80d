#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "inputfile.h"
#include "textoutput.h"

#include "diagnose/diagnoser.h"
#include "report/diagnosisreport.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>

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

} // namespace

int runDiagnose(const std::vector<std::string>& words)
{
    static const char* usage
        = "usage: iotc-diag diagnose DEVICE_ID [--listen S] [--lookback M] [--device-log FILE]\n"
          "                          [--report FILE.md|.html|.json] [--eventhub-connection-string CS|@FILE|-]\n"
          "                          [--output json|text]\n"
          "Walks the troubleshooting guide for the device and names the likely causes with what to do.\n"
          "--eventhub-connection-string @FILE reads the secret from FILE (- or @-: standard input), so it\n"
          "stays out of ps and the shell history.\n"
          "Exit 0 healthy, 1 a problem found, 2 could not run.\n";
    auto values = connectionValueOptions();
    values.insert({ "listen", "lookback", "device-log", "report", "output", "eventhub-connection-string" });
    auto flags = connectionFlagOptions();
    flags.insert("help");
    const auto args = parseArguments(words, values, flags);
    if (args.has("help")) {
        std::printf("%s%s", usage, ConnectionUsage);
        return ExitOk;
    }
    if (!args.error.empty() || args.positional.size() != 1) {
        std::fprintf(stderr, "iotc-diag diagnose: %s\n%s",
            args.error.empty() ? "give one DEVICE_ID" : args.error.c_str(), usage);
        return ExitUsage;
    }
    DiagnoseOptions options;
    options.deviceId = QString::fromStdString(args.positional[0]);
    // Every option is judged before any work: a diagnosis takes minutes.
    OptionReader reader(args);
    options.listenSeconds = static_cast<int>(reader.integer("listen", options.listenSeconds, 0, 86400));
    options.lookbackMinutes = reader.number("lookback", options.lookbackMinutes, 0, 129600, "minutes");
    const bool text = reader.choice("output", "json", { "json", "text" }) == "text";
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
    if (auto cs = args.value("eventhub-connection-string")) {
        QString error;
        const auto secret = secretArgument(*cs, &error);
        auto t = secret ? EventHubTarget::fromConnectionString(*secret, error) : std::nullopt;
        if (!t) {
            std::fprintf(
                stderr, "iotc-diag diagnose: --eventhub-connection-string: %s\n", qPrintable(printable(error)));
            return ExitUsage;
        }
        options.eventHub = *t;
    }
    Connection connection;
    if (!resolveConnection(args, "diagnose", connection, 2.0))
        return ExitUsage;
    Diagnoser diagnoser(connection.profile, options);
    const auto diagnosis = diagnoser.run([text](const QString& check, const QString& what) {
        if (text)
            std::fprintf(stderr, "[%s] %s\n", qPrintable(printable(check)), qPrintable(printable(what)));
    });
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
    // Could not run at all: the application itself was not reachable.
    if (!diagnosis.causes.empty()
        && (diagnosis.causes.front().code == QLatin1String("app-unreachable")
            || diagnosis.causes.front().code == QLatin1String("credentials-invalid")))
        return ExitUsage;
    return diagnosis.healthy() ? ExitOk : ExitProblem;
}

} // namespace iotc::cli
