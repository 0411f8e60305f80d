#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "templateloading.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "eventhub/eventhubconsumer.h"
#include "monitor/capturefile.h"
#include "monitor/monitorpipeline.h"
#include "monitor/tokenrenewal.h"
#include "util/jsondepth.h"
#include "validate/issuejson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

namespace iotc::cli {

namespace {

std::atomic<bool> g_interrupted { false };
extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}

enum class Mode { Monitor, Validate, Capture };

const char* usageOf(Mode mode)
{
    switch (mode) {
    case Mode::Monitor:
        return "usage: iotc-diag monitor-events [--device-id ID|PATTERN] [--module-id ID] [--start "
               "now|-5m|TIME|beginning]\n"
               "                                [--timeout S] [--max-messages N] [--properties anno,app,all]\n"
               "                                [--consumer-group CG] [--eventhub-connection-string CS|@FILE|-] "
               "[--output "
               "jsonl|text]\n"
               "--eventhub-connection-string @FILE (or - for standard input) keeps the key out of ps and the shell "
               "history.\n";
    case Mode::Validate:
        return "usage: iotc-diag validate-messages [monitor-events options] [--template FILE] [--minimum-severity "
               "info|warning|error]\n"
               "Always ends with a summary (per device: messages, issues by code), whatever ended the run.\n";
    case Mode::Capture:
        return "usage: iotc-diag capture --out FILE[.gz] [monitor-events filters] [--timeout S] [--max-messages N]\n"
               "A name ending in .gz is written gzip-compressed; replay reads either.\n";
    }
    return "";
}

bool parseStart(const std::string& text, ConsumerStart& start)
{
    if (text.empty() || text == "now" || text == "latest") {
        start.kind = ConsumerStart::Kind::Latest;
        return true;
    }
    if (text == "beginning" || text == "earliest") {
        start.kind = ConsumerStart::Kind::Beginning;
        return true;
    }
    if (text[0] == '-' && text.size() >= 3) {
        const char unit = text.back();
        bool ok = false;
        const double n = QString::fromStdString(text.substr(1, text.size() - 2)).toDouble(&ok);
        const double minutes = unit == 's' ? n / 60 : unit == 'm' ? n : unit == 'h' ? n * 60 : -1;
        if (!ok || minutes < 0)
            return false;
        start = ConsumerStart::minutesAgo(minutes);
        return true;
    }
    const auto when = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
    if (!when.isValid())
        return false;
    start.kind = ConsumerStart::Kind::EnqueuedTime;
    start.enqueuedMs = when.toMSecsSinceEpoch();
    return true;
}

nlohmann::json eventJson(const TelemetryEvent& e, bool annotations, bool properties)
{
    using nlohmann::json;
    bool tooDeep = false;
    json payload = parseJsonBounded(std::string_view(e.body.constData(), static_cast<size_t>(e.body.size())), &tooDeep);
    if (payload.is_discarded())
        payload = QString::fromUtf8(e.body).toStdString(); // not JSON (or too deep to read): the text as received
    json event = {
        { "origin", e.deviceId.toStdString() },
        { "module", e.moduleId.toStdString() },
        { "component", e.component.toStdString() },
        { "interface", e.modelId.toStdString() },
        { "partition", e.partition },
        { "sequenceNumber", e.sequenceNumber },
        { "enqueuedTime",
            QDateTime::fromMSecsSinceEpoch(e.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs).toStdString() },
        { "payload", std::move(payload) },
    };
    if (tooDeep)
        event["payloadNote"] = "the body nests more than " + std::to_string(MaxJsonDepth)
            + " levels deep: shown as text, not read as JSON";
    if (annotations) {
        event["annotations"] = {
            { "iothub-connection-device-id", e.deviceId.toStdString() },
            { "iothub-connection-module-id", e.moduleId.toStdString() },
            { "iothub-connection-auth-method", e.authMethod.toStdString() },
            { "iothub-message-source", e.messageSource.toStdString() },
            { "dt-subject", e.component.toStdString() },
            { "dt-dataschema", e.modelId.toStdString() },
            { "x-opt-sequence-number", e.sequenceNumber },
            { "x-opt-offset", e.offset.toStdString() },
            { "x-opt-enqueued-time", e.enqueuedMs },
        };
        event["contentType"] = e.contentType ? json(e.contentType->toStdString()) : json();
        event["contentEncoding"] = e.contentEncoding ? json(e.contentEncoding->toStdString()) : json();
    }
    if (properties) {
        json props = json::object();
        for (const auto& [k, v] : e.applicationProperties)
            props[k.toStdString()] = v.toStdString();
        event["properties"] = props;
    }
    return event;
}

std::string dumpLine(const nlohmann::json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// The consumers for this run: from an Event Hubs connection string, or one per hub of the app.
bool targetsFor(
    const Arguments& args, Connection& connection, bool haveApp, QList<EventHubTarget>& targets, const char* command)
{
    QString error;
    if (auto cs = args.value("eventhub-connection-string")) {
        // "@FILE" or "-" keep the key out of ps and the shell history.
        const auto text = secretArgument(*cs, &error);
        if (!text) {
            std::fprintf(
                stderr, "iotc-diag %s: --eventhub-connection-string: %s\n", command, qPrintable(printable(error)));
            return false;
        }
        auto t = EventHubTarget::fromConnectionString(*text, error);
        if (!t) {
            std::fprintf(
                stderr, "iotc-diag %s: --eventhub-connection-string: %s\n", command, qPrintable(printable(error)));
            return false;
        }
        targets = { *t };
        return true;
    }
    if (!haveApp) {
        std::fprintf(stderr,
            "iotc-diag %s: say where to read: --eventhub-connection-string, or the application (--app, --base-url, "
            "--demo)\n%s",
            command, ConnectionUsage);
        return false;
    }
    CentralClient client(connection.profile);
    auto f = client.eventSasTokens();
    f.waitForFinished();
    const auto r = f.result();
    if (!r.ok()) {
        std::fprintf(stderr, "iotc-diag %s: cannot get the app's event hub tokens: %s\n", command,
            qPrintable(printable(r.error.summary())));
        if (r.error.httpStatus == 401 || r.error.httpStatus == 403)
            std::fprintf(stderr,
                "  generateEventSasTokens needs an Entra ID bearer token (--az) in most apps, or give "
                "--eventhub-connection-string.\n");
        return false;
    }
    targets = EventHubTarget::fromEventSasTokens(*r.value, error);
    if (targets.isEmpty()) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command, qPrintable(printable(error)));
        return false;
    }
    return true;
}

