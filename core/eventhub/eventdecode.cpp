#include "eventdecode.h"

#include "protondata.h"

#include "util/textdecode.h"

#include <proton/binary.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/timestamp.hpp>
#include <proton/uuid.hpp>

#include <QUuid>

#include <algorithm>
#include <exception>
#include <limits>
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

// A value of a plain type as itself (see EventFields); nullopt for strings, symbols and the rest.
std::optional<EventValue> scalarValue(pn_data_t* d)
{
    switch (pn_data_type(d)) {
    case PN_NULL:
        return EventValue();
    case PN_BOOL:
        return EventValue(static_cast<bool>(pn_data_get_bool(d)));
    case PN_TIMESTAMP:
        return EventValue(static_cast<qint64>(pn_data_get_timestamp(d)));
    case PN_FLOAT:
        return EventValue(static_cast<double>(pn_data_get_float(d)));
    case PN_DOUBLE:
        return EventValue(pn_data_get_double(d));
    case PN_ULONG:
        if (const auto n = integer(d))
            return EventValue(*n);
        return EventValue(static_cast<quint64>(pn_data_get_ulong(d)));
    default:
        if (const auto n = integer(d))
            return EventValue(*n);
        return std::nullopt;
    }
}

// Entries of one section kept up to MaxEventFields and MaxEventFieldChars; the rest counted.
class SectionBudget {
public:
    explicit SectionBudget(quint32& dropped)
        : m_dropped(dropped)
    {
    }
    bool take(qsizetype chars)
    {
        if (m_entries >= MaxEventFields || chars > MaxEventFieldChars - m_chars) {
            ++m_dropped;
            return false;
        }
        ++m_entries;
        m_chars += chars;
        return true;
    }

private:
    quint32& m_dropped;
    qsizetype m_entries = 0;
    qsizetype m_chars = 0;
};

void keep(EventFields& fields, SectionBudget& budget, const QString& key, EventValue value)
{
    const QString* text = std::get_if<QString>(&value);
    const qsizetype chars = key.size() + (text ? text->size() : 8);
    if (budget.take(chars))
        fields.append({ key, std::move(value) });
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

// A message-id or correlation-id (ulong, uuid, binary or string) as itself, or as text.
std::optional<EventValue> idValue(const proton::message_id& id)
{
    switch (id.type()) {
    case proton::STRING:
        return EventValue(QString::fromStdString(proton::get<std::string>(id)));
    case proton::ULONG: {
        const uint64_t n = proton::get<uint64_t>(id);
        return n <= static_cast<uint64_t>(std::numeric_limits<qint64>::max()) ? EventValue(static_cast<qint64>(n))
                                                                              : EventValue(static_cast<quint64>(n));
    }
    case proton::UUID:
        return EventValue(QString::fromStdString(proton::get<proton::uuid>(id).str()));
    case proton::BINARY: {
        const proton::binary b = proton::get<proton::binary>(id);
        return EventValue(QString::fromLatin1(
            QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size())).toBase64()));
    }
    default:
        return std::nullopt; // not set
    }
}

// A string property of the AMQP properties section, cut past MaxRenderedValue (they are
// addresses and names; the spec sets no bound).
EventValue boundedText(const std::string& s)
{
    if (static_cast<qsizetype>(s.size()) <= MaxRenderedValue)
        return EventValue(QString::fromStdString(s));
    return EventValue(
        QString::fromUtf8(s.data(), MaxRenderedValue) + QStringLiteral("... (cut at %1 bytes)").arg(MaxRenderedValue));
}

// The AMQP properties section under its AMQP names, only what the message set (as the az CLI, which
// drops empty values); content type and encoding also into their fields.
void decodeSystemProperties(const proton::message& m, TelemetryEvent& e, TextInterner& texts)
{
    e.systemProperties.clear();
    e.systemProperties.reserve(4); // message-id, content-type, content-encoding: the usual ones
    auto text = [&e](const QString& name, const std::string& value) {
        if (!value.empty())
            e.systemProperties.append({ name, boundedText(value) });
    };
    auto time = [&e](const QString& name, proton::timestamp t) {
        if (t.milliseconds() != 0)
            e.systemProperties.append({ name, EventValue(static_cast<qint64>(t.milliseconds())) });
    };
    if (auto id = idValue(m.id()))
        e.systemProperties.append({ QStringLiteral("message-id"), std::move(*id) });
    if (const std::string user = m.user(); !user.empty()) {
        // A binary in AMQP: text when it is UTF-8 (IoT Hub's hub name), base64 otherwise.
        const bool utf8 = findInvalidUtf8(user) == std::string_view::npos;
        e.systemProperties.append({ QStringLiteral("user-id"),
            utf8 ? boundedText(user) : EventValue(QString::fromLatin1(QByteArray::fromStdString(user).toBase64())) });
    }
    text(QStringLiteral("to"), m.to());
    text(QStringLiteral("subject"), m.subject());
    text(QStringLiteral("reply-to"), m.reply_to());
    if (auto id = idValue(m.correlation_id()))
        e.systemProperties.append({ QStringLiteral("correlation-id"), std::move(*id) });
    if (const std::string type = m.content_type(); !type.empty()) {
        e.contentType = texts(type, TextInterner::ContentType);
        e.systemProperties.append({ QStringLiteral("content-type"), EventValue(*e.contentType) });
    }
    if (const std::string encoding = m.content_encoding(); !encoding.empty()) {
        e.contentEncoding = texts(encoding, TextInterner::Encoding);
        e.systemProperties.append({ QStringLiteral("content-encoding"), EventValue(*e.contentEncoding) });
    }
    time(QStringLiteral("absolute-expiry-time"), m.expiry_time());
    time(QStringLiteral("creation-time"), m.creation_time());
    text(QStringLiteral("group-id"), m.group_id());
    if (const int32_t sequence = m.group_sequence(); sequence != 0)
        e.systemProperties.append({ QStringLiteral("group-sequence"), EventValue(static_cast<qint64>(sequence)) });
    text(QStringLiteral("reply-to-group-id"), m.reply_to_group_id());
}

} // namespace

