#include "amqpwire.h"

#include <proton/codec.h>
#include <proton/codec/decoder.hpp>
#include <proton/codec/encoder.hpp>
#include <proton/codec/map.hpp>
#include <proton/codec/vector.hpp>
#include <proton/message.hpp>
#include <proton/scalar.hpp>
#include <proton/source.hpp>
#include <proton/source_options.hpp>
#include <proton/timestamp.hpp>
#include <proton/types.hpp>

#include <QUuid>

#include <cstring>
#include <map>

namespace iotc {

// Conditions after which retrying cannot help; what they mean in words.
std::optional<QString> permanentCondition(const std::string& condition)
{
    static const std::map<std::string, const char*> words {
        { "com.microsoft:auth-failed", "the credentials were refused" },
        { "com.microsoft:entity-disabled", "the event hub is disabled" },
        { "com.microsoft:argument-out-of-range", "the partition or start position is out of range" },
        { "amqp:not-found", "the event hub does not exist (check the entity path)" },
        { "amqp:link:stolen",
            "another receiver with a higher epoch took this partition in the same consumer group (use another "
            "consumer group for this tool)" },
        { "amqp:resource-limit-exceeded",
            "too many receivers on this partition and consumer group (at most 5): close others or use another "
            "consumer group" },
    };
    if (auto it = words.find(condition); it != words.end())
        return QString::fromLatin1(it->second);
    return std::nullopt;
}

std::optional<std::vector<int>> partitionIdsFromManagementReply(const proton::message& m, int& status)
{
    status = 0;
    try {
        status = static_cast<int>(proton::coerce<int64_t>(m.properties().get("status-code")));
    } catch (const std::exception&) {
    }
    if (status != 200 || m.body().type() != proton::MAP)
        return std::nullopt;
    std::map<std::string, proton::value> body;
    proton::get(m.body(), body);
    std::vector<int> ids;
    try {
        for (const auto& id : proton::get<std::vector<std::string>>(body["partition_ids"]))
            ids.push_back(std::stoi(id));
    } catch (const std::exception&) {
        try {
            const int n = static_cast<int>(proton::coerce<int64_t>(body["partition_count"]));
            for (int i = 0; i < n; ++i)
                ids.push_back(i);
        } catch (const std::exception&) {
            return std::nullopt; // neither: not an answer we can use
        }
    }
    return ids;
}

proton::receiver_options partitionReceiverOptions(
    const std::string& address, const std::string& selector, const std::string& linkName)
{
    proton::source::filter_map filters;
    proton::value filter;
    proton::codec::encoder enc(filter);
    enc << proton::codec::start::described() << uint64_t(0x0000468C00000004ULL) << selector << proton::codec::finish();
    filters.put(proton::symbol("apache.org:selector-filter:string"), filter);
    proton::source_options so;
    so.address(address).filters(filters);
    proton::receiver_options ro;
    ro.source(so).credit_window(0).delivery_mode(proton::delivery_mode::AT_MOST_ONCE).auto_accept(false);
    ro.name(linkName);
    return ro;
}

std::string startSelector(const ConsumerStart& start, int partition, qint64 lastSequence)
{
    if (lastSequence >= 0)
        return "amqp.annotation.x-opt-sequence-number > '" + std::to_string(lastSequence) + "'";
    switch (start.kind) {
    case ConsumerStart::Kind::Latest:
        return "amqp.annotation.x-opt-offset > '@latest'";
    case ConsumerStart::Kind::Beginning:
        return "amqp.annotation.x-opt-offset > '-1'";
    case ConsumerStart::Kind::EnqueuedTime:
        return "amqp.annotation.x-opt-enqueued-time > '" + std::to_string(start.enqueuedMs) + "'";
    case ConsumerStart::Kind::SequenceNumbers:
        if (auto it = start.sequenceNumbers.find(partition); it != start.sequenceNumbers.end())
            return "amqp.annotation.x-opt-sequence-number > '" + std::to_string(it->second) + "'";
        return "amqp.annotation.x-opt-offset > '@latest'";
    }
    return "amqp.annotation.x-opt-offset > '@latest'";
}

namespace {

// The C data under a proton::value: the decoder's base holds it, and a derived class may ask.
// Reading it with Proton's C codec avoids a std::string (or a whole proton::value) per field.
class RawData : public proton::codec::decoder {
public:
    explicit RawData(const proton::internal::value_base& v)
        : decoder(v)
    {
    }
    pn_data_t* raw() const { return pn_object(); }
};

QString text(pn_bytes_t b)
{
    return QString::fromUtf8(b.start, static_cast<qsizetype>(b.size));
}

bool is(pn_bytes_t key, const char* name, size_t length)
{
    return key.size == length && std::memcmp(key.start, name, length) == 0;
}

// A map entry's value as text, whatever simple type it has.
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
        return QString::fromLatin1(QByteArray(b.start, static_cast<qsizetype>(b.size)).toBase64());
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
    default: {
        // Anything else (decimal, list, map, described ...): Proton's own rendering of this one
        // value, whatever its length.
        // narrow() from the node before makes the copy start at this value; the cursor is put back.
        pn_data_t* one = pn_data(16);
        const pn_handle_t here = pn_data_point(d);
        pn_data_prev(d);
        pn_data_narrow(d);
        pn_data_appendn(one, d, 1);
        pn_data_widen(d);
        pn_data_restore(d, here);
        pn_data_rewind(one);
        QByteArray buffer(512, Qt::Uninitialized);
        for (;;) {
            size_t size = static_cast<size_t>(buffer.size());
            const int rc = pn_data_format(one, buffer.data(), &size);
            if (rc == 0) {
                buffer.truncate(static_cast<qsizetype>(size));
                break;
            }
            if (rc != PN_OVERFLOW || buffer.size() > (1 << 20)) {
                buffer = QByteArrayLiteral("(unreadable value)");
                break;
            }
            buffer.resize(buffer.size() * 4);
        }
        pn_data_free(one);
        return QString::fromUtf8(buffer);
    }
    }
}