int runStream(Mode mode, const std::vector<std::string>& words)
{
    const char* command = mode == Mode::Monitor ? "monitor-events"
        : mode == Mode::Validate                ? "validate-messages"
                                                : "capture";
    std::set<std::string> values { "device-id", "module-id", "start", "max-messages", "properties", "output",
        "consumer-group", "eventhub-connection-string", "template", "models", "minimum-severity", "out" };
    auto conn = connectionValueOptions();
    values.insert(conn.begin(), conn.end());
    std::set<std::string> flags { "help" };
    auto connFlags = connectionFlagOptions();
    flags.insert(connFlags.begin(), connFlags.end());
    // --timeout is a connection option (REST seconds) elsewhere; here it bounds the run, as in az.
    const auto args = parseArguments(words, values, flags);
    if (args.has("help")) {
        std::printf("%s%s", usageOf(mode), ConnectionUsage);
        return ExitOk;
    }
    if (!args.error.empty() || !args.positional.empty()) {
        std::fprintf(stderr, "iotc-diag %s: %s\n%s", command,
            args.error.empty() ? "unexpected argument" : args.error.c_str(), usageOf(mode));
        return ExitUsage;
    }
    ConsumerOptions options;
    if (!parseStart(args.value("start").value_or("now"), options.start)) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command,
            invalidValue(
                "start", printable(args.value("start").value_or("")), "now, beginning, -Ns/-Nm/-Nh or an ISO 8601 time")
                .c_str());
        return ExitUsage;
    }
    options.consumerGroup = QString::fromStdString(args.value("consumer-group").value_or("$Default"));
    options.deviceFilter = QString::fromStdString(args.value("device-id").value_or(""));
    options.moduleFilter = QString::fromStdString(args.value("module-id").value_or(""));
    OptionReader reader(args);
    const double timeout = reader.number("timeout", 300, 0, 1e9, "seconds (0 = until Ctrl-C)");
    const qint64 maxMessages = reader.integer("max-messages", 0, 0, std::numeric_limits<qint64>::max());
    const std::string props = args.value("properties").value_or("");
    if (!QString::fromStdString(props).split(QLatin1Char(','), Qt::SkipEmptyParts).isEmpty()) {
        for (const auto& part : QString::fromStdString(props).split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!QStringList {
                    QStringLiteral("anno"), QStringLiteral("sys"), QStringLiteral("app"), QStringLiteral("all") }
                     .contains(part.trimmed())) {
                std::fprintf(stderr, "iotc-diag %s: %s\n", command,
                    invalidValue("properties", printable(props), "anno, sys, app or all, separated by commas").c_str());
                return ExitUsage;
            }
    }
    const bool withAnnotations
        = props.find("anno") != std::string::npos || props.find("sys") != std::string::npos || props == "all";
    const bool withProperties = props.find("app") != std::string::npos || props == "all";
    const std::string output
        = reader.choice("output", mode == Mode::Capture ? "text" : "jsonl", { "jsonl", "json", "text" });
    const bool jsonOut = output != "text";
    const std::string severity = reader.choice("minimum-severity", "info", { "info", "warning", "error" });
    if (!reader.ok())
        return reader.fail(command);
    const Severity minimum = parseSeverity(severity).value_or(Severity::Info);
    if (mode == Mode::Capture && !args.value("out")) {
        std::fprintf(stderr, "iotc-diag capture: --out FILE is required\n");
        return ExitUsage;
    }

    // The app (for tokens and templates) is optional when a connection string says where to read.
    Connection connection;
    const bool haveApp = hasApplication(args);
    if (haveApp) {
        // Without --timeout meaning REST seconds here, keep the default request timeout.
        Arguments restArgs = args;
        restArgs.values.erase("timeout");
        if (!resolveConnection(restArgs, command, connection, 2.0))
            return ExitUsage;
    }
    QList<EventHubTarget> targets;
    if (!targetsFor(args, connection, haveApp, targets, command))
        return ExitUsage;

    std::shared_ptr<TemplateResolver> resolver;
    if (mode == Mode::Validate) {
        if (auto file = args.value("template")) {
            auto tpl = loadTemplateOrReport(*file, args.value("models").value_or(""));
            if (!tpl)
                return ExitUsage;
            resolver = std::make_shared<TemplateResolver>(tpl);
        } else {
            resolver = std::make_shared<TemplateResolver>(
                haveApp ? std::make_shared<CentralClient>(connection.profile) : nullptr);
        }
    }
    // Field histories are for charts: the CLI keeps the last value only.
    MonitorPipeline pipeline(
        resolver ? resolver : std::make_shared<TemplateResolver>(std::shared_ptr<CentralClient>()), 1);
    std::unique_ptr<CaptureWriter> capture;
    if (mode == Mode::Capture) {
        try {
            capture = std::make_unique<CaptureWriter>(QString::fromStdString(*args.value("out")));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "iotc-diag capture: %s\n", e.what());
            return ExitUsage;
        }
    }

    std::vector<std::unique_ptr<EventHubConsumer>> consumers;
    // The application's tokens expire (an hour): new ones are asked for in time, so a monitor runs
    // for days (the az CLI's never renews).
    const auto tokenSource = haveApp && !args.value("eventhub-connection-string")
        ? std::make_shared<CentralClient>(connection.profile)
        : nullptr;
    for (const auto& t : targets) {
        consumers.push_back(std::make_unique<EventHubConsumer>(t, options));
        renewTokensThrough(tokenSource, consumers.back().get(), t.entityPath);
    }
    QString endReason = QStringLiteral("timeout");
    qint64 seen = 0;
    qint64 withErrors = 0;
    QElapsedTimer clock;
    clock.start();
    const bool colour = !jsonOut && isTerminal(stdout);
    std::map<int, std::string> lastStates;
    auto drain = [&] {
        for (auto& c : consumers) {
            for (;;) {
                auto batch = c->take(2000);
                if (batch.empty())
                    break;
                if (maxMessages > 0 && seen + static_cast<qint64>(batch.size()) > maxMessages)
                    batch.resize(static_cast<size_t>(maxMessages - seen));
                seen += static_cast<qint64>(batch.size());
                std::string out;
                if (mode == Mode::Capture) {
                    for (const auto& e : batch)
                        capture->write(e);
                    capture->flush();
                } else if (mode == Mode::Monitor) {
                    for (const auto& e : batch) {
                        if (jsonOut)
                            out += dumpLine({ { "event", eventJson(e, withAnnotations, withProperties) } });
                        else
                            out += QDateTime::fromMSecsSinceEpoch(e.enqueuedMs, Qt::UTC)
                                       .toString(Qt::ISODateWithMs)
                                       .toStdString()
                                + "  " + printable(e.deviceId.toStdString())
                                + (e.component.isEmpty() ? "" : "/" + printable(e.component.toStdString())) + "  "
                                + printable(QString::fromUtf8(e.body).toStdString()) + "\n";
                    }
                } else {
                    for (auto& o : pipeline.process(std::move(batch))) {
                        std::vector<Issue> kept;
                        for (auto& i : o.issues)
                            if (i.severity >= minimum)
                                kept.push_back(std::move(i));
                        withErrors += hasErrors(kept);
                        if (jsonOut) {
                            std::string line = "{\"event\":"
                                + eventJson(o.event, withAnnotations, withProperties)
                                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                                + ",\"issues\":";
                            appendIssuesJson(line, kept);
                            out += line + "}\n";
                        } else if (!kept.empty()) {
                            out += printable(o.event.deviceId.toStdString()) + " ("
                                + QDateTime::fromMSecsSinceEpoch(o.event.enqueuedMs, Qt::UTC)
                                      .toString(Qt::ISODate)
                                      .toStdString()
                                + "):\n";
                            for (const auto& i : kept)
                                out += "  " + formatIssueText(i, colour);
                        }
                    }
                }
                writeAll(stdout, out);
                std::fflush(stdout);
                if (maxMessages > 0 && seen >= maxMessages) {
                    endReason = QStringLiteral("max-messages");
                    QCoreApplication::quit();
                    return;
                }
            }
        }
    };
    auto reportStates = [&] {
        // Failures are never silent: every partition's change of state goes to stderr.
        for (auto& c : consumers) {
            for (const auto& p : c->partitions()) {
                const std::string state = std::string(partitionStateName(p.state))
                    + (p.condition.isEmpty() ? "" : " " + printable(p.condition.toStdString()))
                    + (p.description.isEmpty() ? "" : ": " + printable(p.description.toStdString()));
                auto& last = lastStates[p.partition];
                if (last != state) {
                    if (p.state != PartitionState::State::Connecting && p.state != PartitionState::State::Receiving)
                        std::fprintf(stderr, "partition %d: %s\n", p.partition, state.c_str());
                    last = state;
                }
            }
        }
    };
    int failedConsumers = 0;
    QString failure;
    for (auto& c : consumers) {
        QObject::connect(c.get(), &EventHubConsumer::eventsAvailable, c.get(), drain);
        QObject::connect(c.get(), &EventHubConsumer::stateChanged, c.get(), reportStates);
        QObject::connect(c.get(), &EventHubConsumer::failed, c.get(), [&](const QString& why) {
            failure = why;
            if (++failedConsumers == static_cast<int>(consumers.size())) {
                endReason = QStringLiteral("failed");
                QCoreApplication::quit();
            }
        });
        c->start();
    }
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        if (g_interrupted) {
            endReason = QStringLiteral("interrupted");
            QCoreApplication::quit();
        } else if (timeout > 0 && clock.elapsed() >= timeout * 1000) {
            endReason = QStringLiteral("timeout");
            QCoreApplication::quit();
        }
    });
    poll.start(50);
    if (mode != Mode::Capture)
        std::fprintf(stderr, "Monitoring %lld hub(s)%s, until %s.\n", static_cast<long long>(consumers.size()),
            options.deviceFilter.isEmpty() ? "" : qPrintable(QStringLiteral(" for ") + options.deviceFilter),
            timeout > 0 ? qPrintable(QString::number(timeout) + QStringLiteral(" s have passed")
                + (maxMessages
                        ? QStringLiteral(" or ") + QString::number(maxMessages) + QStringLiteral(" messages arrived")
                        : QString()))
                        : "Ctrl-C");
    QCoreApplication::exec();
    if (endReason != QLatin1String("max-messages"))
        drain();
    quint64 dropped = 0;
    for (auto& c : consumers) {
        dropped += c->dropped();
        c->stop();
    }
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    if (mode == Mode::Validate) {
        nlohmann::json devices = nlohmann::json::object();
        for (const auto& [id, s] : pipeline.stats())
            devices[id.toStdString()] = { { "messages", s.messages }, { "issues", s.issues } };
        const auto& evicted = pipeline.evictions();
        const nlohmann::json summary = { { "summary",
            { { "messages", seen }, { "devices", devices }, { "reason", endReason.toStdString() },
                { "seconds", seconds }, { "dropped", dropped },
                { "evicted",
                    { { "devices", evicted.devices }, { "fields", evicted.fields },
                        { "unmodeledNames", evicted.unmodeledNames } } } } } };
        if (jsonOut) {
            writeAll(stdout, dumpLine(summary));
        } else {
            std::string text = "\nSummary: " + std::to_string(seen) + " message(s) in "
                + std::to_string(static_cast<int>(seconds)) + " s (" + endReason.toStdString() + ")\n";
            for (const auto& [id, s] : pipeline.stats()) {
                text += "  " + printable(id.toStdString()) + ": " + std::to_string(s.messages) + " message(s)";
                for (const auto& [code, n] : s.issues)
                    text += ", " + code + " x" + std::to_string(n);
                text += "\n";
            }
            if (evicted.devices)
                text += "  (and " + std::to_string(evicted.devices) + " device(s) seen least recently, not listed: "
                    + "statistics are kept for " + std::to_string(pipeline.limits().devices) + " devices at most)\n";
            writeAll(stdout, text);
        }
        // The summary comes first, whatever ended the run, a failure included.
        if (endReason == QLatin1String("failed")) {
            std::fprintf(stderr, "iotc-diag %s: %s\n", command, qPrintable(printable(failure)));
            return ExitUsage;
        }
        return withErrors > 0 ? ExitProblem : ExitOk;
    }
    if (endReason == QLatin1String("failed")) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command, qPrintable(printable(failure)));
        return ExitUsage;
    }
    if (mode == Mode::Capture) {
        const QString writeError = capture->close();
        if (!writeError.isEmpty()) {
            // Buffered writes fail late: the file holds at most what was handed to it.
            std::fprintf(stderr,
                "iotc-diag capture: writing %s failed (%s); the file is incomplete: %lld event(s) handed to it, "
                "%lld refused (%s).\n",
                args.value("out")->c_str(), qPrintable(writeError), static_cast<long long>(capture->written()),
                static_cast<long long>(capture->failed()), qPrintable(endReason));
            return ExitUsage;
        }
        std::fprintf(stderr, "Captured %lld event(s) to %s (%s).\n", static_cast<long long>(capture->written()),
            args.value("out")->c_str(), qPrintable(endReason));
    } else
        std::fprintf(stderr, "%lld event(s) (%s)%s\n", static_cast<long long>(seen), qPrintable(endReason),
            dropped
                ? qPrintable(QStringLiteral(", ") + QString::number(dropped) + QStringLiteral(" dropped (queue full)"))
                : "");
    return ExitOk;
}

} // namespace

