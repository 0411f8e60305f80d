// iotc-diag triage: every device of the application with the one cause that explains why its data
// does not show up, ranked. The rules live in core/triage; this prints them.
#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "runloop.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "knowledge/advice.h"
#include "triage/deepdiagnosis.h"
#include "triage/triagereport.h"
#include "triage/triagerun.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

namespace iotc::cli {

namespace {

enum class Output { Json, Text, Csv };

QString isoOrEmpty(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

QJsonObject deviceJson(const TriageDevice& d, const QStringList* deepCauses)
{
    QJsonObject o { { QStringLiteral("deviceId"), d.deviceId }, { QStringLiteral("displayName"), d.displayName },
        { QStringLiteral("cause"), d.cause },
        { QStringLiteral("severity"), QLatin1String(triageSeverityName(d.severity)) },
        { QStringLiteral("evidence"), d.evidence }, { QStringLiteral("messages"), d.messages } };
    if (!d.mitigation.isEmpty())
        o.insert(QStringLiteral("mitigation"), d.mitigation);
    o.insert(QStringLiteral("lastSeen"), d.lastSeenMs > 0 ? QJsonValue(isoOrEmpty(d.lastSeenMs)) : QJsonValue());
    if (deepCauses)
        o.insert(QStringLiteral("diagnosis"), QJsonArray::fromStringList(*deepCauses));
    return o;
}

} // namespace

int runTriage(const std::vector<std::string>& words)
{
    TriageOptions options;
    Output output = Output::Json;
    bool all = false;
    int deep = 0;
    const auto setup = setUpCommand("triage", words,
        { .demoRateHz = 2.0, .check = [&](const Arguments& args) {
             OptionReader reader(args);
             options.listenSeconds = static_cast<double>(reader.integer("listen", 60, 0, 86400));
             options.lookbackMinutes = reader.number("lookback", 10, 0, 129600, "minutes");
             const std::string out = reader.choice("output", "json", { "json", "text", "csv" });
             output = out == "text" ? Output::Text : out == "csv" ? Output::Csv : Output::Json;
             const std::string status = reader.choice("status", "",
                 { "provisioned", "registered", "blocked", "blocked-or-waiting-for-approval", "unassigned" });
             deep = static_cast<int>(reader.integer("deep", 0, 0, 100));
             if (const auto tpl = args.value("template"); reader.ok() && tpl && tpl->empty())
                 return usageError(commandSpec("triage"), invalidValue("template", "", "a template id"));
             if (!reader.ok())
                 return reader.fail("triage");
             options.filter.status = statusFromName(status);
             if (const auto tpl = args.value("template"); tpl && !tpl->empty())
                 options.filter.templateId = QString::fromStdString(*tpl);
             all = args.has("all");
             if (!readEventHubArgument(args, "triage", options.eventHub))
                 return int(ExitUsage);
             return int(ExitOk);
         } });
    if (!setup.ready())
        return setup.exitCode;
    const Connection& connection = setup.context->connection;
    // Ctrl-C ends the listening window early; the triage is made of what was seen.
    options.stop = std::make_shared<std::atomic<bool>>(false);
    std::optional<StopForwarder> forwarder(std::in_place, options.stop);
    options.progress = [](const QString& what) { std::fprintf(stderr, "%s\n", qPrintable(printable(what))); };
    auto client = std::make_shared<CentralClient>(connection.profile);
    const TriageRun run = runTriage(client, options);
    if (run.couldNotRun) {
        forwarder.reset();
        std::fprintf(stderr, "iotc-diag triage: %s\n", qPrintable(printable(run.whyNot)));
        return ExitUsage;
    }
    const TriageResult& r = run.result;

    // --deep N: the full diagnosis of the N worst devices, paced within IoT Central's rate limits.
    std::map<QString, QStringList> deepCauses;
    if (deep > 0) {
        DeepDiagnosisOptions o;
        o.count = deep;
        o.listenSeconds = static_cast<int>(std::min(options.listenSeconds, 30.0));
        o.lookbackMinutes = options.lookbackMinutes;
        o.eventHub = options.eventHub;
        o.stop = options.stop;
        o.progress = options.progress;
        for (auto& d : diagnoseWorst(connection.profile, r, o))
            deepCauses[d.deviceId] = std::move(d.causes);
    }
    forwarder.reset();

    auto listed = [&](const TriageDevice& d) { return all || d.cause != QLatin1String(HealthyCause); };
    const int total = static_cast<int>(r.devices.size());
    if (output == Output::Json) {
        QJsonObject byCause;
        for (const auto& [cause, n] : r.byCause)
            byCause.insert(cause, n);
        const QJsonObject summary { { QStringLiteral("devices"), total }, { QStringLiteral("healthy"), r.healthy },
            { QStringLiteral("byCause"), byCause }, { QStringLiteral("messages"), r.messages },
            { QStringLiteral("listenSeconds"), run.listenedSeconds },
            { QStringLiteral("lookbackMinutes"), options.lookbackMinutes } };
        // Written a device at a time: 100,000 devices are never one document in memory.
        std::string out = "{\n\"summary\": " + QJsonDocument(summary).toJson(QJsonDocument::Compact).toStdString()
            + ",\n\"devices\": [";
        bool first = true;
        for (const auto& d : r.devices) {
            if (!listed(d))
                continue;
            const auto deepIt = deepCauses.find(d.deviceId);
            out += first ? "\n  " : ",\n  ";
            first = false;
            out += QJsonDocument(deviceJson(d, deepIt == deepCauses.end() ? nullptr : &deepIt->second))
                       .toJson(QJsonDocument::Compact)
                       .toStdString();
            if (out.size() > 1 << 16) {
                writeAll(stdout, out);
                out.clear();
            }
        }
        writeAll(stdout, out + "\n]\n}\n");
    } else if (output == Output::Csv) {
        const std::string out = triageToCsv(r, all).toStdString();
        writeAll(stdout, printable(out, true));
    } else {
        // The causes first (what hits most devices, what to do), then the devices.
        std::vector<std::pair<QString, int>> causes(r.byCause.begin(), r.byCause.end());
        std::stable_sort(
            causes.begin(), causes.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        std::vector<std::vector<std::string>> rows { { "CAUSE", "DEVICES", "WHAT IT MEANS" } };
        for (const auto& [cause, n] : causes)
            rows.push_back({ printable(cause.toStdString()), std::to_string(n),
                printable(triageCauseTitle(cause).toStdString()) });
        std::string out = printable(triageCountsLine(r).toStdString()) + "\n\n"
            + (causes.empty() ? std::string() : alignedRows(rows) + "\n");
        std::vector<std::vector<std::string>> deviceRows { { "DEVICE", "CAUSE", "SEVERITY", "LAST SEEN", "MSGS",
            "EVIDENCE" } };
        for (const auto& d : r.devices) {
            if (listed(d))
                deviceRows.push_back({ printable(d.deviceId.toStdString()), d.cause.toStdString(),
                    triageSeverityName(d.severity), isoOrEmpty(d.lastSeenMs).toStdString(), std::to_string(d.messages),
                    printable(d.evidence.left(120).toStdString()) });
        }
        if (deviceRows.size() > 1)
            out += alignedRows(deviceRows);
        for (const auto& [cause, n] : causes) {
            const Advice* a = adviceFor(AdviceKind::Cause, cause.toStdString());
            if (a)
                out += "\n" + cause.toStdString() + ": " + printable(a->whatToDo);
        }
        writeAll(stdout, out + (causes.empty() ? "" : "\n"));
    }
    return r.healthy == total ? ExitOk : ExitProblem;
}

} // namespace iotc::cli
