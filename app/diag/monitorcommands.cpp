#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "devicecheck.h"
#include "eventjson.h"
#include "runloop.h"
#include "streamoutput.h"
#include "templateloading.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "monitor/capturefile.h"
#include "monitor/eventstream.h"
#include "monitor/monitorpipeline.h"
#include "monitor/templateresolver.h"
#include "util/handoff.h"
#include "validate/issuejson.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

namespace iotc::cli {

namespace {

enum class Mode { Monitor, Validate, Capture };

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

// Where to read when an Event Hubs connection string says so (target set); false, having said why,
// when the argument is not one, or when neither it nor an application names a source.
bool sourceFor(const Arguments& args, bool haveApp, std::optional<EventHubTarget>& target, const char* command)
{
    if (args.value("eventhub-connection-string"))
        return readEventHubArgument(args, command, target);
    if (!haveApp) {
        std::fprintf(stderr,
            "iotc-diag %s: say where to read: --eventhub-connection-string, or the application (--app, --base-url, "
            "--demo)\n%s",
            command, ConnectionUsage);
        return false;
    }
    return true; // the application's hubs: the stream asks for them
}

// What a stream command's own options say, read and judged before anything connects.
struct StreamSettings {
    ConsumerOptions consumer;
    double timeout = 300;
    qint64 maxMessages = 0;
    EventSections show;
    bool jsonOut = true;
    Severity minimum = Severity::Info;
};

// setUpCommand's check: ExitOk, or ExitUsage having said why on stderr.
int readSettings(Mode mode, const char* command, const Arguments& args, StreamSettings& s)
{
    if (!parseStart(args.value("start").value_or("now"), s.consumer.start)) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command,
            invalidValue(
                "start", printable(args.value("start").value_or("")), "now, beginning, -Ns/-Nm/-Nh or an ISO 8601 time")
                .c_str());
        return ExitUsage;
    }
    s.consumer.consumerGroup = QString::fromStdString(args.value("consumer-group").value_or("$Default"));
    s.consumer.deviceFilter = QString::fromStdString(args.value("device-id").value_or(""));
    s.consumer.moduleFilter = QString::fromStdString(args.value("module-id").value_or(""));
    OptionReader reader(args);
    // --timeout bounds the run here, as in az (the table says so: it never reaches the connection).
    s.timeout = reader.number("timeout", 300, 0, 1e9, "seconds (0 = until Ctrl-C)");
    s.maxMessages = reader.integer("max-messages", 0, 0, std::numeric_limits<qint64>::max());
    const std::string props = args.value("properties").value_or("");
    const auto sections = parseEventSections(props);
    if (!sections) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command,
            invalidValue("properties", printable(props), "sys, anno, app or all, separated by commas").c_str());
        return ExitUsage;
    }
    s.show = *sections;
    s.jsonOut
        = reader.choice("output", mode == Mode::Capture ? "text" : "jsonl", { "jsonl", "json", "text" }) != "text";
    const std::string severity = reader.choice("minimum-severity", "info", { "info", "warning", "error" });
    if (!reader.ok())
        return reader.fail(command);
    s.minimum = parseSeverity(severity).value_or(Severity::Info);
    if (mode == Mode::Capture && !args.value("out")) {
        std::fprintf(stderr, "iotc-diag capture: --out FILE is required\n");
        return ExitUsage;
    }
    return ExitOk;
}

// "until 300 s have passed or 5 messages arrived", "until Ctrl-C".
std::string untilText(double timeout, qint64 maxMessages)
{
    if (timeout <= 0)
        return maxMessages ? std::to_string(maxMessages) + " messages arrived, or Ctrl-C" : "Ctrl-C";
    return QString::number(timeout).toStdString() + " s have passed"
        + (maxMessages ? " or " + std::to_string(maxMessages) + " messages arrived" : "");
}

