#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "runloop.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "knowledge/knowledgebase.h"
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

// One JSON line per poll that changed something: {"time", "changes": [...]}.
std::string changeLineJson(const QList<PropertyChange>& changes, const QDateTime& now)
{
    QJsonArray list;
    for (const auto& c : changes)
        list.append(c.toJson());
    const QJsonObject line { { QStringLiteral("time"), now.toString(Qt::ISODateWithMs) },
        { QStringLiteral("changes"), list } };
    return QJsonDocument(line).toJson(QJsonDocument::Compact).toStdString() + "\n";
}

// A property value as compact JSON, safe to print.
std::string valueText(const QJsonValue& v)
{
    const QByteArray array = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return printable(array.mid(1, array.size() - 2).toStdString());
}

std::string desiredText(const PropertyState& p)
{
    if (!p.desired)
        return "(none)";
    return valueText(*p.desired) + (p.desiredVersion ? " (v" + std::to_string(*p.desiredVersion) + ")" : "");
}

std::string syncText(const PropertyState& p)
{
    std::string out = syncStateName(p.sync);
    if (p.ackCode)
        out += " (ack " + std::to_string(*p.ackCode) + (p.ackVersion ? " v" + std::to_string(*p.ackVersion) : "")
            + (p.ackDescription.isEmpty() ? "" : " \"" + printable(p.ackDescription.toStdString()) + "\"") + ")";
    return out;
}

std::string stateText(const PropertyState& p)
{
    std::string out = "reported " + (p.hasReported ? valueText(p.reported) : std::string("(none)"));
    if (p.desired)
        out += ", desired " + desiredText(p);
    if (p.sync != SyncState::None)
        out += ", sync " + syncText(p);
    return out;
}

// What changed between two states of one property, "reported 21 -> 22, sync pending -> accepted".
std::string differenceText(const PropertyState& before, const PropertyState& after)
{
    std::vector<std::string> parts;
    const auto reported
        = [](const PropertyState& p) { return p.hasReported ? valueText(p.reported) : std::string("(none)"); };
    if (reported(before) != reported(after))
        parts.push_back("reported " + reported(before) + " -> " + reported(after));
    if (desiredText(before) != desiredText(after))
        parts.push_back("desired " + desiredText(before) + " -> " + desiredText(after));
    if (syncText(before) != syncText(after))
        parts.push_back("sync " + syncText(before) + " -> " + syncText(after));
    std::string out;
    for (const auto& part : parts)
        out += (out.empty() ? "" : ", ") + part;
    return out;
}

// One line per change for people, aligned within a poll; a rejected or stale writable property
// gets what to do on the line after.
std::string changeLinesText(const QList<PropertyChange>& changes, const QDateTime& now)
{
    static const char* kinds[] = { "added", "changed", "removed", "sync" };
    const std::string time = now.toString(Qt::ISODate).toStdString();
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> advice;
    for (const auto& c : changes) {
        const bool removed = c.kind == PropertyChange::Kind::Removed;
        const PropertyState& p = removed ? c.before : c.after;
        const std::string detail = c.kind == PropertyChange::Kind::Added ? stateText(c.after)
            : removed                                                    ? "was " + stateText(c.before)
                                                                         : differenceText(c.before, c.after);
        rows.push_back({ time, kinds[static_cast<int>(c.kind)], printable(p.key().toStdString()), detail });
        const auto issue = removed ? std::nullopt : writableSyncIssue(c.after);
        advice.push_back(issue && issue->severity == Severity::Error && issue->suggestion
                ? "    What to do: " + printable(*issue->suggestion) + "\n"
                : std::string());
    }
    const std::string aligned = alignedRows(rows);
    std::string out;
    size_t at = 0;
    for (const auto& a : advice) {
        const size_t end = aligned.find('\n', at) + 1;
        out += aligned.substr(at, end - at) + a;
        at = end;
    }
    return out;
}

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
    bool text = false;
    // --timeout is the run's length here (the table says so: it never reaches the connection).
    const auto setup = setUpCommand("monitor-properties", words, { .check = [&](const Arguments& a) {
        OptionReader options(a);
        timeout = options.number("timeout", 0, 0, 31536000, "seconds (0: until Ctrl-C)");
        interval = options.number("interval", 5, MinSeconds, 86400, "seconds");
        staleAfter = options.number("stale-after", 60, MinSeconds, 31536000, "seconds");
        text = options.choice("output", "jsonl", { "jsonl", "json", "text" }) == "text";
        return options.ok() ? ExitOk : options.fail("monitor-properties");
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const QString id = QString::fromStdString(args.positional[0]);
    auto client = std::make_shared<CentralClient>(setup.context->connection.profile);
    PropertyMonitor monitor(client, id);
    // The REST answer nests a component's properties under its name: the template says which
    // top-level names are components. Without one, that is said once the device answers (for a
    // device that is not there, the poll's own failure says more).
    const auto resolution = TemplateResolver(client).forDevice(id);
    std::string templateNote;
    if (resolution.validator)
        monitor.setComponentNames(componentNamesOf(resolution.validator.get()));
    else if (resolution.problem)
        templateNote = "iotc-diag monitor-properties: " + printable(resolution.problem->message)
            + "; component properties are shown as objects\n";
    monitor.setInterval(static_cast<int>(interval * 1000));
    monitor.setStaleAfter(static_cast<qint64>(staleAfter * 1000));
    RunLoop loop(timeout); // the deadline counts from the first poll
    int failures = 0;
    std::optional<CentralError> finalError;
    QString finalWhy;
    QObject::connect(&monitor, &PropertyMonitor::updated, &monitor,
        [&](const PropertySnapshot&, const QList<PropertyChange>& changes) {
            writeAll(stderr, templateNote);
            templateNote.clear();
            const QDateTime now = QDateTime::currentDateTimeUtc();
            writeAll(stdout, text ? changeLinesText(changes, now) : changeLineJson(changes, now));
            std::fflush(stdout);
        });
    QObject::connect(&monitor, &PropertyMonitor::pollFailed, &monitor, [&](const CentralError& e) {
        ++failures;
        if (auto why = finalPollFailure(e)) {
            // Polling again would fail the same way: stop now, not every few seconds forever.
            finalError = e;
            finalWhy = *why;
            monitor.stop();
            loop.finish();
            return;
        }
        std::fprintf(stderr, "poll failed (polling goes on): %s\n", qPrintable(printable(e.summary())));
    });
    monitor.start();
    loop.exec(); // whatever ended it (deadline, Ctrl-C, SIGTERM, a final failure), the summary follows
    monitor.stop();
    if (finalError) {
        std::fprintf(stderr, "iotc-diag monitor-properties: stopped polling %s: %s (%s)\n", qPrintable(printable(id)),
            qPrintable(finalWhy), qPrintable(printable(finalError->summary())));
        if (finalError->knowledge)
            std::fprintf(stderr, "  what to do: %s\n", finalError->knowledge->mitigation.c_str());
    }
    std::fprintf(stderr, "%d poll(s), %d failed.\n", monitor.polls(), failures);
    const bool anyAnswered = monitor.polls() > failures;
    if (finalError)
        return anyAnswered ? ExitProblem : ExitUsage;
    return anyAnswered || monitor.polls() == 0 ? ExitOk : ExitUsage;
}

} // namespace iotc::cli
