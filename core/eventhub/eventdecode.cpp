#include "eventdecode.h"

#include "protondata.h"

#include <proton/message.hpp>

#include <QUuid>

#include <algorithm>
#include <exception>
#include <vector>

namespace iotc {

using namespace protondata;

namespace {

// A value as text, whatever its type: plain ones as themselves, anything else (decimal, list,
// map, array, described ...) in Proton's notation, rendered no further than MaxRenderedValue.
QString anyText(pn_data_t* d)
{
    switch (pn_data_type(d)) {
    case PN_STRING:
        return text(pn_data_get_string(d));
    case PN_SYMBOL:
        return text(pn_data_get_symbol(d));
    case PN_LONG:
        return QString::number(pn_data_get_long(d));
    case PN_ULONG:
        return QString::number(pn_data_get_ulong(d));
    case PN_INT:
        return QString::number(pn_data_get_int(d));
    case PN_UINT:
        return QString::number(pn_data_get_uint(d));
    case PN_TIMESTAMP:
        return QString::number(pn_data_get_timestamp(d));
    case PN_BOOL:
        return pn_data_get_bool(d) ? QStringLiteral("true") : QStringLiteral("false");
    case PN_DOUBLE:
        return QString::number(pn_data_get_double(d));
    case PN_BINARY: {
        const pn_bytes_t b = pn_data_get_binary(d);
        // Base64 grows by a third: past the bound only the start is shown.
        const size_t keep = static_cast<size_t>(MaxRenderedValue / 4 * 3);
        QString out = QString::fromLatin1(
            QByteArray::fromRawData(b.start, static_cast<qsizetype>(std::min(b.size, keep))).toBase64());
        if (b.size > keep)
            out += QStringLiteral("... (cut at %1 bytes)").arg(keep);
        return out;
    }
    case PN_NULL:
        return QStringLiteral("null");
    case PN_FLOAT:
        return QString::number(pn_data_get_float(d));
    case PN_SHORT:
        return QString::number(pn_data_get_short(d));
    case PN_USHORT:
        return QString::number(pn_data_get_ushort(d));
    case PN_BYTE:
        return QString::number(pn_data_get_byte(d));
    case PN_UBYTE:
        return QString::number(pn_data_get_ubyte(d));
    case PN_CHAR: {
        const char32_t c = pn_data_get_char(d);
        return QString::fromUcs4(&c, 1);
    }
    case PN_UUID: {
        const pn_uuid_t u = pn_data_get_uuid(d);
        return QUuid::fromRfc4122(QByteArrayView(u.bytes, 16)).toString(QUuid::WithoutBraces);
    }
    default:
        return inspectCurrent(d, MaxRenderedValue);
    }
}

// Strings and symbols through the interner (the values that repeat); anything else as anyText.
QString sharedText(pn_data_t* d, TextInterner& texts, std::optional<TextInterner::Slot> slot = std::nullopt)
{
    const auto b = textBytes(d);
    if (!b)
        return anyText(d);
    const std::string_view bytes(b->start, b->size);
    return slot ? texts(bytes, *slot) : texts(bytes);
}

// Sequence numbers and times: integers of any width, timestamps, or decimal text; -1 otherwise.
qint64 anyNumber(pn_data_t* d)
{
    if (pn_data_type(d) == PN_TIMESTAMP)
        return pn_data_get_timestamp(d);
    if (const auto b = textBytes(d)) {
        bool ok = false;
        const qint64 n = text(*b).toLongLong(&ok);
        return ok ? n : -1;
    }
    return integer(d).value_or(-1);
}

} // namespace

void decodeAnnotations(const proton::message& m, TelemetryEvent& e, TextInterner& texts)
{
    // One pass over the annotation map on Proton's C data: keys compared in place, only the values
    // we keep are copied (converting the map into proton::values cost more than everything else).
    e.sequenceNumber = -1;
    e.enqueuedMs = -1;
    // (proton::map::empty() would convert the whole map into a std::map first.)
    const proton::value& annotations = m.message_annotations().value();
    if (annotations.empty())
        return;
    RawData raw(annotations);
    pn_data_t* d = raw.raw();
    pn_data_rewind(d);
    if (!pn_data_next(d) || pn_data_type(d) != PN_MAP)
        return;
    const size_t count = pn_data_get_map(d);
    pn_data_enter(d);
    for (size_t i = 0; i < count; i += 2) {
        if (!pn_data_next(d))
            break;
        // A key that is neither symbol nor string (AMQP allows ulong keys) matches no name.
        const pn_bytes_t key = textBytes(d).value_or(pn_bytes(0, nullptr));
        if (!pn_data_next(d))
            break;
#define IOTC_KEY(name) is(key, name, sizeof(name) - 1)
        if (IOTC_KEY("x-opt-sequence-number"))
            e.sequenceNumber = anyNumber(d);
        else if (IOTC_KEY("x-opt-enqueued-time"))
            e.enqueuedMs = anyNumber(d);
        else if (IOTC_KEY("x-opt-offset"))
            e.offset = anyText(d);
        else if (IOTC_KEY("iothub-connection-device-id"))
            e.deviceId = sharedText(d, texts, TextInterner::DeviceId);
        else if (IOTC_KEY("iothub-connection-module-id"))
            e.moduleId = sharedText(d, texts, TextInterner::ModuleId);
        else if (IOTC_KEY("dt-subject"))
            e.component = sharedText(d, texts, TextInterner::Component);
        else if (IOTC_KEY("dt-dataschema"))
            e.modelId = sharedText(d, texts, TextInterner::ModelId);
        else if (IOTC_KEY("iothub-interface-name"))
            e.interfaceName = sharedText(d, texts, TextInterner::Interface);
        else if (IOTC_KEY("iothub-message-source"))
            e.messageSource = sharedText(d, texts, TextInterner::Source);
        else if (IOTC_KEY("iothub-connection-auth-method"))
            e.authMethod = sharedText(d, texts, TextInterner::AuthMethod);
#undef IOTC_KEY
    }
    pn_data_exit(d);
}

void decodeContent(const proton::message& m, TelemetryEvent& e, TextInterner& texts)
{
    if (const std::string type = m.content_type(); !type.empty())
        e.contentType = texts(type, TextInterner::ContentType);
    if (const std::string encoding = m.content_encoding(); !encoding.empty())
        e.contentEncoding = texts(encoding, TextInterner::Encoding);
    RawData body(m.body());
    pn_data_t* d = body.raw();
    pn_data_rewind(d);
    if (pn_data_next(d)) {
        // Binary (IoT Hub's telemetry) and strings are copied once, straight into the event; an
        // amqp-value or amqp-sequence body of any other type is shown in Proton's notation, rendered
        // no further than MaxRenderedBody.
        if (pn_data_type(d) == PN_BINARY) {
            const pn_bytes_t b = pn_data_get_binary(d);
            e.body = QByteArray(b.start, static_cast<qsizetype>(b.size));
        } else if (const auto b = textBytes(d)) {
            e.body = QByteArray(b->start, static_cast<qsizetype>(b->size));
        } else {
            e.body = inspect(d, MaxRenderedBody).toUtf8();
        }
    }
    const proton::value& properties = m.properties().value();
    if (!properties.empty()) {
        RawData raw(properties);
        pn_data_t* p = raw.raw();
        pn_data_rewind(p);
        if (pn_data_next(p) && pn_data_type(p) == PN_MAP) {
            const size_t count = pn_data_get_map(p);
            pn_data_enter(p);
            for (size_t i = 0; i < count; i += 2) {
                if (!pn_data_next(p))
                    break;
                const QString key = sharedText(p, texts);
                if (!pn_data_next(p))
                    break;
                e.applicationProperties.append({ key, anyText(p) });
            }
            pn_data_exit(p);
        }
    }
}

bool decodeEventBytes(const char* data, size_t size, TelemetryEvent& out, std::string* error)
{
    auto fail = [error](const char* why) {
        if (error)
            *error = why;
        return false;
    };
    if (!data || size == 0)
        return fail("no bytes");
    if (size > MaxEventBytes)
        return fail("more bytes than any event hub sends in one message");
    try {
        proton::message m;
        m.decode(std::vector<char>(data, data + size)); // pn_message_decode
        TextInterner texts;
        out = TelemetryEvent();
        decodeAnnotations(m, out, texts);
        decodeContent(m, out, texts);
        return true;
    } catch (const std::exception& ex) {
        if (error)
            *error = ex.what();
        return false;
    }
}

} // namespace iotc