int runStream(Mode mode, const std::vector<std::string>& words)
{
    const char* command = mode == Mode::Monitor ? "monitor-events"
        : mode == Mode::Validate                ? "validate-messages"
                                                : "capture";
    StreamSettings settings;
    // The app (for tokens and templates) is optional when a connection string says where to read.
    const auto setup = setUpCommand(command, words,
        { .demoRateHz = 2.0, .check = [&](const Arguments& a) { return readSettings(mode, command, a, settings); } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const bool haveApp = setup.context->haveApp;
    const Connection& connection = setup.context->connection;
    const ConsumerOptions& options = settings.consumer;
    const bool jsonOut = settings.jsonOut;
    EventStreamOptions streamOptions;
    streamOptions.consumer = options;
    streamOptions.validate = mode == Mode::Validate;
    streamOptions.maxEvents = settings.maxMessages;
    // Every annotation and the AMQP properties, when they are shown (--properties) or recorded.
    streamOptions.consumer.allProperties = settings.show.any() || mode == Mode::Capture;
    // The summary counts the issues the run reports, no others (the message counts stay whole).
    streamOptions.statsMinimum = settings.minimum;
    if (!sourceFor(args, haveApp, streamOptions.target, command))
        return ExitUsage;
    streamOptions.consumer.network = setup.context->network; // (also the application's, when there is one)
    // The application's tokens (and their renewal: they expire within the hour, and a monitor runs for
    // days; the az CLI's never renews), when it is where the stream reads.
    const auto client = haveApp ? std::make_shared<CentralClient>(connection.profile) : nullptr;

    std::shared_ptr<TemplateResolver> resolver;
    if (mode == Mode::Validate && !(resolver = resolverFromArguments(args, client)))
        return ExitUsage;
    // Field histories are for charts: the CLI keeps the last value only (the stream's default).
    EventStream stream(streamOptions.target ? nullptr : client, resolver, streamOptions);
    // The run's time starts once the hubs are found (the application is asked for them first).
    RunLoop loop;
    bool started = false;
    QString failure;
    QString captureError;
    QString endReason = QStringLiteral("timeout");
    qint64 seen = 0;
    qint64 withErrors = 0;
    qint64 withIssues = 0;
    const ValidateOutput how { jsonOut, settings.show, !jsonOut && isTerminal(stdout), settings.minimum };
    // validate-messages --output text prints only what is wrong: a progress line now and then shows
    // it is alive (the first batch, then after ProgressEveryMs without a line).
    constexpr qint64 ProgressEveryMs = 5000;
    QElapsedTimer sinceOutput;
    std::map<int, std::string> lastStates;
    // The hubs are found (a connection string names one at once): before the consumers start, the
    // capture opens and the run begins.
    QObject::connect(&stream, &EventStream::started, &stream, [&](const QStringList& hubs) {
        if (mode == Mode::Capture) {
            captureError = stream.startCapture(QString::fromStdString(*args.value("out")));
            if (!captureError.isEmpty()) {
                stream.stop(); // nothing was read
                loop.finish();
                return;
            }
        }
        started = true;
        loop.setDeadline(settings.timeout);
        if (mode != Mode::Capture)
            std::fprintf(stderr, "Monitoring %lld hub(s)%s, until %s.\n", static_cast<long long>(hubs.size()),
                options.deviceFilter.isEmpty() ? ""
                                               : qPrintable(QStringLiteral(" for ") + printable(options.deviceFilter)),
                untilText(settings.timeout, settings.maxMessages).c_str());
    });
    // How the stream travels, once a connection opened (and again if auto falls back to WebSockets).
    QObject::connect(&stream, &EventStream::routeChanged, &stream,
        [](const QString& route) { std::fprintf(stderr, "Live via %s.\n", qPrintable(printable(route))); });
    QObject::connect(&stream, &EventStream::failed, &stream, [&](const QString& why) {
        failure = why;
        endReason = QStringLiteral("failed");
        loop.finish();
    });
    QObject::connect(&stream, &EventStream::eventsReceived, &stream, [&](const std::vector<TelemetryEvent>& events) {
        seen += static_cast<qint64>(events.size());
        if (mode == Mode::Monitor) {
            writeAll(stdout, eventLines(events, jsonOut, settings.show));
            std::fflush(stdout);
        }
    });
    QObject::connect(&stream, &EventStream::observations, &stream, [&](const ObservationBatch& batch) {
        std::string out = observationLines(*batch, how, withErrors, &withIssues);
        if (!jsonOut && out.empty() && (!sinceOutput.isValid() || sinceOutput.elapsed() >= ProgressEveryMs))
            out = progressLine(seen, withIssues, settings.minimum);
        if (!out.empty())
            sinceOutput.start();
        writeAll(stdout, out);
        std::fflush(stdout);
    });
    QObject::connect(&stream, &EventStream::limitReached, &stream, [&] {
        endReason = QStringLiteral("max-messages");
        loop.finish();
    });
    QObject::connect(&stream, &EventStream::statusChanged, &stream,
        [&](const MonitorStatus& status) { reportPartitionStates(status.partitions, lastStates); });
    // A plain --device-id is checked against the application first: a mistyped id is no silent device.
    bool interrupted = stopRequested();
    if (!interrupted && client && isPlainDeviceId(options.deviceFilter)) {
        switch (checkDeviceId(command, *client, options.deviceFilter)) {
        case DeviceCheck::Unknown:
            return ExitUsage;
        case DeviceCheck::Interrupted:
            interrupted = true;
            break;
        case DeviceCheck::Known:
        case DeviceCheck::Unchecked:
            break;
        }
    }
    if (!interrupted) {
        stream.start();
        const RunLoop::End end = loop.exec();
        if (end != RunLoop::End::Done)
            endReason = QString::fromLatin1(endName(end));
        interrupted = end == RunLoop::End::Signal;
    } else {
        endReason = QString::fromLatin1(endName(RunLoop::End::Signal));
    }
    if (!captureError.isEmpty()) {
        std::fprintf(stderr, "iotc-diag capture: %s\n", qPrintable(captureError));
        return ExitUsage;
    }
    if (!started && !interrupted) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command,
            failure.isEmpty() ? "the event hubs could not be found" : qPrintable(printable(failure)));
        return ExitUsage;
    }
    // Stops reading, then hands on what was received (not past --max-messages), closes the capture.
    // Interrupted at any moment (even before the hubs were found) the run ends as the README says:
    // with its summary.
    stream.stop();
    const quint64 dropped = stream.status().dropped;
    const double seconds = started ? static_cast<double>(loop.elapsedMs()) / 1000.0 : 0.0;
    if (mode == Mode::Validate) {
        // The summary comes first, whatever ended the run, a failure included.
        writeSummary(stream.pipeline(), seen, endReason, seconds, dropped, jsonOut);
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
        if (!started) {
            std::fprintf(stderr, "Captured 0 event(s) (%s before the event hubs were found; %s was not created).\n",
                qPrintable(endReason), printable(*args.value("out")).c_str());
            return ExitOk;
        }
        const MonitorStatus& status = stream.status();
        if (!status.captureError.isEmpty()) {
            // Buffered writes fail late: the file holds at most what was handed to it.
            std::fprintf(stderr,
                "iotc-diag capture: writing %s failed (%s); the file is incomplete: %lld event(s) handed to it, "
                "%lld refused (%s).\n",
                args.value("out")->c_str(), qPrintable(status.captureError), static_cast<long long>(status.captured),
                static_cast<long long>(status.captureFailed), qPrintable(endReason));
            return ExitUsage;
        }
        std::fprintf(stderr, "Captured %lld event(s) to %s (%s).\n", static_cast<long long>(status.captured),
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
    bool jsonOut = true;
    const auto setup = setUpCommand("replay", words, { .check = [&](const Arguments& a) {
        OptionReader reader(a);
        jsonOut = reader.choice("output", "jsonl", { "jsonl", "json", "text" }) != "text";
        return reader.ok() ? ExitOk : reader.fail("replay");
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const auto resolver = resolverFromArguments(args, nullptr);
    if (!resolver)
        return ExitUsage;
    const bool validate = args.has("validate");
    MonitorPipeline pipeline(resolver, 1);
    qint64 bad = 0, tooLong = 0, withErrors = 0;
    QString error;
    std::string out;
    std::vector<TelemetryEvent> batch;
    // Replayed events are shown whole (every section); text keeps to one line per event, and with
    // --validate to the events with issues, then the per-device summary.
    const ValidateOutput how { jsonOut, EventSections::all(), !jsonOut && isTerminal(stdout), Severity::Info };
    // Reading and parsing the capture (this thread) runs beside judging and writing the events (a
    // second one), batch by batch in order: on two cores the replay takes the longer of the two,
    // not their sum.
    auto process = [&](std::vector<TelemetryEvent> batch) {
        // JSON is written straight into out (eventjson.h): the same bytes as the tree eventJson() builds.
        if (validate) {
            const auto observations = pipeline.process(std::move(batch));
            if (jsonOut)
                appendObservationJsonLines(out, observations, how.show, how.minimum, withErrors);
            else
                out += observationLines(observations, how, withErrors);
        } else if (jsonOut) {
            appendEventJsonLines(out, batch, EventSections::all());
        } else {
            out += eventLines(batch, false, EventSections {});
        }
        writeAll(stdout, out);
        out.clear();
    };
    Handoff<std::vector<TelemetryEvent>> handoff(4);
    std::thread writer([&] {
        while (auto next = handoff.pop())
            process(std::move(*next));
    });
    auto flush = [&] {
        handoff.push(std::move(batch));
        batch = {};
        batch.reserve(1000);
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
    flush();
    handoff.close();
    writer.join();
    if (n < 0) {
        std::fprintf(stderr, "iotc-diag replay: %s\n", qPrintable(error));
        return ExitUsage;
    }
    if (validate && !jsonOut)
        writeSummary(pipeline, n, QStringLiteral("end of the capture"), -1, 0, false);
    QString skipped;
    if (bad)
        skipped = QStringLiteral("; %1 line(s) were not events and were skipped").arg(bad);
    if (tooLong)
        skipped += QStringLiteral(" (%1 of them longer than %2 MiB)").arg(tooLong).arg(MaxCaptureLineMiB);
    std::fprintf(stderr, "Replayed %lld event(s)%s.\n", static_cast<long long>(n), qPrintable(skipped));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "iotc-diag replay: %s\n", qPrintable(printable(error))); // read up to the damage
        return ExitProblem;
    }
    return validate && withErrors > 0 ? ExitProblem : ExitOk;
}

} // namespace iotc::cli
