#include "capturefile.h"

#include <cerrno>
#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <fstream>
#include <stdexcept>

namespace iotc {

QByteArray captureLine(const TelemetryEvent& e)
{
    QJsonObject annotations { { QStringLiteral("x-opt-sequence-number"), e.sequenceNumber },
        { QStringLiteral("x-opt-offset"), e.offset }, { QStringLiteral("x-opt-enqueued-time"), e.enqueuedMs },
        { QStringLiteral("iothub-connection-device-id"), e.deviceId } };
    auto put = [&](const char* key, const QString& value) {
        if (!value.isEmpty())
            annotations.insert(QLatin1String(key), value);
    };
    put("iothub-connection-module-id", e.moduleId);
    put("dt-subject", e.component);
    put("dt-dataschema", e.modelId);
    put("iothub-interface-name", e.interfaceName);
    put("iothub-message-source", e.messageSource);
    put("iothub-connection-auth-method", e.authMethod);
    QJsonObject properties;
    for (const auto& [k, v] : e.applicationProperties)
        properties.insert(k, v);
    QJsonObject line { { QStringLiteral("hub"), e.hub }, { QStringLiteral("partition"), e.partition },
        { QStringLiteral("annotations"), annotations }, { QStringLiteral("properties"), properties },
        { QStringLiteral("bodyBase64"), QString::fromLatin1(e.body.toBase64()) } };
    line.insert(QStringLiteral("contentType"), e.contentType ? QJsonValue(*e.contentType) : QJsonValue());
    line.insert(QStringLiteral("contentEncoding"), e.contentEncoding ? QJsonValue(*e.contentEncoding) : QJsonValue());
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

bool parseCaptureLine(const QByteArray& text, TelemetryEvent& e, QString& error)
{
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(text, &parseError);
    if (!doc.isObject()) {
        error = parseError.errorString();
        return false;
    }
    const auto o = doc.object();
    const auto a = o.value(QStringLiteral("annotations")).toObject();
    if (!o.contains(QStringLiteral("bodyBase64")) || !a.contains(QStringLiteral("iothub-connection-device-id"))) {
        error = QStringLiteral("not a captured event (no bodyBase64 or device id)");
        return false;
    }
    e = TelemetryEvent {};
    e.hub = o.value(QStringLiteral("hub")).toString();
    e.partition = o.value(QStringLiteral("partition")).toInt(-1);
    e.sequenceNumber = a.value(QStringLiteral("x-opt-sequence-number")).toInteger(-1);
    e.offset = a.value(QStringLiteral("x-opt-offset")).toString();
    e.enqueuedMs = a.value(QStringLiteral("x-opt-enqueued-time")).toInteger();
    e.deviceId = a.value(QStringLiteral("iothub-connection-device-id")).toString();
    e.moduleId = a.value(QStringLiteral("iothub-connection-module-id")).toString();
    e.component = a.value(QStringLiteral("dt-subject")).toString();
    e.modelId = a.value(QStringLiteral("dt-dataschema")).toString();
    e.interfaceName = a.value(QStringLiteral("iothub-interface-name")).toString();
    e.messageSource = a.value(QStringLiteral("iothub-message-source")).toString();
    e.authMethod = a.value(QStringLiteral("iothub-connection-auth-method")).toString();
    if (o.value(QStringLiteral("contentType")).isString())
        e.contentType = o.value(QStringLiteral("contentType")).toString();
    if (o.value(QStringLiteral("contentEncoding")).isString())
        e.contentEncoding = o.value(QStringLiteral("contentEncoding")).toString();
    const auto props = o.value(QStringLiteral("properties")).toObject();
    for (auto it = props.begin(); it != props.end(); ++it)
        e.applicationProperties.append({ it.key(), it.value().toString() });
    e.body = QByteArray::fromBase64(o.value(QStringLiteral("bodyBase64")).toString().toLatin1());
    return true;
}

CaptureWriter::CaptureWriter(const QString& path)
    : m_file(std::fopen(path.toLocal8Bit().constData(), "wb"))
{
    if (!m_file)
        throw std::runtime_error("cannot create the capture file " + path.toStdString());
}

CaptureWriter::~CaptureWriter()
{
    close();
}

void CaptureWriter::noteError()
{
    if (m_error.isEmpty())
        m_error = QString::fromLocal8Bit(std::strerror(errno));
}

void CaptureWriter::write(const TelemetryEvent& event)
{
    const QByteArray line = captureLine(event) + '\n';
    if (m_file
        && std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), m_file)
            == static_cast<size_t>(line.size())) {
        ++m_written;
    } else {
        ++m_failed;
        noteError();
    }
}

void CaptureWriter::flush()
{
    if (m_file && std::fflush(m_file) != 0)
        noteError();
}

QString CaptureWriter::close()
{
    if (m_file) {
        if (std::fclose(m_file) != 0)
            noteError();
        m_file = nullptr;
    }
    return m_error;
}

qint64 readCapture(
    const QString& path, const std::function<bool(TelemetryEvent&&)>& onEvent, qint64& bad, QString& error)
{
    std::ifstream in(path.toLocal8Bit().constData(), std::ios::binary);
    if (!in) {
        error = QStringLiteral("cannot open ") + path;
        return -1;
    }
    qint64 count = 0;
    bad = 0;
    std::string line;
    TelemetryEvent e;
    QString lineError;
    while (std::getline(in, line)) {
        if (line.empty() || line == "\r")
            continue;
        if (!parseCaptureLine(QByteArray::fromStdString(line), e, lineError)) {
            ++bad;
            continue;
        }
        ++count;
        if (!onEvent(std::move(e)))
            break;
    }
    return count;
}

} // namespace iotc
