// Issue 14, section 2, for the stream commands run as a user runs them (the real iotc-diag process):
// --properties sys,anno,app,all as the az CLI gives them, bodies that are not UTF-8, validate-messages'
// text output, SIGINT/SIGTERM at any moment, and a mistyped --device-id.
#include "simfixture.h"

#include "../hostile/hostilehttpserver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <gtest/gtest.h>

#include <csignal>
#include <functional>

#include <signal.h>

using namespace iotc;

namespace {

struct Ended {
    int exitCode = -1;
    bool crashed = false;
    qint64 ms = 0;
    QByteArray out;
    QByteArray err;
    std::vector<QJsonObject> lines; // stdout's JSON lines
    QString label;
};

void finish(QProcess& p, Ended& r, const QElapsedTimer& clock, int timeoutMs)
{
    EXPECT_TRUE(p.waitForFinished(timeoutMs)) << r.label.toStdString();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.ms = clock.elapsed();
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitCode();
    r.out += p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    for (const auto& line : r.out.split('\n'))
        if (line.startsWith('{'))
            r.lines.push_back(QJsonDocument::fromJson(line).object());
}

Ended diag(const QStringList& args, int timeoutMs = 60000)
{
    QProcess p;
    Ended r;
    r.label = args.join(QLatin1Char(' '));
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForStarted(10000));
    p.closeWriteChannel();
    finish(p, r, clock, timeoutMs);
    return r;
}

// When the signal goes: a fixed delay after the process started, or once `ready` says so.
struct When {
    int delayMs = 0;
    std::function<bool(QProcess&, QByteArray& err)> ready; // polled until true (bounded)
    std::string name() const { return ready ? "when ready" : std::to_string(delayMs) + " ms"; }
};

// Runs iotc-diag and sends it `signal` at `when`. At 0 ms the child starts with SIGINT and SIGTERM
// blocked (as a parent may leave them): the signal is then pending when iotc-diag's own code first
// runs, which is the earliest it can be handled (before that the dynamic loader runs, a few ms in
// which no program can catch a signal).
Ended signalled(const QStringList& args, int signal, const When& when, int timeoutMs = 30000)
{
    QProcess p;
    Ended r;
    r.label = args.join(QLatin1Char(' ')) + QStringLiteral(" / signal %1 at ").arg(signal)
        + QString::fromStdString(when.name());
    // Blocked from exec until the program's handlers exist (it unblocks them then): a signal
    // before its first instruction (20 ms can be that, under AddressSanitizer on a busy machine)
    // would otherwise end it by the default action, which no program can prevent.
    p.setChildProcessModifier([] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, nullptr);
    });
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForStarted(10000));
    p.closeWriteChannel();
    if (when.ready) {
        QElapsedTimer waited;
        waited.start();
        while (!when.ready(p, r.err) && waited.elapsed() < 20000 && p.state() == QProcess::Running)
            p.waitForReadyRead(50);
        EXPECT_LT(waited.elapsed(), 20000) << r.label.toStdString() << ": never ready";
    } else if (when.delayMs > 0) {
        QThread::msleep(static_cast<unsigned long>(when.delayMs));
    }
    ::kill(static_cast<pid_t>(p.processId()), signal);
    finish(p, r, clock, timeoutMs);
    return r;
}

// Ready once stderr says the stream is being read.
When onceMonitoring(int thenMs = 0)
{
    return { 0, [thenMs](QProcess& p, QByteArray& err) {
                err += p.readAllStandardError();
                if (!err.contains("Monitoring"))
                    return false;
                QThread::msleep(static_cast<unsigned long>(thenMs));
                return true;
            } };
}

QJsonObject eventOf(const QJsonObject& line)
{
    return line.value(QStringLiteral("event")).toObject();
}