// Strings and symbols through the interner (the values that repeat); anything else as anyText.
QString sharedText(pn_data_t* d, TextInterner& texts, std::optional<TextInterner::Slot> slot = std::nullopt)
{
    const pn_type_t type = pn_data_type(d);
    if (type != PN_STRING && type != PN_SYMBOL)
        return anyText(d);
    const pn_bytes_t b = type == PN_STRING ? pn_data_get_string(d) : pn_data_get_symbol(d);
    const std::string_view bytes(b.start, b.size);
    return slot ? texts(bytes, *slot) : texts(bytes);
}

qint64 anyNumber(pn_data_t* d)
{
    switch (pn_data_type(d)) {
    case PN_LONG:
        return pn_data_get_long(d);
    case PN_TIMESTAMP:
        return pn_data_get_timestamp(d);
    case PN_ULONG:
        return static_cast<qint64>(pn_data_get_ulong(d));
    case PN_INT:
        return pn_data_get_int(d);
    case PN_UINT:
        return pn_data_get_uint(d);
    case PN_STRING:
        return text(pn_data_get_string(d)).toLongLong();
    default:
        return -1;
    }
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
        const pn_type_t keyType = pn_data_type(d);
        const pn_bytes_t key = keyType == PN_SYMBOL ? pn_data_get_symbol(d)
            : keyType == PN_STRING                  ? pn_data_get_string(d)
                                                    : pn_bytes(0, nullptr);
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
        // Binary (IoT Hub's telemetry) and strings are copied once, straight into the event.
        if (pn_data_type(d) == PN_BINARY) {
            const pn_bytes_t b = pn_data_get_binary(d);
            e.body = QByteArray(b.start, static_cast<qsizetype>(b.size));
        } else if (pn_data_type(d) == PN_STRING) {
            const pn_bytes_t b = pn_data_get_string(d);
            e.body = QByteArray(b.start, static_cast<qsizetype>(b.size));
        } else {
            e.body = QByteArray::fromStdString(proton::to_string(m.body()));
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

} // namespace iotc
