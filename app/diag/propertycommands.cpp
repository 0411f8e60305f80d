#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "monitor/templateresolver.h"
#include "properties/propertymonitor.h"
#include "properties/propertyvalidation.h"
#include "validate/issuejson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace iotc::cli {

namespace {

// The shortest --interval and --stale-after: a millisecond, the timers' resolution (less would
// round to 0 ms, a busy loop). Polling faster needs no guard of its own: a poll waits for the
// previous answer, and the HTTP worker obeys a throttling service's Retry-After within the deadline.
constexpr double MinSeconds = 0.001;

std::atomic<bool> g_stop { false };
extern "C" void onStop(int)
{
    g_stop = true;
}

bool prepareDevice(const std::vector<std::string>& words, const char* command, const char* usage,
    const std::set<std::string>& own, Arguments& args, Connection& connection, double& timeout, int& exitCode)
{
    auto values = connectionValueOptions();
    values.insert(own.begin(), own.end());
    auto flags = connectionFlagOptions();
    flags.insert("help");
    args = parseArguments(words, values, flags);
    if (args.has("help")) {
        std::printf("%s%s", usage, ConnectionUsage);
        exitCode = ExitOk;
        return false;
    }
    if (!args.error.empty() || args.positional.size() != 1) {
        std::fprintf(stderr, "iotc-diag %s: %s\n%s", command,
            args.error.empty() ? "give one DEVICE_ID" : args.error.c_str(), usage);
        exitCode = ExitUsage;
        return false;
    }
    OptionReader options(args);
    timeout = options.number("timeout", 0, 0, 31536000, "seconds (0: until Ctrl-C)");
    options.choice("output", "json", { "json", "text" });
    options.number("interval", 5, MinSeconds, 86400, "seconds");
    options.number("stale-after", 60, MinSeconds, 31536000, "seconds");
    if (!options.ok()) {
        exitCode = options.fail(command);
        return false;
    }
    Arguments restArgs = args;
    restArgs.values.erase("timeout");
    if (!resolveConnection(restArgs, command, connection)) {
        exitCode = ExitUsage;
        return false;
    }
    return true;
}

} // namespace

int runValidateProperties(const std::vector<std::string>& words)
{
    Arguments args;
    Connection connection;
    double timeout = 0;
    int exitCode = ExitOk;
    static const char* usage = "usage: iotc-diag validate-properties DEVICE_ID [--output json|text]\n"
                               "Validates the device's reported properties against its template and checks every\n"
                               "writable property's acknowledgement. Exit 1 on errors or rejected values.\n";
    if (!prepareDevice(words, "validate-properties", usage, { "output" }, args, connection, timeout, exitCode))
        return exitCode;
    const QString id = QString::fromStdString(args.positional[0]);
    auto client = std::make_shared<CentralClient>(connection.profile);
    TemplateResolver resolver(client);
    auto resolution = resolver.forDevice(id);
    auto f = client->properties(id);
    f.waitForFinished();
    const auto r = f.result();
    if (!r.ok()) {
        std::fprintf(stderr, "iotc-diag validate-properties: %s\n", qPrintable(printable(r.error.summary())));
        return ExitUsage;
    }
    const auto snapshot = PropertySnapshot::fromRest(*r.value, componentNamesOf(resolution.validator.get()));
    const std::vector<Issue> issues = propertyIssues(snapshot, resolution.validator.get(), resolution.problem);
    QJsonArray properties;
    for (const auto& p : snapshot.properties)
        properties.append(p.toJson());
    std::string issueText;
    appendIssuesJson(issueText, issues);
    QJsonObject out { { QStringLiteral("deviceId"), id }, { QStringLiteral("template"), resolution.templateId },
        { QStringLiteral("properties"), properties },
        { QStringLiteral("issues"), QJsonDocument::fromJson(QByteArray::fromStdString(issueText)).array() } };
    if (args.value("output").value_or("json") == "text") {
        std::string text;
        for (const auto& i : issues)
            text += formatIssueText(i, isTerminal(stdout));
        text += std::to_string(snapshot.properties.size()) + " propert(ies), " + std::to_string(issues.size())
            + " issue(s)\n";
        writeAll(stdout, text);
    } else {
        writeAll(stdout, QJsonDocument(out).toJson(QJsonDocument::Indented).toStdString());
    }
    return hasErrors(issues) ? ExitProblem : ExitOk;
}

int runMonitorProperties(const std::vector<std::string>& words)
{
    Arguments args;
    Connection connection;
    double timeout = 0;
    int exitCode = ExitOk;
    static const char* usage
        = "usage: iotc-diag monitor-properties DEVICE_ID [--interval S] [--timeout S] [--stale-after S]\n"
          "Polls the device's properties and prints each change as a JSON line, with the sync\n"
          "state of writable properties (pending, accepted, rejected, stale).\n";
    if (!prepareDevice(
            words, "monitor-properties", usage, { "interval", "stale-after" }, args, connection, timeout, exitCode))
        return exitCode;
    OptionReader options(args); // judged (with the same ranges) in prepareDevice
    const double interval = options.number("interval", 5, MinSeconds, 86400);
    const double staleAfter = options.number("stale-after", 60, MinSeconds, 31536000);
    auto client = std::make_shared<CentralClient>(connection.profile);
    PropertyMonitor monitor(client, QString::fromStdString(args.positional[0]));
    // The REST answer nests a component's properties under its name: the template says which
    // top-level names are components.
    const auto resolution = TemplateResolver(client).forDevice(QString::fromStdString(args.positional[0]));
    if (resolution.validator)
        monitor.setComponentNames(componentNamesOf(resolution.validator.get()));
    else if (resolution.problem)
        std::fprintf(stderr, "iotc-diag monitor-properties: %s; component properties are shown as objects\n",
            printable(resolution.problem->message).c_str());
    monitor.setInterval(static_cast<int>(interval * 1000));
    monitor.setStaleAfter(static_cast<qint64>(staleAfter * 1000));
    int failures = 0;
    QObject::connect(&monitor, &PropertyMonitor::updated, &monitor,
        [](const PropertySnapshot&, const QList<PropertyChange>& changes) {
            QJsonArray list;
            for (const auto& c : changes)
                list.append(c.toJson());
            const QJsonObject line { { QStringLiteral("time"),
                                         QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
                { QStringLiteral("changes"), list } };
            writeAll(stdout, QJsonDocument(line).toJson(QJsonDocument::Compact).toStdString() + "\n");
            std::fflush(stdout);
        });
    QObject::connect(&monitor, &PropertyMonitor::pollFailed, &monitor, [&failures](const CentralError& e) {
        ++failures;
        std::fprintf(stderr, "poll failed: %s\n", qPrintable(printable(e.summary())));
    });
    std::signal(SIGINT, onStop);
    std::signal(SIGTERM, onStop);
    QElapsedTimer clock;
    clock.start();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        if (g_stop || (timeout > 0 && clock.elapsed() >= timeout * 1000))
            QCoreApplication::quit();
    });
    poll.start(50);
    monitor.start();
    QCoreApplication::exec();
    monitor.stop();
    std::fprintf(stderr, "%d poll(s), %d failed.\n", monitor.polls(), failures);
    return failures > 0 && failures == monitor.polls() ? ExitUsage : ExitOk;
}

} // namespace iotc::cli