QStringList args(std::initializer_list<const char*> words)
{
    QStringList out;
    for (const char* w : words)
        out << QString::fromUtf8(w);
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// --properties

TEST(StreamProperties, SysAnnoAppAndAllShowWhatTheAzCliShows)
{
    const QStringList base = args({ "monitor-events", "--demo", "--device-id", "healthy-controller", "--max-messages",
        "1", "--timeout", "30", "--properties" });
    // sys: the AMQP properties section under the az CLI's names; nothing else.
    auto r = diag(base + QStringList { QStringLiteral("sys") });
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    ASSERT_EQ(r.lines.size(), 1u) << r.out.toStdString();
    auto e = eventOf(r.lines[0]);
    auto system = e.value(QStringLiteral("properties")).toObject().value(QStringLiteral("system")).toObject();
    EXPECT_TRUE(system.value(QStringLiteral("message_id")).toString().startsWith(QStringLiteral("healthy-controller-")))
        << r.out.toStdString();
    EXPECT_EQ(system.value(QStringLiteral("content_type")).toString(), QStringLiteral("application/json"));
    EXPECT_EQ(system.value(QStringLiteral("content_encoding")).toString(), QStringLiteral("utf-8"));
    EXPECT_FALSE(e.contains(QStringLiteral("annotations")));
    EXPECT_FALSE(e.value(QStringLiteral("properties")).toObject().contains(QStringLiteral("application")));

    // anno: every annotation IoT Hub stamped, as received (typed), not a rebuilt subset; properties is
    // there (empty), as the az CLI prints it whenever --properties is given.
    r = diag(base + QStringList { QStringLiteral("anno") });
    ASSERT_EQ(r.lines.size(), 1u) << r.err.toStdString();
    e = eventOf(r.lines[0]);
    const auto annotations = e.value(QStringLiteral("annotations")).toObject();
    for (const char* key : { "iothub-connection-device-id", "iothub-connection-auth-method",
             "iothub-connection-auth-generation-id", "iothub-enqueuedtime", "iothub-message-source", "dt-dataschema",
             "x-opt-sequence-number", "x-opt-offset", "x-opt-enqueued-time" })
        EXPECT_TRUE(annotations.contains(QLatin1String(key))) << key << "\n" << r.out.toStdString();
    EXPECT_FALSE(annotations.contains(QStringLiteral("iothub-connection-module-id"))) << "not sent: not invented";
    EXPECT_TRUE(annotations.value(QStringLiteral("iothub-enqueuedtime")).isDouble()) << "a timestamp, as a number";
    EXPECT_TRUE(annotations.value(QStringLiteral("x-opt-offset")).isString());
    EXPECT_EQ(annotations.value(QStringLiteral("x-opt-sequence-number")).toInteger(),
        e.value(QStringLiteral("sequenceNumber")).toInteger());
    EXPECT_EQ(e.value(QStringLiteral("properties")).toObject(), QJsonObject {});

    // app: the application properties, and all (any case) every section.
    r = diag(base + QStringList { QStringLiteral("app") });
    ASSERT_EQ(r.lines.size(), 1u) << r.err.toStdString();
    EXPECT_TRUE(
        eventOf(r.lines[0]).value(QStringLiteral("properties")).toObject().contains(QStringLiteral("application")));
    for (const char* all : { "ALL", "sys,anno,app", "anno,All" }) {
        r = diag(base + QStringList { QLatin1String(all) });
        ASSERT_EQ(r.lines.size(), 1u) << all << r.err.toStdString();
        e = eventOf(r.lines[0]);
        const auto properties = e.value(QStringLiteral("properties")).toObject();
        EXPECT_TRUE(properties.contains(QStringLiteral("system"))) << all;
        EXPECT_TRUE(properties.contains(QStringLiteral("application"))) << all;
        EXPECT_TRUE(e.contains(QStringLiteral("annotations"))) << all;
    }
    // Without --properties: none of them.
    r = diag(base.mid(0, base.size() - 1));
    ASSERT_EQ(r.lines.size(), 1u) << r.err.toStdString();
    EXPECT_FALSE(eventOf(r.lines[0]).contains(QStringLiteral("properties")));
    EXPECT_FALSE(eventOf(r.lines[0]).contains(QStringLiteral("annotations")));

    // Text: a block per section.
    r = diag(base + QStringList { QStringLiteral("sys,anno"), QStringLiteral("--output"), QStringLiteral("text") });
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains("\n    system:\n      message_id: healthy-controller-")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("\n    annotations:\n")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("\n      iothub-enqueuedtime: ")) << r.out.toStdString();

    // A value that is none of them is a usage error, before anything starts.
    for (const char* bad : { "foo", "sys,foo", "annotations" }) {
        r = diag(args({ "monitor-events", "--demo", "--properties", bad }));
        EXPECT_EQ(r.exitCode, 2) << bad;
        EXPECT_TRUE(r.err.contains("--properties")) << r.err.toStdString();
        EXPECT_FALSE(r.err.contains("Monitoring")) << bad;
    }
}

