// monitor-events, validate-messages, capture and replay as a user runs them, against --demo.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace {

struct Run {
    int exitCode = -1;
    std::vector<QJsonObject> lines;
    QByteArray err;
};

Run diag(const QStringList& args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForFinished(timeoutMs)) << args.join(QLatin1Char(' ')).toStdString();
    Run r;
    r.exitCode = p.exitCode();
    r.err = p.readAllStandardError();
    for (const auto& line : p.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            r.lines.push_back(QJsonDocument::fromJson(line).object());
    }
    return r;
}

QStringList codesOf(const QJsonObject& line)
{
    QStringList codes;
    for (const auto& i : line.value(QStringLiteral("issues")).toArray())
        codes << i.toObject().value(QStringLiteral("code")).toString();
    return codes;
}

TEST(MonitorCommands, ValidateMessagesFlagsTheCasingAndEndsWithASummary)
{
    const auto r = diag({ QStringLiteral("validate-messages"), QStringLiteral("--demo"), QStringLiteral("--device-id"),
        QStringLiteral("wrong-casing"), QStringLiteral("--max-messages"), QStringLiteral("2"),
        QStringLiteral("--timeout"), QStringLiteral("30") });
    ASSERT_EQ(r.lines.size(), 3u) << r.err.toStdString();
    for (size_t i = 0; i < 2; ++i) {
        const auto event = r.lines[i].value(QStringLiteral("event")).toObject();
        EXPECT_EQ(event.value(QStringLiteral("origin")).toString(), QStringLiteral("wrong-casing"));
        EXPECT_TRUE(event.value(QStringLiteral("payload")).toObject().contains(QStringLiteral("Temperature")));
        EXPECT_EQ(codesOf(r.lines[i]), QStringList { QStringLiteral("unmodeled-capability") });
    }
    const auto summary = r.lines[2].value(QStringLiteral("summary")).toObject();
    EXPECT_EQ(summary.value(QStringLiteral("messages")).toInt(), 2);
    EXPECT_EQ(summary.value(QStringLiteral("reason")).toString(), QStringLiteral("max-messages"));
    EXPECT_EQ(summary.value(QStringLiteral("devices"))
                  .toObject()
                  .value(QStringLiteral("wrong-casing"))
                  .toObject()
                  .value(QStringLiteral("issues"))
                  .toObject()
                  .value(QStringLiteral("unmodeled-capability"))
                  .toInt(),
        2);
    EXPECT_EQ(r.exitCode, 0) << "warnings only";
}

TEST(MonitorCommands, TimeoutStillPrintsTheSummary)
{
    // A pattern (a plain id the application does not have is refused before listening).
    const auto r = diag({ QStringLiteral("validate-messages"), QStringLiteral("--demo"), QStringLiteral("--device-id"),
        QStringLiteral("no-such-device*"), QStringLiteral("--timeout"), QStringLiteral("2") });
    ASSERT_FALSE(r.lines.empty()) << r.err.toStdString();
    const auto summary = r.lines.back().value(QStringLiteral("summary")).toObject();
    EXPECT_EQ(summary.value(QStringLiteral("reason")).toString(), QStringLiteral("timeout"));
    EXPECT_EQ(summary.value(QStringLiteral("messages")).toInt(), 0);
}

TEST(MonitorCommands, MonitorEventsWithAnnotations)
{
    const auto r = diag({ QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--device-id"),
        QStringLiteral("edge-gateway-*"), QStringLiteral("--max-messages"), QStringLiteral("3"),
        QStringLiteral("--properties"), QStringLiteral("all"), QStringLiteral("--timeout"), QStringLiteral("30") });
    EXPECT_EQ(r.exitCode, 0);
    ASSERT_EQ(r.lines.size(), 3u) << r.err.toStdString();
    for (const auto& line : r.lines) {
        const auto e = line.value(QStringLiteral("event")).toObject();
        for (const char* key : { "origin", "module", "component", "interface", "partition", "sequenceNumber",
                 "enqueuedTime", "payload", "annotations" })
            EXPECT_TRUE(e.contains(QLatin1String(key))) << key;
        EXPECT_EQ(e.value(QStringLiteral("module")).toString(), QStringLiteral("sensor"));
        EXPECT_TRUE(e.value(QStringLiteral("origin")).toString().startsWith(QStringLiteral("edge-gateway-")));
    }
}