int runMonitorEvents(const std::vector<std::string>& words)
{
    return runStream(Mode::Monitor, words);
}

int runValidateMessages(const std::vector<std::string>& words)
{
    return runStream(Mode::Validate, words);
}

int runCapture(const std::vector<std::string>& words)
{
    return runStream(Mode::Capture, words);
}

int runReplay(const std::vector<std::string>& words)
{
    const auto args = parseArguments(words, { "template", "models", "output" }, { "validate", "help" });
    if (args.has("help") || args.positional.size() != 1 || !args.error.empty()) {
        std::fputs("usage: iotc-diag replay FILE [--validate --template FILE] [--output jsonl|text]\n"
                   "Reads a capture and prints its events, or, with --validate, what validation finds in them.\n",
            args.has("help") ? stdout : stderr);
        return args.has("help") ? ExitOk : ExitUsage;
    }
    std::shared_ptr<TemplateResolver> resolver;
    if (auto file = args.value("template")) {
        auto tpl = loadTemplateOrReport(*file, args.value("models").value_or(""));
        if (!tpl)
            return ExitUsage;
        resolver = std::make_shared<TemplateResolver>(tpl);
    } else {
        resolver = std::make_shared<TemplateResolver>(std::shared_ptr<CentralClient>());
    }
    const bool validate = args.has("validate");
    OptionReader reader(args);
    const bool jsonOut = reader.choice("output", "jsonl", { "jsonl", "json", "text" }) != "text";
    if (!reader.ok())
        return reader.fail("replay");
    MonitorPipeline pipeline(resolver, 1);
    qint64 bad = 0, tooLong = 0, withErrors = 0;
    QString error;
    std::string out;
    std::vector<TelemetryEvent> batch;
    auto flush = [&] {
        if (validate) {
            for (auto& o : pipeline.process(std::move(batch))) {
                withErrors += hasErrors(o.issues);
                std::string line = "{\"event\":"
                    + eventJson(o.event, true, true).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                    + ",\"issues\":";
                appendIssuesJson(line, o.issues);
                out += line + "}\n";
            }
        } else {
            for (const auto& e : batch)
                out += jsonOut ? dumpLine({ { "event", eventJson(e, true, true) } })
                               : printable(e.deviceId.toStdString()) + "  "
                        + printable(QString::fromUtf8(e.body).toStdString()) + "\n";
        }
        batch.clear();
        writeAll(stdout, out);
        out.clear();
    };
    CaptureReadOptions reading;
    reading.tooLong = &tooLong;
    const qint64 n = readCapture(
        QString::fromStdString(args.positional[0]),
        [&](TelemetryEvent&& e) {
            batch.push_back(std::move(e));
            if (batch.size() >= 1000)
                flush();
            return true;
        },
        bad, error, reading);
    if (n < 0) {
        std::fprintf(stderr, "iotc-diag replay: %s\n", qPrintable(error));
        return ExitUsage;
    }
    flush();
    QString skipped;
    if (bad)
        skipped = QStringLiteral("; %1 line(s) were not events and were skipped").arg(bad);
    if (tooLong)
        skipped += QStringLiteral(" (%1 of them longer than %2 MiB)").arg(tooLong).arg(MaxCaptureLine / (1024 * 1024));
    std::fprintf(stderr, "Replayed %lld event(s)%s.\n", static_cast<long long>(n), qPrintable(skipped));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "iotc-diag replay: %s\n", qPrintable(printable(error))); // read up to the damage
        return ExitProblem;
    }
    return validate && withErrors > 0 ? ExitProblem : ExitOk;
}

} // namespace iotc::cli