class StreamCliWithSim : public test::QuietSimSuite<StreamCliWithSim> { };

// IoT Hub's own events carry a correlation-id: a twin change shows it under properties.system.
TEST_F(StreamCliWithSim, ATwinChangeEventShowsItsCorrelationId)
{
    const auto patched = test::http("PATCH", test::apiUrl(e, QStringLiteral("/devices/healthy-controller/properties")),
        e.apiToken, R"({"thermostat1": {"targetTemperature": 23.5}})");
    ASSERT_EQ(patched.status, 200) << patched.body.toStdString();
    const auto r = diag({ QStringLiteral("monitor-events"), QStringLiteral("--eventhub-connection-string"),
        e.eventHubConnectionString, QStringLiteral("--start"), QStringLiteral("beginning"),
        QStringLiteral("--max-messages"), QStringLiteral("1"), QStringLiteral("--properties"), QStringLiteral("all"),
        QStringLiteral("--timeout"), QStringLiteral("30") });
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    ASSERT_EQ(r.lines.size(), 1u) << r.out.toStdString();
    const auto event = eventOf(r.lines[0]);
    const auto properties = event.value(QStringLiteral("properties")).toObject();
    const QString correlation
        = properties.value(QStringLiteral("system")).toObject().value(QStringLiteral("correlation_id")).toString();
    EXPECT_EQ(correlation.size(), 12) << r.out.toStdString();
    EXPECT_EQ(properties.value(QStringLiteral("application")).toObject().value(QStringLiteral("opType")).toString(),
        QStringLiteral("updateTwin"));
    EXPECT_EQ(
        event.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("iothub-message-source")).toString(),
        QStringLiteral("twinChangeEvents"));
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not UTF-8

