#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "textoutput.h"

#include "diagnose/diagnoser.h"
#include "report/diagnosisreport.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace iotc::cli {

int runDiagnose(const std::vector<std::string>& words)
{
    static const char* usage
        = "usage: iotc-diag diagnose DEVICE_ID [--listen S] [--lookback M] [--device-log FILE]\n"
          "                          [--report FILE.md|.html|.json] [--eventhub-connection-string CS] [--output "
          "json|text]\n"
          "Walks the troubleshooting guide for the device and names the likely causes with what to do.\n"
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
    bool ok = true;
    if (auto v = args.value("listen"))
        options.listenSeconds = QString::fromStdString(*v).toInt(&ok);
    if (ok)
        if (auto v = args.value("lookback"))
            options.lookbackMinutes = QString::fromStdString(*v).toDouble(&ok);
    if (!ok || options.listenSeconds < 0 || options.lookbackMinutes < 0) {
        std::fprintf(stderr, "iotc-diag diagnose: --listen and --lookback take numbers (seconds, minutes)\n");
        return ExitUsage;
    }
    if (auto file = args.value("device-log")) {
        QFile f(QString::fromStdString(*file));
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "iotc-diag diagnose: cannot read the device log %s\n", file->c_str());
            return ExitUsage;
        }
        options.deviceLog = QString::fromUtf8(f.readAll());
    }
    if (auto cs = args.value("eventhub-connection-string")) {
        QString error;
        auto t = EventHubTarget::fromConnectionString(QString::fromStdString(*cs), error);
        if (!t) {
            std::fprintf(stderr, "iotc-diag diagnose: --eventhub-connection-string: %s\n", qPrintable(error));
            return ExitUsage;
        }
        options.eventHub = *t;
    }
    Connection connection;
    if (!resolveConnection(args, "diagnose", connection, 2.0))
        return ExitUsage;
    const bool text = args.value("output").value_or("json") == "text";
    Diagnoser diagnoser(connection.profile, options);
    const auto diagnosis = diagnoser.run([text](const QString& check, const QString& what) {
        if (text)
            std::fprintf(stderr, "[%s] %s\n", qPrintable(check), qPrintable(what));
    });
    if (auto report = args.value("report")) {
        QString error;
        if (!writeDiagnosisReport(diagnosis, QString::fromStdString(*report), error)) {
            std::fprintf(stderr, "iotc-diag diagnose: %s\n", qPrintable(error));
            return ExitUsage;
        }
    }
    if (text)
        writeAll(stdout, diagnosisToText(diagnosis).toStdString());
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