TEST(MonitorCommands, CaptureThenReplayValidated)
{
    QTemporaryDir dir;
    for (const QString& name : { QStringLiteral("capture.jsonl"), QStringLiteral("capture.jsonl.gz") }) {
        const QString file = dir.filePath(name);
        auto r = diag({ QStringLiteral("capture"), QStringLiteral("--demo"), QStringLiteral("--out"), file,
            QStringLiteral("--device-id"), QStringLiteral("string-for-double"), QStringLiteral("--max-messages"),
            QStringLiteral("3"), QStringLiteral("--timeout"), QStringLiteral("30") });
        ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains("Captured 3 event(s)")) << r.err.toStdString();
        QFile f(file);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        EXPECT_EQ(f.read(2) == QByteArray("\x1f\x8b", 2), name.endsWith(QLatin1String(".gz"))) << name.toStdString();
        r = diag({ QStringLiteral("replay"), file, QStringLiteral("--validate"), QStringLiteral("--template"),
            QStringLiteral(IOTC_TEST_DATA_DIR "/dtdl/dtmi/com/example/temperaturecontroller-2.json") });
        EXPECT_EQ(r.exitCode, 1) << "schema mismatches are errors";
        ASSERT_EQ(r.lines.size(), 3u) << name.toStdString();
        for (const auto& line : r.lines) {
            EXPECT_EQ(codesOf(line), QStringList { QStringLiteral("schema-mismatch") });
            EXPECT_EQ(line.value(QStringLiteral("event")).toObject().value(QStringLiteral("component")).toString(),
                QStringLiteral("thermostat1"));
        }
    }
}

TEST(MonitorCommands, BadStartAndNoSource)
{
    auto r = diag({ QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--start"),
        QStringLiteral("yesterday") });
    EXPECT_EQ(r.exitCode, 2);
    r = diag({ QStringLiteral("monitor-events") });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("eventhub-connection-string"));
}

// The stream commands start as every command does (the command table's options, its usage errors),
// and judge their own options before anything connects: --demo is never started for a bad value.
TEST(MonitorCommands, UsageProblemsComeFromTheCommandTable)
{
    const std::vector<std::pair<QStringList, const char*>> cases {
        { { QStringLiteral("monitor-events"), QStringLiteral("extra") },
            "iotc-diag monitor-events: unexpected argument extra\nusage: iotc-diag monitor-events " },
        { { QStringLiteral("validate-messages"), QStringLiteral("--bogus") }, "usage: iotc-diag validate-messages " },
        { { QStringLiteral("capture"), QStringLiteral("--demo") }, "iotc-diag capture: --out FILE is required" },
        { { QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--properties"),
              QStringLiteral("anno,bogus") },
            "--properties" },
        { { QStringLiteral("validate-messages"), QStringLiteral("--demo"), QStringLiteral("--timeout"),
              QStringLiteral("-1") },
            "--timeout" },
        { { QStringLiteral("replay") }, "iotc-diag replay: give one FILE\nusage: iotc-diag replay FILE" },
        { { QStringLiteral("replay"), QStringLiteral("a"), QStringLiteral("b") }, "unexpected argument b" },
        { { QStringLiteral("replay"), QStringLiteral("a"), QStringLiteral("--output"), QStringLiteral("yaml") },
            "iotc-diag replay: invalid value for --output: yaml" },
    };
    for (const auto& [args, message] : cases) {
        const auto r = diag(args, 20000);
        const std::string label = args.join(QLatin1Char(' ')).toStdString();
        EXPECT_EQ(r.exitCode, 2) << label;
        EXPECT_TRUE(r.lines.empty()) << label;
        EXPECT_TRUE(r.err.contains(message)) << label << "\n" << r.err.toStdString();
        EXPECT_FALSE(r.err.contains("Monitoring")) << label << ": refused before anything connects";
    }
}

// --timeout is the run's length for the stream commands, not the REST bound (1 to 600 s).
TEST(MonitorCommands, TimeoutIsTheRunLengthNotTheRequestBound)
{
    const auto r = diag({ QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--device-id"),
        QStringLiteral("wrong-casing"), QStringLiteral("--max-messages"), QStringLiteral("1"),
        QStringLiteral("--timeout"), QStringLiteral("3600") });
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    ASSERT_EQ(r.lines.size(), 1u) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("until 3600 s have passed or 1 messages arrived")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("1 event(s) (max-messages)")) << r.err.toStdString();
}

// An event stream that cannot be read is no quiet device (issue 14): the stream commands end
// early, exit 2 and say why, instead of "0 event(s) (timeout)" and exit 0.
TEST(MonitorCommands, AnUnreachableEventHubEndsTheStreamCommandsEarlyWithTheReason)
{
    for (const char* authority : { "127.0.0.1:1", "nonexistent.invalid" }) {
        const QString cs = QStringLiteral("Endpoint=sb://") + QLatin1String(authority)
            + QStringLiteral("/;SharedAccessKeyName=s;SharedAccessKey=AAAA;EntityPath=x");
        for (const char* command : { "monitor-events", "validate-messages" }) {
            const std::string label = std::string(command) + " " + authority;
            QElapsedTimer clock;
            clock.start();
            const auto r = diag({ QLatin1String(command), QStringLiteral("--eventhub-connection-string"), cs,
                                    QStringLiteral("--timeout"), QStringLiteral("45") },
                40000);
            EXPECT_EQ(r.exitCode, 2) << label << "\n" << r.err.toStdString();
            EXPECT_LT(clock.elapsed(), 20000) << label << ": not after the run's 45 s";
            const QByteArray host = QByteArray(authority).split(':').front();
            EXPECT_TRUE(r.err.contains("could not be read")) << label << "\n" << r.err.toStdString();
            EXPECT_TRUE(r.err.contains(host)) << label << "\n" << r.err.toStdString();
            EXPECT_FALSE(r.err.contains("(timeout)")) << label;
            EXPECT_FALSE(r.err.contains("AAAA")) << label << ": no key on stderr";
        }
    }
}

} // namespace

