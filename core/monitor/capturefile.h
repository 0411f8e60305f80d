#pragma once

#include "eventhub/telemetryevent.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <zlib.h>

namespace iotc {

// One event as one JSON line: every annotation, the AMQP properties IoT Hub sets, application
// properties, the enqueued time and the body bytes (base64). Nothing else: no tokens, no keys.
QByteArray captureLine(const TelemetryEvent& event);
// The inverse; false (with error) for a line that is not a captured event.
bool parseCaptureLine(const QByteArray& line, TelemetryEvent& event, QString& error);

class CaptureWriter {
public:
    // Throws std::runtime_error when the file cannot be created. A path ending in .gz is written
    // gzip-compressed.
    explicit CaptureWriter(const QString& path);
    ~CaptureWriter();
    // An event the file would not take (disk full, I/O error) is counted in failed(), not lost quietly.
    void write(const TelemetryEvent& event);
    void flush();
    // Flushes and closes; the first write error, empty when every event reached the file.
    QString close();
    qint64 written() const { return m_written; }
    qint64 failed() const { return m_failed; }

private:
    void noteError();

    FILE* m_file = nullptr;
    gzFile m_gz = nullptr; // a path ending in .gz is written gzip-compressed
    qint64 m_written = 0;
    qint64 m_failed = 0;
    QString m_error;
};

// A captured event is one line of at most a few hundred kB (IoT Hub bodies are at most 256 kB, base64
// in the line); a longer "line" is not an event, and is skipped without being held in memory.
inline constexpr qsizetype MaxCaptureLineMiB = 16;
inline constexpr qsizetype MaxCaptureLine = MaxCaptureLineMiB * 1024 * 1024;

struct CaptureReadOptions {
    qsizetype maxLine = MaxCaptureLine;
    // Checked between chunks read: a reader stops soon even in a file with no event for a long way.
    const std::atomic<bool>* cancel = nullptr;
    qint64* tooLong = nullptr; // when given: how many of the bad lines were over maxLine
};

// Reads a capture (plain or gzip-compressed, told apart by content), calling onEvent for each event (return false to
// stop). Returns the number of events read; lines that are not events are counted in bad (never silently skipped),
// lines over options.maxLine among them.
qint64 readCapture(const QString& path, const std::function<bool(TelemetryEvent&&)>& onEvent, qint64& bad,
    QString& error, const CaptureReadOptions& options = {});

} // namespace iotc
