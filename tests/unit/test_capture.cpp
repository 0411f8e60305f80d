#include "monitor/capturefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace iotc;

TEST(Capture, EveryFieldSurvivesTheRoundTrip)
{
    TelemetryEvent e;
    e.hub = QStringLiteral("iothub-ehub-x");
    e.partition = 3;
    e.sequenceNumber = 12345;
    e.offset = QStringLiteral("8812");
    e.enqueuedMs = 1764000000123;
    e.deviceId = QStringLiteral("dev-1");
    e.moduleId = QStringLiteral("sensor");
    e.component = QStringLiteral("probe");
    e.modelId = QStringLiteral("dtmi:x:y;1");
    e.messageSource = QStringLiteral("Telemetry");
    e.authMethod = QStringLiteral("{\"scope\":\"module\"}");
    e.contentType = QStringLiteral("application/json");
    e.applicationProperties
        = { { QStringLiteral("iothub-creation-time-utc"), QStringLiteral("2026-11-26T08:00:00Z") } };
    e.body = QByteArray("\xFF\xFE{\0}\0", 6); // raw bytes, not text
    TelemetryEvent back;
    QString error;
    ASSERT_TRUE(parseCaptureLine(captureLine(e), back, error)) << error.toStdString();
    EXPECT_EQ(back.hub, e.hub);
    EXPECT_EQ(back.partition, e.partition);
    EXPECT_EQ(back.sequenceNumber, e.sequenceNumber);
    EXPECT_EQ(back.offset, e.offset);
    EXPECT_EQ(back.enqueuedMs, e.enqueuedMs);
    EXPECT_EQ(back.deviceId, e.deviceId);
    EXPECT_EQ(back.moduleId, e.moduleId);
    EXPECT_EQ(back.component, e.component);
    EXPECT_EQ(back.modelId, e.modelId);
    EXPECT_EQ(back.messageSource, e.messageSource);
    EXPECT_EQ(back.authMethod, e.authMethod);
    EXPECT_EQ(back.contentType, e.contentType);
    EXPECT_FALSE(back.contentEncoding) << "absent stays absent";
    EXPECT_EQ(back.applicationProperties, e.applicationProperties);
    EXPECT_EQ(back.body, e.body);
}

TEST(Capture, FileWithBrokenLinesCountsThem)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.jsonl"));
    {
        CaptureWriter w(path);
        TelemetryEvent e;
        e.deviceId = QStringLiteral("d");
        e.body = "{}";
        w.write(e);
        w.write(e);
    }
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::Append));
    f.write("not json\n{\"a\":1}\n");
    f.close();
    qint64 bad = 0;
    QString error;
    qint64 seen = 0;
    EXPECT_EQ(readCapture(
                  path, [&](TelemetryEvent&&) { return ++seen > 0; }, bad, error),
        2);
    EXPECT_EQ(bad, 2);
    EXPECT_EQ(readCapture(
                  dir.filePath(QStringLiteral("missing")), [](TelemetryEvent&&) { return true; }, bad, error),
        -1);
    EXPECT_THROW(CaptureWriter(QStringLiteral("/nonexistent/dir/x.jsonl")), std::runtime_error);
}

TEST(Capture, AFullDiskIsReportedNotSwallowed)
{
    if (!QFile::exists(QStringLiteral("/dev/full")))
        GTEST_FAIL() << "/dev/full is part of every Linux system this runs on";
    CaptureWriter w(QStringLiteral("/dev/full"));
    TelemetryEvent e;
    e.deviceId = QStringLiteral("d");
    e.body = QByteArray(64 * 1024, 'x'); // larger than the stdio buffer: the write itself fails
    w.write(e);
    w.write(e);
    EXPECT_GT(w.failed(), 0);
    EXPECT_FALSE(w.close().isEmpty());
}

TEST(Capture, CloseOfAHealthyFileReportsNoError)
{
    QTemporaryDir dir;
    CaptureWriter w(dir.filePath(QStringLiteral("ok.jsonl")));
    TelemetryEvent e;
    e.body = "{}";
    w.write(e);
    EXPECT_EQ(w.written(), 1);
    EXPECT_EQ(w.failed(), 0);
    EXPECT_TRUE(w.close().isEmpty());
}