TEST(StreamBodies, NonUtf8BodiesAreDecodedWithTheirEncodingNamedNeverMangled)
{
    const QByteArray replacement("\xEF\xBF\xBD");
    // The demo's Latin-1 device (declared iso-8859-1) and UTF-16 device (with a BOM).
    auto r = diag(args(
        { "monitor-events", "--demo", "--device-id", "latin1-encoding", "--max-messages", "1", "--timeout", "30" }));
    ASSERT_EQ(r.lines.size(), 1u) << r.err.toStdString();
    auto e = eventOf(r.lines[0]);
    EXPECT_EQ(e.value(QStringLiteral("payload")).toObject().value(QStringLiteral("site")).toString(),
        QStringLiteral("Caf\u00e9"));
    EXPECT_EQ(e.value(QStringLiteral("payloadEncoding")).toString(), QStringLiteral("ISO-8859-1"));
    EXPECT_FALSE(r.out.contains(replacement));

    r = diag(
        args({ "monitor-events", "--demo", "--device-id", "utf16-body", "--max-messages", "1", "--timeout", "30" }));
    ASSERT_EQ(r.lines.size(), 1u) << r.err.toStdString();
    e = eventOf(r.lines[0]);
    EXPECT_TRUE(e.value(QStringLiteral("payload")).toObject().value(QStringLiteral("temperature")).isDouble())
        << r.out.toStdString();
    EXPECT_EQ(e.value(QStringLiteral("payloadEncoding")).toString(), QStringLiteral("UTF-16 LE"));

    // Text: the encoding named before the decoded body; device, module and component kept.
    r = diag(args({ "monitor-events", "--demo", "--device-id", "latin1-encoding", "--max-messages", "1", "--timeout",
        "30", "--output", "text" }));
    EXPECT_TRUE(r.out.contains("  latin1-encoding  [ISO-8859-1] {")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Caf\xC3\xA9")) << r.out.toStdString();
    EXPECT_FALSE(r.out.contains(replacement));
    r = diag(args({ "monitor-events", "--demo", "--device-id", "utf16-body", "--max-messages", "1", "--timeout", "30",
        "--output", "text" }));
    EXPECT_TRUE(r.out.contains("  utf16-body (thermostat1)  [UTF-16 LE] {\"temperature\": ")) << r.out.toStdString();
    r = diag(args({ "monitor-events", "--demo", "--device-id", "edge-gateway-*", "--max-messages", "1", "--timeout",
        "30", "--output", "text" }));
    EXPECT_TRUE(r.out.contains("/sensor (probe)  {")) << "the module id is kept: " << r.out.toStdString();
}

TEST(StreamBodies, ABodyNoEncodingReadsIsShownInBase64WithWhy)
{
    // Captured events (replay reads what capture writes): UTF-16 without a BOM and undeclared, and
    // Latin-1 bytes that say nothing of their encoding.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bodies.jsonl"));
    auto line = [](const char* device, const QByteArray& body) {
        const QJsonObject annotations { { QStringLiteral("iothub-connection-device-id"), QLatin1String(device) },
            { QStringLiteral("x-opt-sequence-number"), 1 },
            { QStringLiteral("x-opt-enqueued-time"), qint64(1700000000000) } };
        return QJsonDocument(QJsonObject { { QStringLiteral("annotations"), annotations },
                                 { QStringLiteral("bodyBase64"), QString::fromLatin1(body.toBase64()) },
                                 { QStringLiteral("contentType"), QStringLiteral("application/json") } })
                   .toJson(QJsonDocument::Compact)
            + '\n';
    };
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(line("utf16-nobom", QByteArray("{\0\"\0t\0\"\0:\0001\0}\0", 14)));
    f.write(line("latin1-undeclared", QByteArray("{\"site\":\"Caf\xE9\"}")));
    f.close();
    auto r = diag({ QStringLiteral("replay"), file });
    ASSERT_EQ(r.lines.size(), 2u) << r.err.toStdString();
    auto e = eventOf(r.lines[0]);
    EXPECT_EQ(e.value(QStringLiteral("payload")).toObject().value(QStringLiteral("t")).toInt(), 1)
        << r.out.toStdString();
    EXPECT_EQ(e.value(QStringLiteral("payloadEncoding")).toString(), QStringLiteral("UTF-16 LE"));
    e = eventOf(r.lines[1]);
    EXPECT_EQ(e.value(QStringLiteral("payloadEncoding")).toString(), QStringLiteral("base64"));
    EXPECT_EQ(QByteArray::fromBase64(e.value(QStringLiteral("payload")).toString().toLatin1()),
        QByteArray("{\"site\":\"Caf\xE9\"}"));
    EXPECT_TRUE(e.value(QStringLiteral("payloadNote")).toString().contains(QStringLiteral("not valid UTF-8")))
        << r.out.toStdString();
    EXPECT_FALSE(r.out.contains("\xEF\xBF\xBD"));
    r = diag({ QStringLiteral("replay"), file, QStringLiteral("--output"), QStringLiteral("text") });
    EXPECT_TRUE(r.out.contains("  utf16-nobom  [UTF-16 LE] {\"t\":1}")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("  latin1-undeclared  [base64: not valid UTF-8")) << r.out.toStdString();
    EXPECT_FALSE(r.out.contains("\xEF\xBF\xBD"));
}

// ---------------------------------------------------------------------------------------------
// validate-messages --output text, replay --validate --output text

TEST(ValidateText, AProgressLineWhileNothingIsWrongAndASummaryByTheMinimumSeverity)
{
    auto r = diag(args({ "validate-messages", "--demo", "--device-id", "healthy-controller", "--max-messages", "3",
        "--timeout", "30", "--output", "text" }));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.startsWith("Checked 1 message(s) so far: no issues.\n")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Summary: 3 message(s) in ")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("  healthy-controller  3 message(s)  no issues\n")) << r.out.toStdString();
    EXPECT_TRUE(r.lines.empty()) << "text, not JSON";

    // wrong-casing sends warnings: below --minimum-severity error they are neither printed nor counted,
    // while its messages are.
    r = diag(args({ "validate-messages", "--demo", "--device-id", "wrong-casing", "--max-messages", "2", "--timeout",
        "30", "--output", "text", "--minimum-severity", "error" }));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_FALSE(r.out.contains("unmodeled-capability")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Checked 1 message(s) so far: no issues at or above error.")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("  wrong-casing  2 message(s)  no issues\n")) << r.out.toStdString();
    r = diag(args({ "validate-messages", "--demo", "--device-id", "wrong-casing", "--max-messages", "2", "--timeout",
        "30", "--minimum-severity", "error" }));
    ASSERT_FALSE(r.lines.empty()) << r.err.toStdString();
    const auto device = r.lines.back()
                            .value(QStringLiteral("summary"))
                            .toObject()
                            .value(QStringLiteral("devices"))
                            .toObject()
                            .value(QStringLiteral("wrong-casing"))
                            .toObject();
    EXPECT_EQ(device.value(QStringLiteral("messages")).toInt(), 2);
    EXPECT_EQ(device.value(QStringLiteral("issues")).toObject(), QJsonObject {}) << "JSON's summary alike";
    // At the default (info) the warnings are printed, and counted.
    r = diag(args({ "validate-messages", "--demo", "--device-id", "wrong-casing", "--max-messages", "2", "--timeout",
        "30", "--output", "text" }));
    EXPECT_TRUE(r.out.contains("wrong-casing at ")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("  wrong-casing  2 message(s)  unmodeled-capability x2\n")) << r.out.toStdString();
    EXPECT_FALSE(r.out.contains("Checked ")) << "issues were printed: no progress line needed";
}

TEST(ValidateText, ReplayValidateWithTextOutputPrintsText)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("two.jsonl"));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    for (const auto& [device, body] :
        { std::pair { "dev-a", "{\"temperature\": 21.5,}" }, std::pair { "dev-b", "{\"temperature\": 21.5}" } }) {
        const QJsonObject annotations { { QStringLiteral("iothub-connection-device-id"), QLatin1String(device) },
            { QStringLiteral("x-opt-sequence-number"), 1 },
            { QStringLiteral("x-opt-enqueued-time"), qint64(1700000000000) } };
        f.write(QJsonDocument(QJsonObject { { QStringLiteral("annotations"), annotations },
                                  { QStringLiteral("bodyBase64"), QString::fromLatin1(QByteArray(body).toBase64()) },
                                  { QStringLiteral("contentType"), QStringLiteral("application/json") },
                                  { QStringLiteral("contentEncoding"), QStringLiteral("utf-8") } })
                    .toJson(QJsonDocument::Compact)
            + '\n');
    }
    f.close();
    const auto r = diag({ QStringLiteral("replay"), file, QStringLiteral("--validate"), QStringLiteral("--output"),
        QStringLiteral("text") });
    EXPECT_EQ(r.exitCode, 1) << "invalid JSON is an error";
    EXPECT_TRUE(r.lines.empty()) << "no JSON: " << r.out.toStdString();
    EXPECT_TRUE(r.out.startsWith("dev-a at 2023-11-14T22:13:20.000Z:\n")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("\n  [x] error invalid-json: ")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Summary: 2 message(s) (end of the capture)")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("  dev-b  1 message(s)  template-unavailable x1")) << r.out.toStdString();
}

// ---------------------------------------------------------------------------------------------
// SIGINT and SIGTERM at any moment

TEST(StreamSignals, ValidateMessagesEndsWithItsSummaryWheneverTheSignalComes)
{
    const QStringList command
        = args({ "validate-messages", "--demo", "--device-id", "healthy-controller", "--timeout", "60" });
    std::vector<std::pair<int, When>> cases;
    for (int ms : { 0, 20, 60, 150, 400 })
        cases.push_back({ SIGINT, When { ms, {} } });
    for (int ms : { 0, 150 })
        cases.push_back({ SIGTERM, When { ms, {} } });
    cases.push_back({ SIGINT, onceMonitoring() });
    cases.push_back({ SIGTERM, onceMonitoring(1500) });
    for (const auto& [signal, when] : cases) {
        const Ended r = signalled(command, signal, when);
        const std::string label = r.label.toStdString();
        EXPECT_FALSE(r.crashed) << label << ": ended by the signal, not by itself";
        EXPECT_EQ(r.exitCode, 0) << label << "\n" << r.err.toStdString();
        EXPECT_LT(r.ms, 15000) << label;
        ASSERT_FALSE(r.lines.empty()) << label << "\n" << r.out.toStdString() << r.err.toStdString();
        const auto summary = r.lines.back().value(QStringLiteral("summary")).toObject();
        EXPECT_EQ(summary.value(QStringLiteral("reason")).toString(), QStringLiteral("interrupted")) << label;
        EXPECT_TRUE(summary.contains(QStringLiteral("messages"))) << label;
    }
}

TEST(StreamSignals, MonitorEventsAndCaptureSayWhatTheyGotWheneverTheSignalComes)
{
    for (const When& when : { When { 0, {} }, When { 60, {} }, When { 400, {} }, onceMonitoring(800) }) {
        const Ended r = signalled(args({ "monitor-events", "--demo", "--timeout", "60" }), SIGINT, when);
        const std::string label = r.label.toStdString();
        EXPECT_FALSE(r.crashed) << label;
        EXPECT_EQ(r.exitCode, 0) << label << "\n" << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(" event(s) (interrupted)")) << label << "\n" << r.err.toStdString();
    }
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("c.jsonl"));
    Ended r = signalled(
        args({ "capture", "--demo", "--timeout", "60", "--out" }) + QStringList { out }, SIGTERM, { 0, {} });
    EXPECT_FALSE(r.crashed);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("Captured 0 event(s) (interrupted")) << r.err.toStdString();
    r = signalled(
        args({ "capture", "--demo", "--timeout", "60", "--out" }) + QStringList { out }, SIGTERM, { 1500, {} });
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("event(s) to " + out.toUtf8() + " (interrupted)")) << r.err.toStdString();
    EXPECT_TRUE(QFile::exists(out));
}

