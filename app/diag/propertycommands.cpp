#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "runloop.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "monitor/templateresolver.h"
#include "properties/propertymonitor.h"
#include "properties/propertyvalidation.h"
#include "validate/issuejson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace iotc::cli {

namespace {

// The shortest --interval and --stale-after: a millisecond, the timers' resolution (less would
// round to 0 ms, a busy loop). Polling faster needs no guard of its own: a poll waits for the
// previous answer, and the HTTP worker obeys a throttling service's Retry-After within the deadline.
constexpr double MinSeconds = 0.001;

} // namespace

int runValidateProperties(const std::vector<std::string>& words)
{
    // --timeout bounds the REST requests (the table says so: the connection reads it).
    const auto setup = setUpCommand("validate-properties", words, { .check = [](const Arguments& a) {
        OptionReader options(a);
        options.choice("output", "json", { "json", "text" });
        return options.ok() ? ExitOk : options.fail("validate-properties");
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const QString id = QString::fromStdString(args.positional[0]);
    auto client = std::make_shared<CentralClient>(setup.context->connection.profile);
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
    double timeout = 0;
    double interval = 5;
    double staleAfter = 60;
    // --timeout is the run's length here (the table says so: it never reaches the connection).
    const auto setup = setUpCommand("monitor-properties", words, { .check = [&](const Arguments& a) {
        OptionReader options(a);
        timeout = options.number("timeout", 0, 0, 31536000, "seconds (0: until Ctrl-C)");
        interval = options.number("interval", 5, MinSeconds, 86400, "seconds");
        staleAfter = options.number("stale-after", 60, MinSeconds, 31536000, "seconds");
        return options.ok() ? ExitOk : options.fail("monitor-properties");
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    auto client = std::make_shared<CentralClient>(setup.context->connection.profile);
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
    RunLoop loop(timeout); // the deadline counts from the first poll
    monitor.start();
    loop.exec(); // whatever ended it (deadline, Ctrl-C, SIGTERM), the summary follows
    monitor.stop();
    std::fprintf(stderr, "%d poll(s), %d failed.\n", monitor.polls(), failures);
    return failures > 0 && failures == monitor.polls() ? ExitUsage : ExitOk;
}

} // namespace iotc::cli
