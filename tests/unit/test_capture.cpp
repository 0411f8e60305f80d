#include "monitor/capturefile.h"

#include <QFile>
#include <QFileInfo>
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

TEST(Capture, AGzPathIsCompressedAndReadsBackTheSame)
{
    QTemporaryDir dir;
    const QString plain = dir.filePath(QStringLiteral("c.jsonl"));
    const QString packed = dir.filePath(QStringLiteral("c.jsonl.gz"));
    {
        CaptureWriter a(plain);
        CaptureWriter b(packed);
        for (int i = 0; i < 2000; ++i) {
            TelemetryEvent e;
            e.deviceId = QStringLiteral("dev-%1").arg(i % 7);
            e.sequenceNumber = i;
            e.body = QByteArray("{\"temperature\": ") + QByteArray::number(20 + i % 10) + "}";
            a.write(e);
            b.write(e);
            if (i % 500 == 0)
                b.flush();
        }
        EXPECT_TRUE(b.close().isEmpty());
        EXPECT_EQ(b.written(), 2000);
    }
    QFile f(packed);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray head = f.read(2);
    EXPECT_EQ(head, QByteArray("\x1f\x8b", 2)) << "gzip magic";
    EXPECT_LT(QFileInfo(packed).size() * 5, QFileInfo(plain).size()) << "JSON lines compress well";
    std::vector<qint64> fromPlain, fromPacked;
    qint64 bad = 0;
    QString error;
    EXPECT_EQ(readCapture(
                  plain,
                  [&](TelemetryEvent&& e) {
                      fromPlain.push_back(e.sequenceNumber);
                      return true;
                  },
                  bad, error),
        2000);
    EXPECT_EQ(readCapture(
                  packed,
                  [&](TelemetryEvent&& e) {
                      fromPacked.push_back(e.sequenceNumber);
                      return true;
                  },
                  bad, error),
        2000);
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(fromPlain, fromPacked);
}

TEST(Capture, ACompressedCaptureCutShortKeepsWhatItHasAndSaysSo)
{
    QTemporaryDir dir;
    const QString packed = dir.filePath(QStringLiteral("c.jsonl.gz"));
    {
        CaptureWriter w(packed);
        for (int i = 0; i < 5000; ++i) {
            TelemetryEvent e;
            e.sequenceNumber = i;
            e.body = QByteArray::number(i * 7919); // not too compressible
            w.write(e);
            if (i % 1000 == 999)
                w.flush();
        }
    }
    QFile f(packed);
    ASSERT_TRUE(f.open(QIODevice::ReadWrite));
    ASSERT_TRUE(f.resize(f.size() * 2 / 3)); // a copy that stopped two thirds in
    f.close();
    qint64 bad = 0;
    QString error;
    const qint64 n = readCapture(
        packed, [](TelemetryEvent&&) { return true; }, bad, error);
    EXPECT_GT(n, 1000) << "the events before the cut are read";
    EXPECT_LT(n, 5000);
    EXPECT_FALSE(error.isEmpty()) << "and the damage is reported";
}

namespace {

QByteArray eventLine(const char* device, qint64 sequence)
{
    TelemetryEvent e;
    e.deviceId = QLatin1String(device);
    e.sequenceNumber = sequence;
    e.body = "{\"t\": 1}";
    return captureLine(e) + '\n';
}

} // namespace

TEST(Capture, AnOverLongLineIsSkippedCountedAndTheNextEventsRead)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("long.jsonl.gz"));
    const QByteArray first = eventLine("before", 1);
    {
        gzFile out = gzopen(path.toLocal8Bit().constData(), "wb1");
        ASSERT_TRUE(out);
        gzwrite(out, first.constData(), static_cast<unsigned>(first.size()));
        const QByteArray block(1 << 20, 'x');
        for (int i = 0; i < 20; ++i) // 20 MiB without a newline: over the 16 MiB limit
            gzwrite(out, block.constData(), static_cast<unsigned>(block.size()));
        const QByteArray after = "\n" + eventLine("after", 2);
        gzwrite(out, after.constData(), static_cast<unsigned>(after.size()));
        gzclose(out);
    }
    std::vector<QString> devices;
    qint64 bad = 0, tooLong = 0;
    QString error;
    CaptureReadOptions options;
    options.tooLong = &tooLong;
    const qint64 n = readCapture(
        path,
        [&](TelemetryEvent&& e) {
            devices.push_back(e.deviceId);
            return true;
        },
        bad, error, options);
    EXPECT_EQ(n, 2);
    EXPECT_EQ(devices, (std::vector<QString> { QStringLiteral("before"), QStringLiteral("after") }));
    EXPECT_EQ(bad, 1);
    EXPECT_EQ(tooLong, 1);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
}

TEST(Capture, TheLineLimitIsExact)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.jsonl"));
    const QByteArray line = eventLine("d", 1);
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(line + line.left(line.size() - 1)); // the last one without its newline
    f.close();
    const qsizetype length = line.size() - 1;
    for (const qsizetype limit : { length, length - 1 }) {
        qint64 bad = 0, tooLong = 0;
        QString error;
        CaptureReadOptions options;
        options.maxLine = limit;
        options.tooLong = &tooLong;
        const qint64 n = readCapture(
            path, [](TelemetryEvent&&) { return true; }, bad, error, options);
        EXPECT_EQ(n, limit == length ? 2 : 0) << limit;
        EXPECT_EQ(tooLong, limit == length ? 0 : 2) << limit;
        EXPECT_EQ(bad, tooLong);
    }
}

TEST(Capture, ReadingStopsWhenCancelledEvenWithoutEvents)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.jsonl"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(eventLine("d", 1));
    f.write(QByteArray(1 << 20, 'x'));
    f.close();
    std::atomic<bool> cancel { true };
    CaptureReadOptions options;
    options.cancel = &cancel;
    qint64 bad = 0;
    QString error;
    qint64 seen = 0;
    EXPECT_EQ(readCapture(
                  path,
                  [&](TelemetryEvent&&) {
                      ++seen;
                      return true;
                  },
                  bad, error, options),
        0);
    EXPECT_EQ(seen, 0);
    EXPECT_EQ(bad, 0) << "the unread rest is not called damaged";
}
