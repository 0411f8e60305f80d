// Hostile device data on the stream path, in captures and in device logs: a body nested 200,000
// levels deep, a compressed capture with no newline in 50 MB, log lines of a million characters.
// Every command ends by itself, within a bound, without a signal, and says what it skipped; the
// live monitor lets its owner go at once, whatever its thread is busy with, and its thread ends with
// it (its capture closed), even while the application never answers a template lookup.
#include "hostilecli.h"
#include "hostilehttpserver.h"

#include "central/centralclient.h"
#include "monitor/capturefile.h"
#include "monitor/livemonitor.h"
#include "sim/simulatedapp.h"

#include <QElapsedTimer>
#include <QSignalSpy>

#include <zlib.h>

using namespace iotc;
using namespace iotc::hostile;

namespace {

const char* Template = "dtdl/dtmi/com/example/temperaturecontroller-2.json";

// One line of a capture (core/monitor/capturefile.cpp's JSON Lines), written by hand.
std::string captureEvent(const std::string& device, const QByteArray& body, int sequence)
{
    return R"({"hub":"h","partition":0,"annotations":{"x-opt-sequence-number":)" + std::to_string(sequence)
        + R"(,"x-opt-offset":"1","x-opt-enqueued-time":1764000000000,"iothub-connection-device-id":")" + device
        + R"(","iothub-message-source":"Telemetry"},"properties":{},"bodyBase64":")" + body.toBase64().toStdString()
        + R"(","contentType":"application/json","contentEncoding":"utf-8"})" + "\n";
}

QByteArray nested(int levels)
{
    return QByteArray(levels, '[') + QByteArray(levels, ']');
}

// A gzip file of megabytes times 1 MiB of 'x', not one newline.
QString noNewlines(const QTemporaryDir& dir, int megabytes)
{
    const QString path = dir.filePath(QStringLiteral("endless.jsonl.gz"));
    gzFile out = gzopen(path.toLocal8Bit().constData(), "wb1");
    EXPECT_TRUE(out);
    const QByteArray block(1 << 20, 'x');
    for (int i = 0; out && i < megabytes; ++i)
        gzwrite(out, block.constData(), static_cast<unsigned>(block.size()));
    if (out)
        gzclose(out);
    return path;
}

// An application that takes every request and never answers (the client would wait minutes).
std::shared_ptr<CentralClient> silentApp(HostileHttpServer& server)
{
    auto profile = ConnectionProfile::forBaseUrl(server.baseUrl());
    profile.authorization = QStringLiteral("SharedAccessSignature sr=app&sig=x&skn=y&se=9999999999");
    profile.timeoutMs = 120000;
    profile.deadlineMs = 120000;
    return std::make_shared<CentralClient>(profile);
}

ScriptedReply silence(const QByteArray&)
{
    ScriptedReply r;
    r.silent = true;
    return r;
}