void decodeAnnotations(const proton::message& m, TelemetryEvent& e, TextInterner& texts, bool all)
{
    // One pass over the annotation map on Proton's C data: keys compared in place, each value copied
    // once (converting the map into proton::values cost more than everything else). IoT Hub's own
    // annotations land in their fields, and with `all` every annotation, theirs too (sharing the
    // same text), in e.annotations.
    e.sequenceNumber = -1;
    e.enqueuedMs = -1;
    e.annotations.clear();
    e.droppedAnnotations = 0;
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
    if (all)
        e.annotations.reserve(static_cast<qsizetype>(std::min<size_t>(count / 2, MaxEventFields)));
    SectionBudget budget(e.droppedAnnotations);
    pn_data_enter(d);
    for (size_t i = 0; i < count; i += 2) {
        if (!pn_data_next(d))
            break;
        // A key that is neither symbol nor string (AMQP allows ulong keys) matches no name, and is
        // listed as its text.
        const auto keyText = textBytes(d);
        const pn_bytes_t key = keyText.value_or(pn_bytes(0, nullptr));
        const QString otherKey = keyText || !all ? QString() : anyText(d);
        if (!pn_data_next(d))
            break;
        QString name; // IoT Hub's names are static texts: no lookup, no allocation
        const QString* text = nullptr; // the text of the field the value went to
#define IOTC_KEY(literal) (is(key, literal, sizeof(literal) - 1) && (name = QStringLiteral(literal), true))
        if (IOTC_KEY("x-opt-sequence-number"))
            e.sequenceNumber = anyNumber(d);
        else if (IOTC_KEY("x-opt-enqueued-time"))
            e.enqueuedMs = anyNumber(d);
        else if (IOTC_KEY("x-opt-offset"))
            text = &(e.offset = anyText(d));
        else if (IOTC_KEY("iothub-connection-device-id"))
            text = &(e.deviceId = sharedText(d, texts, TextInterner::DeviceId));
        else if (IOTC_KEY("iothub-connection-module-id"))
            text = &(e.moduleId = sharedText(d, texts, TextInterner::ModuleId));
        else if (IOTC_KEY("dt-subject"))
            text = &(e.component = sharedText(d, texts, TextInterner::Component));
        else if (IOTC_KEY("dt-dataschema"))
            text = &(e.modelId = sharedText(d, texts, TextInterner::ModelId));
        else if (IOTC_KEY("iothub-interface-name"))
            text = &(e.interfaceName = sharedText(d, texts, TextInterner::Interface));
        else if (IOTC_KEY("iothub-message-source"))
            text = &(e.messageSource = sharedText(d, texts, TextInterner::Source));
        else if (IOTC_KEY("iothub-connection-auth-method"))
            text = &(e.authMethod = sharedText(d, texts, TextInterner::AuthMethod));
        else if (all
            && !(IOTC_KEY("iothub-connection-auth-generation-id") || IOTC_KEY("iothub-enqueuedtime")
                || IOTC_KEY("x-opt-partition-key")))
            name = keyText ? texts(std::string_view(key.start, key.size)) : otherKey;
#undef IOTC_KEY
        if (!all)
            continue;
        // Listed as it came: a plain value as itself; anything else as the text its field holds (the
        // same QString), or rendered (not interned: such values are often new on every event).
        auto plain = scalarValue(d);
        keep(e.annotations, budget, name,
            plain      ? std::move(*plain)
                : text ? EventValue(*text)
                       : EventValue(anyText(d)));
    }
    pn_data_exit(d);
}

void decodeContent(const proton::message& m, TelemetryEvent& e, TextInterner& texts, bool all)
{
    if (!all) {
        if (const std::string type = m.content_type(); !type.empty())
            e.contentType = texts(type, TextInterner::ContentType);
        if (const std::string encoding = m.content_encoding(); !encoding.empty())
            e.contentEncoding = texts(encoding, TextInterner::Encoding);
    } else
        try {
            decodeSystemProperties(m, e, texts);
        } catch (const std::exception& ex) {
            // A properties section Proton cannot map: the rest of the event is read all the same.
            e.systemProperties.append(
                { QStringLiteral("iotc-decode-error"), EventValue(QString::fromUtf8(ex.what())) });
        }
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
            SectionBudget budget(e.droppedApplicationProperties);
            pn_data_enter(p);
            for (size_t i = 0; i < count; i += 2) {
                if (!pn_data_next(p))
                    break;
                const QString key = sharedText(p, texts);
                if (!pn_data_next(p))
                    break;
                QString value = anyText(p);
                if (budget.take(key.size() + value.size()))
                    e.applicationProperties.append({ key, std::move(value) });
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