// The application is asked for its event hubs (or for the device) and does not answer: a signal
// ends the wait at once, with the summary.
// Ctrl-C while diagnose listens stops the listening; the diagnosis still ends with what it saw.
TEST(StreamSignals, DiagnoseStopsListeningAndStillGivesItsVerdict)
{
    const When listening { 0, [](QProcess& p, QByteArray& err) {
                              err += p.readAllStandardError();
                              return err.contains("Listening for the device's data");
                          } };
    const Ended r = signalled(
        args({ "diagnose", "healthy-controller", "--demo", "--listen", "120", "--output", "text" }), SIGINT, listening);
    const std::string label = r.label.toStdString();
    EXPECT_FALSE(r.crashed) << label << ": ended by the signal, not by itself";
    EXPECT_LT(r.ms, 60000) << label << ": did not wait out the 120 s";
    EXPECT_TRUE(r.out.contains("stopped early by the user")) << label << "\n" << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Checks:")) << label << "\n" << r.out.toStdString();
}

TEST(StreamSignals, ASignalWhileTheApplicationIsAskedEndsWithTheSummary)
{
    hostile::HostileHttpServer silent([](const QByteArray&) {
        hostile::ScriptedReply r;
        r.silent = true;
        return r;
    });
    ASSERT_TRUE(silent.listening());
    const QStringList connection { QStringLiteral("--base-url"), silent.baseUrl(), QStringLiteral("--token"),
        QStringLiteral("SharedAccessSignature sr=x&sig=y&se=1") };
    int asked = 0;
    for (const auto& [command, extra, expected] : {
             std::tuple { "validate-messages", QStringList {}, "generateEventSasTokens" },
             std::tuple { "validate-messages",
                 QStringList { QStringLiteral("--device-id"), QStringLiteral("boiler-17") }, "/api/devices/boiler-17" },
             std::tuple { "monitor-events", QStringList {}, "generateEventSasTokens" },
         }) {
        const int before = asked++;
        const When duringLookup { 0,
            [&silent, before](QProcess&, QByteArray&) { return silent.waitForRequests(before + 1, 50); } };
        const Ended r = signalled(QStringList { QLatin1String(command) } + connection + extra
                + QStringList { QStringLiteral("--timeout"), QStringLiteral("60") },
            SIGINT, duringLookup);
        const std::string label = r.label.toStdString();
        ASSERT_GE(silent.requests().size(), asked) << label;
        EXPECT_TRUE(silent.requests().at(before).contains(expected))
            << label << silent.requests().at(before).toStdString();
        EXPECT_FALSE(r.crashed) << label;
        EXPECT_EQ(r.exitCode, 0) << label << "\n" << r.err.toStdString();
        EXPECT_LT(r.ms, 10000) << label << ": not after the request's timeout";
        if (QLatin1String(command) == QLatin1String("validate-messages")) {
            ASSERT_EQ(r.lines.size(), 1u) << label << r.out.toStdString();
            const auto summary = r.lines[0].value(QStringLiteral("summary")).toObject();
            EXPECT_EQ(summary.value(QStringLiteral("reason")).toString(), QStringLiteral("interrupted"));
            EXPECT_EQ(summary.value(QStringLiteral("messages")).toInt(), 0);
        } else {
            EXPECT_TRUE(r.err.contains("0 event(s) (interrupted)")) << label << r.err.toStdString();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A mistyped --device-id

TEST(StreamDeviceCheck, AnIdTheApplicationDoesNotKnowIsRefusedWithADidYouMean)
{
    QTemporaryDir dir;
    for (const char* command : { "monitor-events", "validate-messages", "capture" }) {
        QStringList words { QLatin1String(command), QStringLiteral("--demo"), QStringLiteral("--device-id"),
            QStringLiteral("wrong-casnig"), QStringLiteral("--timeout"), QStringLiteral("30") };
        if (QLatin1String(command) == QLatin1String("capture"))
            words << QStringLiteral("--out") << dir.filePath(QStringLiteral("never.jsonl"));
        const auto r = diag(words);
        const std::string label = command;
        EXPECT_EQ(r.exitCode, 2) << label << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QByteArray("iotc-diag ") + command
            + ": no device wrong-casnig in this application; did you mean wrong-casing?"))
            << label << "\n"
            << r.err.toStdString();
        EXPECT_TRUE(r.out.isEmpty()) << label << r.out.toStdString();
        EXPECT_FALSE(r.err.contains("Monitoring")) << label << ": refused before listening";
    }
    EXPECT_FALSE(QFile::exists(dir.filePath(QStringLiteral("never.jsonl"))));
    // A pattern is no id: not looked up.
    const auto r = diag(
        args({ "monitor-events", "--demo", "--device-id", "wrong-cas*", "--max-messages", "1", "--timeout", "30" }));
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(r.lines.size(), 1u);
}

TEST_F(StreamCliWithSim, ALookupThatFailsOtherwiseDoesNotStopTheMonitor)
{
    ASSERT_GT(app->injectTelemetry(QStringLiteral("healthy-controller"), 1), 0);
    hostile::HostileHttpServer refusing(
        [](const QByteArray&) { return hostile::ScriptedReply::answer(403, R"({"error":{"code":"Forbidden"}})"); });
    const QStringList common { QStringLiteral("monitor-events"), QStringLiteral("--eventhub-connection-string"),
        e.eventHubConnectionString, QStringLiteral("--start"), QStringLiteral("beginning") };
    auto r = diag(common
        + QStringList { QStringLiteral("--timeout"), QStringLiteral("30"), QStringLiteral("--base-url"),
            refusing.baseUrl(), QStringLiteral("--token"), QStringLiteral("SharedAccessSignature sr=x&sig=y&se=1"),
            QStringLiteral("--device-id"), QStringLiteral("healthy-controller"), QStringLiteral("--max-messages"),
            QStringLiteral("1") });
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_EQ(r.lines.size(), 1u) << r.out.toStdString();
    EXPECT_TRUE(r.err.contains("could not check that device healthy-controller exists")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("listening anyway")) << r.err.toStdString();
    EXPECT_EQ(refusing.requests().size(), 1) << "the one lookup";
    // An Event Hubs connection string alone has no application to ask: the id is not checked.
    r = diag(common
        + QStringList { QStringLiteral("--device-id"), QStringLiteral("no-such-device"), QStringLiteral("--timeout"),
            QStringLiteral("2") });
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("0 event(s) (timeout)")) << r.err.toStdString();
}
