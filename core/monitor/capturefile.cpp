#include "capturefile.h"

#include "capturelinefast.h"

#include <cerrno>
#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <variant>

namespace iotc {

namespace {

QJsonValue fieldJson(const EventValue& v)
{
    return std::visit(
        [](const auto& x) -> QJsonValue {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return QJsonValue();
            else if constexpr (std::is_same_v<T, quint64>)
                return QJsonValue(static_cast<double>(x)); // past qint64: JSON has only doubles then
            else
                return QJsonValue(x);
        },
        v);
}

QJsonObject fieldsObject(const EventFields& fields)
{
    QJsonObject o;
    for (const auto& [k, v] : fields)
        o.insert(k, fieldJson(v));
    return o;
}

// A JSON value back into an EventValue: whole numbers as qint64, others as they are.
EventValue fieldValue(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool();
    case QJsonValue::Double: {
        constexpr qint64 NotWhole = std::numeric_limits<qint64>::min();
        const qint64 n = v.toInteger(NotWhole);
        return n != NotWhole ? EventValue(n) : EventValue(v.toDouble());
    }
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    default:
        return EventValue();
    }
}

EventFields fieldsFrom(const QJsonObject& o)
{
    EventFields fields;
    fields.reserve(o.size());
    for (auto it = o.begin(); it != o.end(); ++it)
        fields.append({ it.key(), fieldValue(it.value()) });
    return fields;
}

} // namespace