bool contains(const std::string& text, const char* part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(HostileStream, ReplayOfABodyNested200000LevelsDeep)
{
    QTemporaryDir dir;
    const QString capture = writeFile(dir, QStringLiteral("deep.jsonl"),
        captureEvent("deep", nested(200000), 1) + captureEvent("half-open", QByteArray(200000, '['), 2)
            + captureEvent("fine", "{\"workingSet\": 21.5}", 3));
    auto e = runDiag({ QStringLiteral("replay"), capture }, {}, 60000);
    ASSERT_TRUE(endedCleanly(e, { 0 }));
    EXPECT_TRUE(contains(e.out, "levels deep")) << "the body is said to be too deep";
    EXPECT_TRUE(contains(e.out, "[[[[")) << "and shown as text";
    EXPECT_TRUE(contains(e.out, "\"workingSet\":21.5")) << "the events after it are read";
    EXPECT_TRUE(contains(e.err, "Replayed 3 event(s)")) << e.err;

    e = runDiag({ QStringLiteral("replay"), capture, QStringLiteral("--validate"), QStringLiteral("--template"),
                    dataFile(Template) },
        {}, 60000);
    ASSERT_TRUE(endedCleanly(e, { 1 }));
    EXPECT_TRUE(contains(e.out, "invalid-json"));
    EXPECT_TRUE(contains(e.out, "levels deep"));
    EXPECT_TRUE(contains(e.err, "Replayed 3 event(s)")) << e.err;

    e = runDiag({ QStringLiteral("replay"), capture, QStringLiteral("--output"), QStringLiteral("text") }, {}, 60000);
    ASSERT_TRUE(endedCleanly(e, { 0 }));
}

TEST(HostileStream, ACompressedCaptureWithoutNewlinesEndsAndCountsTheSkippedLine)
{
    QTemporaryDir dir;
    const QString capture = noNewlines(dir, 50);
    const auto e = runDiag({ QStringLiteral("replay"), capture }, {}, 60000);
    ASSERT_TRUE(endedCleanly(e, { 0, 1 }));
    EXPECT_TRUE(contains(e.err, "Replayed 0 event(s)")) << e.err;
    EXPECT_TRUE(contains(e.err, "1 line(s) were not events")) << e.err;
    EXPECT_TRUE(contains(e.err, "1 of them longer than 16 MiB")) << e.err;
}

TEST(HostileStream, ScanLogOfMillionCharacterLines)
{
    QTemporaryDir dir;
    // A run of word characters (a regex repetition once recursed per character) and a code at the
    // very end of a 1,000,000-character line.
    const QString log = writeFile(dir, QStringLiteral("device.log"),
        "TLS: X509_V_ERR_" + std::string(300000, 'A') + "\n" + std::string(1000000 - 28, 'a')
            + " registration failed: 401002\n");
    const auto e = runDiag({ QStringLiteral("scan-log"), log }, {}, 120000);
    ASSERT_TRUE(endedCleanly(e, { 1 }));
    EXPECT_TRUE(contains(e.out, "\"401002\"")) << e.out.substr(0, 2000);
    EXPECT_TRUE(contains(e.out, "\"TLS_CERTIFICATE\"")) << e.out.substr(0, 2000);
}

TEST(HostileStream, DiagnoseWithAMillionCharacterDeviceLog)
{
    QTemporaryDir dir;
    const QString log = writeFile(dir, QStringLiteral("device.log"),
        "TLS: X509_V_ERR_" + std::string(300000, 'A') + "\n" + std::string(1000000, 'a') + " 401002\n");
    const auto e = runDiag({ QStringLiteral("diagnose"), QStringLiteral("healthy-controller"), QStringLiteral("--demo"),
                               QStringLiteral("--listen"), QStringLiteral("1"), QStringLiteral("--device-log"), log },
        {}, 150000);
    ASSERT_TRUE(endedCleanly(e, { 0, 1 }));
    EXPECT_TRUE(contains(e.out, "401002")) << e.out.substr(0, 2000);
}

TEST(HostileStream, ClosingTheMonitorDuringAReplayOfAnEndlessLineDoesNotWait)
{
    QTemporaryDir dir;
    const QString capture = noNewlines(dir, 200);
    auto monitor = std::make_unique<LiveMonitor>(nullptr, LiveMonitorOptions {});
    monitor->replay(capture);
    QElapsedTimer clock;
    clock.start();
    monitor.reset();
    EXPECT_LT(clock.elapsed(), 3000) << "the owner (the GUI thread) is let go at once";
}

TEST(HostileStream, AReplayThroughTheMonitorSaysWhatItSkipped)
{
    QTemporaryDir dir;
    const QString capture = noNewlines(dir, 20);
    LiveMonitor monitor(nullptr, LiveMonitorOptions {});
    QSignalSpy finished(&monitor, &LiveMonitor::replayFinished);
    monitor.replay(capture);
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_EQ(finished.at(0).at(0).toLongLong(), 0);
    EXPECT_EQ(finished.at(0).at(1).toLongLong(), 1) << "one line, not an event";
    EXPECT_TRUE(finished.at(0).at(2).toString().contains(QLatin1String("longer than 16 MiB")))
        << finished.at(0).at(2).toString().toStdString();
}

TEST(HostileStream, ClosingTheMonitorWhileTheAppDoesNotAnswerDoesNotWait)
{
    // The application never answers the request for its event hub tokens.
    HostileHttpServer server([](const QByteArray&) {
        ScriptedReply r;
        r.silent = true;
        return r;
    });
    auto profile = ConnectionProfile::forBaseUrl(server.baseUrl());
    profile.authorization = QStringLiteral("SharedAccessSignature sr=app&sig=x&skn=y&se=9999999999");
    profile.timeoutMs = 120000;
    profile.deadlineMs = 120000;
    auto client = std::make_shared<CentralClient>(profile);
    auto monitor = std::make_unique<LiveMonitor>(client, LiveMonitorOptions {});
    QSignalSpy status(monitor.get(), &LiveMonitor::statusChanged);
    monitor->start();
    ASSERT_TRUE(status.wait(10000));
    EXPECT_EQ(status.last().at(0).value<MonitorStatus>().phase, MonitorStatus::Phase::GettingTokens);
    QElapsedTimer clock;
    clock.start();
    monitor.reset();
    EXPECT_LT(clock.elapsed(), 3000) << "closing does not wait for the request's timeout";
}

TEST(HostileStream, ClosingTheMonitorDuringAReplayWhileTheAppNeverAnswersEndsItsThread)
{
    // Ten devices the application is asked about, and never answers: the worker waits in the
    // template lookup when the monitor goes.
    HostileHttpServer server(silence);
    std::string lines;
    for (int i = 0; i < 30; ++i)
        lines += captureEvent("dev-" + std::to_string(i % 10), "{\"workingSet\": 21.5}", i);
    QTemporaryDir dir;
    const QString capture = writeFile(dir, QStringLiteral("ten.jsonl"), lines);
    auto client = silentApp(server);
    const int unfinished = LiveMonitor::unfinishedThreads();
    auto monitor = std::make_unique<LiveMonitor>(client, LiveMonitorOptions {});
    monitor->replay(capture);
    ASSERT_TRUE(server.waitForRequests(1, 30000)) << "the replay asks the application for a template";
    QElapsedTimer clock;
    clock.start();
    monitor.reset();
    EXPECT_LT(clock.elapsed(), 2000) << "the owner waited for the thread's end, and not long";
    EXPECT_EQ(LiveMonitor::unfinishedThreads(), unfinished) << "no monitor thread left running behind";
}

// Senders the device list already told are never looked up one by one: only their template is
// asked for. Without the list, each sender costs a GET /devices/{id}.
TEST(HostileStream, SendersTheDeviceListToldAreNotLookedUpOneByOne)
{
    std::string lines;
    QList<Device> listed;
    for (int i = 0; i < 10; ++i) {
        lines += captureEvent("dev-" + std::to_string(i), "{\"workingSet\": 21.5}", i);
        Device d;
        d.id = QStringLiteral("dev-%1").arg(i);
        d.templateId = QStringLiteral("dtmi:example:Thermostat;1");
        d.provisioned = true;
        d.enabled = true;
        listed << d;
    }
    QTemporaryDir dir;
    const QString capture = writeFile(dir, QStringLiteral("ten.jsonl"), lines);
    auto deviceLookups = [&](bool seeded) {
        HostileHttpServer server([](const QByteArray&) {
            return ScriptedReply::answer(404, R"({"error":{"code":"NotFound","message":"not here"}})");
        });
        LiveMonitor monitor(silentApp(server), LiveMonitorOptions {});
        if (seeded)
            monitor.knowDevices(listed);
        QSignalSpy finished(&monitor, &LiveMonitor::replayFinished);
        monitor.replay(capture);
        EXPECT_TRUE(finished.wait(60000));
        EXPECT_EQ(finished.value(0).value(0).toLongLong(), 10);
        int lookups = 0;
        for (const auto& head : server.requests())
            lookups += head.startsWith("GET /api/devices/dev-") ? 1 : 0;
        return lookups;
    };
    EXPECT_EQ(deviceLookups(true), 0);
    EXPECT_GT(deviceLookups(false), 0) << "the control: unlisted senders are looked up";
}

TEST(HostileStream, ClosingTheMonitorClosesItsCaptureWhileTheAppNeverAnswers)
{
    // Events from a simulated event hub, templates from an application that never answers: the
    // worker has written the events to a compressed capture and waits in the lookup when it goes.
    sim::SimOptions o;
    o.rateHz = 0;
    o.extraRateHz = 0;
    sim::SimulatedApp app(o);
    const auto e = app.start();
    ASSERT_GT(app.injectTelemetry(QStringLiteral("healthy-controller"), 20), 0);
    HostileHttpServer server(silence);
    auto client = silentApp(server);
    QString error;
    LiveMonitorOptions options;
    options.target = EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);
    ASSERT_TRUE(options.target) << error.toStdString();
    options.consumer.start.kind = ConsumerStart::Kind::Beginning;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("capture.jsonl.gz"));
    const int unfinished = LiveMonitor::unfinishedThreads();
    auto monitor = std::make_unique<LiveMonitor>(client, options);
    monitor->startCapture(path);
    monitor->start();
    ASSERT_TRUE(server.waitForRequests(1, 60000)) << "events arrived, were captured, and a template is asked for";
    QElapsedTimer clock;
    clock.start();
    monitor.reset();
    EXPECT_LT(clock.elapsed(), 2000);
    EXPECT_EQ(LiveMonitor::unfinishedThreads(), unfinished);

    // Closed, not merely flushed: the gzip stream is complete (a reader would say "incomplete").
    qint64 bad = 0;
    QString readError;
    const qint64 events = readCapture(
        path, [](TelemetryEvent&&) { return true; }, bad, readError);
    EXPECT_TRUE(readError.isEmpty()) << readError.toStdString();
    EXPECT_GE(events, 1);
    EXPECT_EQ(bad, 0);
}
