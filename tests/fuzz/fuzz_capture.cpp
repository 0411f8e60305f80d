// The capture reader: any bytes as a capture file (plain or gzip, told apart by content), read
// line by line into events; also each line through parseCaptureLine and back through captureLine.
#include "monitor/capturefile.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string path = "/tmp/iotc-fuzz-capture-" + std::to_string(getpid());
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    qint64 bad = 0;
    QString error;
    iotc::readCapture(
        QString::fromStdString(path),
        [](iotc::TelemetryEvent&& event) {
            (void)iotc::captureLine(event);
            return true;
        },
        bad, error);

    iotc::TelemetryEvent event;
    const QByteArray line = QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    if (iotc::parseCaptureLine(line, event, error)) {
        iotc::TelemetryEvent again;
        if (!iotc::parseCaptureLine(iotc::captureLine(event), again, error))
            __builtin_trap(); // what we write, we must read back
    }
    return 0;
}