QByteArray captureLine(const TelemetryEvent& e)
{
    QJsonObject annotations;
    if (!e.annotations.isEmpty()) {
        annotations = fieldsObject(e.annotations); // as received
    } else {
        // An event that was not received (made by a test, or by hand): what its fields say.
        annotations = { { QStringLiteral("x-opt-sequence-number"), e.sequenceNumber },
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
    }
    // The device id is what makes a line an event: kept even if the annotations were cut short.
    if (!annotations.contains(QStringLiteral("iothub-connection-device-id")))
        annotations.insert(QStringLiteral("iothub-connection-device-id"), e.deviceId);
    QJsonObject properties;
    for (const auto& [k, v] : e.applicationProperties)
        properties.insert(k, v);
    QJsonObject line { { QStringLiteral("hub"), e.hub }, { QStringLiteral("partition"), e.partition },
        { QStringLiteral("annotations"), annotations }, { QStringLiteral("properties"), properties },
        { QStringLiteral("bodyBase64"), QString::fromLatin1(e.body.toBase64()) } };
    if (!e.systemProperties.isEmpty())
        line.insert(QStringLiteral("system"), fieldsObject(e.systemProperties));
    if (e.droppedAnnotations)
        line.insert(QStringLiteral("droppedAnnotations"), static_cast<qint64>(e.droppedAnnotations));
    if (e.droppedApplicationProperties)
        line.insert(
            QStringLiteral("droppedApplicationProperties"), static_cast<qint64>(e.droppedApplicationProperties));
    line.insert(QStringLiteral("contentType"), e.contentType ? QJsonValue(*e.contentType) : QJsonValue());
    line.insert(QStringLiteral("contentEncoding"), e.contentEncoding ? QJsonValue(*e.contentEncoding) : QJsonValue());
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

bool parseCaptureLineWithQt(const QByteArray& text, TelemetryEvent& e, QString& error)
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
    e.sequenceNumber = -1;
    // One pass: every annotation into the list, IoT Hub's also into their fields (the same text).
    e.annotations.reserve(a.size());
    for (auto it = a.begin(); it != a.end(); ++it) {
        const QString key = it.key();
        EventValue value = fieldValue(it.value());
        const QString* text = std::get_if<QString>(&value);
        const QString none;
        const QString& t = text ? *text : none;
        if (key == QLatin1String("x-opt-sequence-number"))
            e.sequenceNumber = it.value().toInteger(-1);
        else if (key == QLatin1String("x-opt-enqueued-time"))
            e.enqueuedMs = it.value().toInteger();
        else if (key == QLatin1String("x-opt-offset"))
            e.offset = t;
        else if (key == QLatin1String("iothub-connection-device-id"))
            e.deviceId = t;
        else if (key == QLatin1String("iothub-connection-module-id"))
            e.moduleId = t;
        else if (key == QLatin1String("dt-subject"))
            e.component = t;
        else if (key == QLatin1String("dt-dataschema"))
            e.modelId = t;
        else if (key == QLatin1String("iothub-interface-name"))
            e.interfaceName = t;
        else if (key == QLatin1String("iothub-message-source"))
            e.messageSource = t;
        else if (key == QLatin1String("iothub-connection-auth-method"))
            e.authMethod = t;
        e.annotations.append({ key, std::move(value) });
    }
    if (o.value(QStringLiteral("contentType")).isString())
        e.contentType = o.value(QStringLiteral("contentType")).toString();
    if (o.value(QStringLiteral("contentEncoding")).isString())
        e.contentEncoding = o.value(QStringLiteral("contentEncoding")).toString();
    if (o.value(QStringLiteral("system")).isObject()) {
        e.systemProperties = fieldsFrom(o.value(QStringLiteral("system")).toObject());
    } else {
        // A capture written before the properties section was kept: what it did keep.
        if (e.contentType)
            e.systemProperties.append({ QStringLiteral("content-type"), EventValue(*e.contentType) });
        if (e.contentEncoding)
            e.systemProperties.append({ QStringLiteral("content-encoding"), EventValue(*e.contentEncoding) });
    }
    e.droppedAnnotations = static_cast<quint32>(std::clamp<qint64>(
        o.value(QStringLiteral("droppedAnnotations")).toInteger(), 0, std::numeric_limits<quint32>::max()));
    e.droppedApplicationProperties = static_cast<quint32>(std::clamp<qint64>(
        o.value(QStringLiteral("droppedApplicationProperties")).toInteger(), 0, std::numeric_limits<quint32>::max()));
    const auto props = o.value(QStringLiteral("properties")).toObject();
    for (auto it = props.begin(); it != props.end(); ++it)
        e.applicationProperties.append({ it.key(), it.value().toString() });
    e.body = QByteArray::fromBase64(o.value(QStringLiteral("bodyBase64")).toString().toLatin1());
    return true;
}

namespace {

// The fast path first, then the Qt path for whatever the fast one leaves to it.
bool parseCaptureLineView(QByteArrayView text, TelemetryEvent& e, QString& error)
{
    e = TelemetryEvent {};
    e.sequenceNumber = -1;
    return readCaptureLineFast(text, e) || parseCaptureLineWithQt(text.toByteArray(), e, error);
}

} // namespace

bool parseCaptureLine(const QByteArray& text, TelemetryEvent& e, QString& error)
{
    return parseCaptureLineView(text, e, error);
}

CaptureWriter::CaptureWriter(const QString& path)
{
    if (path.endsWith(QLatin1String(".gz"))) {
        m_gz = gzopen(path.toLocal8Bit().constData(), "wb6");
        if (!m_gz)
            throw std::runtime_error("cannot create the capture file " + path.toStdString());
        return;
    }
    m_file = std::fopen(path.toLocal8Bit().constData(), "wb");
    if (!m_file)
        throw std::runtime_error("cannot create the capture file " + path.toStdString());
}

CaptureWriter::~CaptureWriter()
{
    close();
}

void CaptureWriter::noteError()
{
    if (!m_error.isEmpty())
        return;
    if (m_gz) {
        int code = Z_OK;
        const char* text = gzerror(m_gz, &code);
        m_error = code == Z_ERRNO ? QString::fromLocal8Bit(std::strerror(errno)) : QString::fromLatin1(text);
    } else {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
    }
}

void CaptureWriter::write(const TelemetryEvent& event)
{
    const QByteArray line = captureLine(event) + '\n';
    const auto size = static_cast<size_t>(line.size());
    const bool ok = m_gz ? gzwrite(m_gz, line.constData(), static_cast<unsigned>(size)) == static_cast<int>(size)
                         : m_file && std::fwrite(line.constData(), 1, size, m_file) == size;
    if (ok) {
        ++m_written;
    } else {
        ++m_failed;
        noteError();
    }
}

void CaptureWriter::flush()
{
    // A gzip capture is flushed to a byte boundary: what was written survives a crash.
    if (m_gz ? gzflush(m_gz, Z_SYNC_FLUSH) != Z_OK : (m_file && std::fflush(m_file) != 0))
        noteError();
}

QString CaptureWriter::close()
{
    if (m_gz) {
        if (gzclose(m_gz) != Z_OK && m_error.isEmpty())
            m_error = QStringLiteral("the compressed capture could not be completed");
        m_gz = nullptr;
    }
    if (m_file) {
        if (std::fclose(m_file) != 0)
            noteError();
        m_file = nullptr;
    }
    return m_error;
}

qint64 readCapture(const QString& path, const std::function<bool(TelemetryEvent&&)>& onEvent, qint64& bad,
    QString& error, const CaptureReadOptions& options)
{
    // zlib reads plain files as they are and gzip files decompressed: one path for both.
    gzFile in = gzopen(path.toLocal8Bit().constData(), "rb");
    if (!in) {
        error = QStringLiteral("cannot open ") + path;
        return -1;
    }
    gzbuffer(in, 1 << 17);
    qint64 count = 0;
    qint64 tooLong = 0;
    bad = 0;
    QByteArray pending; // the start of a line whose newline is not read yet
    qsizetype searched = 0; // how much of pending is known to hold no newline: each byte is looked at once
    bool skipping = false; // inside a line over the limit: its bytes are dropped until its newline
    TelemetryEvent e;
    QString lineError;
    char chunk[1 << 16];
    bool stop = false;
    auto handle = [&](QByteArrayView line) {
        if (line.isEmpty() || line == "\r")
            return;
        if (line.size() > options.maxLine) {
            ++tooLong;
            ++bad;
            return;
        }
        if (!parseCaptureLineView(line, e, lineError)) {
            ++bad;
            return;
        }
        ++count;
        if (!onEvent(std::move(e)))
            stop = true;
    };
    while (!stop) {
        if (options.cancel && options.cancel->load())
            break;
        const int n = gzread(in, chunk, sizeof chunk);
        if (n < 0) {
            int code = Z_OK;
            error = QStringLiteral("%1 is damaged: %2").arg(path, QString::fromLatin1(gzerror(in, &code)));
            break;
        }
        if (n == 0) {
            int code = Z_OK;
            const char* text = gzerror(in, &code);
            if (code != Z_OK) // a compressed capture cut short: "unexpected end of file"
                error = QStringLiteral("%1 is incomplete: %2").arg(path, QString::fromLatin1(text));
            break;
        }
        QByteArrayView data(chunk, n);
        if (skipping) {
            const qsizetype nl = data.indexOf('\n');
            if (nl < 0)
                continue; // still inside the over-long line
            skipping = false;
            data = data.sliced(nl + 1);
        }
        pending.append(data);
        qsizetype start = 0;
        for (qsizetype nl = pending.indexOf('\n', searched); nl >= 0 && !stop; nl = pending.indexOf('\n', start)) {
            handle(QByteArrayView(pending).sliced(start, nl - start));
            start = nl + 1;
        }
        // What is left is less than a chunk after a newline, or one line still growing (nothing to move).
        if (start > 0)
            pending.remove(0, start);
        searched = pending.size();
        if (pending.size() > options.maxLine) {
            // Counted now, dropped now: a stream without newlines never grows the memory it takes.
            ++tooLong;
            ++bad;
            pending.clear();
            searched = 0;
            skipping = true;
        }
    }
    if (!stop && !skipping && !pending.isEmpty() && !(options.cancel && options.cancel->load()))
        handle(pending); // a last line without a newline (a capture cut short)
    gzclose(in);
    if (options.tooLong)
        *options.tooLong = tooLong;
    return count;
}

} // namespace iotc