namespace {

TEST(DiagnoseCommand, ExitCodesJsonAndReport)
{
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("report.html"));
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("diagnose"), QStringLiteral("string-for-double"), QStringLiteral("--demo"),
            QStringLiteral("--listen"), QStringLiteral("5"), QStringLiteral("--report"), report });
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 1);
    const auto json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    EXPECT_EQ(json.value(QStringLiteral("deviceId")).toString(), QStringLiteral("string-for-double"));
    const auto verdict = json.value(QStringLiteral("verdict")).toObject();
    EXPECT_FALSE(verdict.value(QStringLiteral("healthy")).toBool());
    const auto causes = verdict.value(QStringLiteral("causes")).toArray();
    ASSERT_FALSE(causes.isEmpty());
    const auto top = causes[0].toObject();
    EXPECT_EQ(top.value(QStringLiteral("code")).toString(), QStringLiteral("schema-mismatch"));
    for (const char* key : { "code", "title", "mitigation", "evidence" })
        EXPECT_TRUE(top.contains(QLatin1String(key))) << key;
    for (const auto& c : json.value(QStringLiteral("checks")).toArray())
        for (const char* key : { "id", "status", "summary", "findings" })
            EXPECT_TRUE(c.toObject().contains(QLatin1String(key))) << key;
    QFile f(report);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray html = f.readAll();
    EXPECT_TRUE(html.startsWith("<!DOCTYPE html>"));
    EXPECT_TRUE(html.contains("schema-mismatch"));
    EXPECT_FALSE(html.contains("sig=")) << "the API token never reaches the report";
}

} // namespace

namespace {

// One captured event line, in the shape capture writes (annotations, content headers, body in base64).
QByteArray capturedEvent(const char* device, qint64 sequence, const QByteArray& body,
    const QJsonValue& contentType = QStringLiteral("application/json"),
    const QJsonValue& contentEncoding = QStringLiteral("utf-8"))
{
    const QJsonObject annotations { { QStringLiteral("x-opt-sequence-number"), sequence },
        { QStringLiteral("x-opt-offset"), QString::number(sequence * 100) },
        { QStringLiteral("x-opt-enqueued-time"), 1700000000000 + sequence * 1000 },
        { QStringLiteral("iothub-connection-device-id"), QLatin1String(device) },
        { QStringLiteral("iothub-message-source"), QStringLiteral("Telemetry") } };
    const QJsonObject line { { QStringLiteral("hub"), QStringLiteral("hub") }, { QStringLiteral("partition"), 0 },
        { QStringLiteral("annotations"), annotations }, { QStringLiteral("properties"), QJsonObject {} },
        { QStringLiteral("bodyBase64"), QString::fromLatin1(body.toBase64()) },
        { QStringLiteral("contentType"), contentType }, { QStringLiteral("contentEncoding"), contentEncoding } };
    return QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

TEST(MonitorCommands, ReplayValidateWithoutTemplateStillChecksThePayloads)
{
    // No --template: whether names are modeled cannot be told (template-unavailable), but broken JSON,
    // a UTF-16 body declared utf-8, a wrong content type and a bad field name are found all the same.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bad.jsonl"));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(capturedEvent("dev-a", 1, "{\"temperature\": 21.5,}"));
    f.write(capturedEvent("dev-a", 2,
        QByteArray("\xFF\xFE{\0\"\0t\0\"\0:\0"
                   "1\0}\0",
            16)));
    f.write(capturedEvent("dev-b", 3, "{\"temperature\": 21.5}", QStringLiteral("text/plain")));
    f.write(capturedEvent("dev-b", 4, "{\"temp-1\": 21.5}"));
    f.write(capturedEvent("dev-b", 5, "{\"temperature\": 21.5}"));
    f.close();
    const auto r = diag({ QStringLiteral("replay"), file, QStringLiteral("--validate") });
    ASSERT_EQ(r.lines.size(), 5u) << r.err.toStdString();
    const QString unavailable = QStringLiteral("template-unavailable");
    EXPECT_EQ(codesOf(r.lines[0]), (QStringList { unavailable, QStringLiteral("invalid-json") }));
    EXPECT_EQ(codesOf(r.lines[1]), (QStringList { unavailable, QStringLiteral("invalid-encoding") }));
    EXPECT_EQ(codesOf(r.lines[2]), (QStringList { unavailable, QStringLiteral("content-type-mismatch") }));
    EXPECT_EQ(codesOf(r.lines[3]), (QStringList { unavailable, QStringLiteral("invalid-field-name") }));
    EXPECT_EQ(codesOf(r.lines[4]), QStringList { unavailable }) << "a good message: only what could not be judged";
    EXPECT_EQ(r.lines[0].value(QStringLiteral("event")).toObject().value(QStringLiteral("origin")).toString(),
        QStringLiteral("dev-a"));
    EXPECT_EQ(r.exitCode, 1) << "invalid JSON, encoding and names are errors";
}
