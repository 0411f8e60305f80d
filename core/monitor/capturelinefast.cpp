#include "capturelinefast.h"

#include "util/jsonreader.h"

#include <QString>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <string>
#include <variant>

namespace iotc {

namespace {

bool isAscii(std::string_view text)
{
    size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & 0x8080808080808080ULL)
            return false;
    }
    for (; i < text.size(); ++i) {
        if (static_cast<unsigned char>(text[i]) >= 0x80)
            return false;
    }
    return true;
}

// ASCII text as a QString. Captures repeat themselves from line to line (the same names, hub, device
// ids, content types): the last text seen in each of a few hundred places is kept, and the next
// line with the same text shares it instead of allocating it anew.
QString latin1Shared(std::string_view text)
{
    struct Entry {
        bool filled = false;
        std::string text;
        QString value;
    };
    thread_local std::array<Entry, 256> cache;
    if (text.empty())
        return QString::fromLatin1(text.data(), 0);
    // A hash that costs nearly nothing: length, first, middle and last bytes.
    const auto byte = [&](size_t i) { return static_cast<size_t>(static_cast<unsigned char>(text[i])); };
    const size_t n = text.size();
    Entry& entry = cache[(n * 7 + byte(0) * 31 + byte(n / 2) * 17 + byte(n - 1)) % cache.size()];
    if (!entry.filled || entry.text != text) {
        entry.filled = true;
        entry.text.assign(text);
        entry.value = QString::fromLatin1(text.data(), static_cast<qsizetype>(n));
    }
    return entry.value;
}

// Standard base64 as captureLine writes it (length a multiple of four, only the alphabet, '=' only
// as the last one or two): decoded here, as QByteArray::fromBase64 decodes it. False for anything
// else, which is left to fromBase64 itself.
bool decodeCanonicalBase64(std::string_view text, QByteArray& out)
{
    static constexpr auto table = [] {
        std::array<int8_t, 256> t {};
        t.fill(-1);
        constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (size_t i = 0; i < alphabet.size(); ++i)
            t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
        return t;
    }();
    if (text.size() % 4 != 0)
        return false;
    size_t length = text.size();
    for (int pad = 0; pad < 2 && length > 0 && text[length - 1] == '='; ++pad)
        --length;
    out.resize(static_cast<qsizetype>(length * 6 / 8));
    char* to = out.data();
    uint32_t bits = 0;
    int count = 0;
    for (size_t i = 0; i < length; ++i) {
        const int8_t v = table[static_cast<unsigned char>(text[i])];
        if (v < 0)
            return false;
        bits = (bits << 6) | static_cast<uint32_t>(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            *to++ = static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return true;
}

// IoT Hub's annotation names that TelemetryEvent reads into fields of their own.
enum class Annotation {
    SequenceNumber,
    EnqueuedTime,
    Offset,
    DeviceId,
    ModuleId,
    Subject,
    DataSchema,
    InterfaceName,
    MessageSource,
    AuthMethod,
    Other
};

constexpr std::array<std::string_view, 10> AnnotationNames { "x-opt-sequence-number", "x-opt-enqueued-time",
    "x-opt-offset", "iothub-connection-device-id", "iothub-connection-module-id", "dt-subject", "dt-dataschema",
    "iothub-interface-name", "iothub-message-source", "iothub-connection-auth-method" };

Annotation annotationOf(std::string_view name)
{
    for (size_t i = 0; i < AnnotationNames.size(); ++i)
        if (name == AnnotationNames[i])
            return static_cast<Annotation>(i);
    return Annotation::Other;
}

// Their names as static text: no allocation and no reference count per event.
const QString& annotationName(Annotation a)
{
    static const std::array<QString, 10> names { QStringLiteral("x-opt-sequence-number"),
        QStringLiteral("x-opt-enqueued-time"), QStringLiteral("x-opt-offset"),
        QStringLiteral("iothub-connection-device-id"), QStringLiteral("iothub-connection-module-id"),
        QStringLiteral("dt-subject"), QStringLiteral("dt-dataschema"), QStringLiteral("iothub-interface-name"),
        QStringLiteral("iothub-message-source"), QStringLiteral("iothub-connection-auth-method") };
    return names[static_cast<size_t>(a)];
}

} // namespace

bool readCaptureLineFast(QByteArrayView text, TelemetryEvent& e)
{
    const std::string_view line(text.data(), static_cast<size_t>(text.size()));
    if (!isAscii(line))
        return false;
    JsonReader r(line, 64, false);

    auto integer = [&](qint64& out) {
        std::string_view digits;
        if (!r.number(digits) || digits.find_first_of(".eE") != std::string_view::npos)
            return false;
        // Within a double's exact integers: beyond them the two paths might round differently.
        constexpr qint64 Exact = qint64(1) << 53;
        return std::from_chars(digits.data(), digits.data() + digits.size(), out).ec == std::errc() && out >= -Exact
            && out <= Exact;
    };
    // A member value as fieldValue() gives it; false for what is left to the Qt path (nested values).
    auto field = [&](EventValue& out) {
        switch (r.peek()) {
        case JsonReader::Kind::String: {
            std::string_view v;
            if (!r.string(v))
                return false;
            out = latin1Shared(v);
            return true;
        }
        case JsonReader::Kind::Number: {
            qint64 n = 0;
            if (!integer(n))
                return false;
            out = n;
            return true;
        }
        case JsonReader::Kind::True:
        case JsonReader::Kind::False: {
            bool b = false;
            if (!r.boolean(b))
                return false;
            out = b;
            return true;
        }
        case JsonReader::Kind::Null:
            out = EventValue();
            return r.skip();
        default:
            return false;
        }
    };
    // Names strictly increasing: QJsonObject's order, and none repeated.
    auto members = [&](std::string& copy, auto&& onMember) {
        if (!r.objectBegin())
            return false;
        bool first = true;
        std::string_view previous, key;
        while (r.nextMember(key)) {
            if (!first && key <= previous)
                return false;
            first = false;
            // A name without escapes is a view of the line, which stays; an unescaped one is copied.
            if (key.data() >= line.data() && key.data() + key.size() <= line.data() + line.size()) {
                previous = key;
            } else {
                copy.assign(key);
                previous = copy;
            }
            if (!onMember(previous))
                return false;
        }
        return r.ok();
    };
    std::string topKey, innerKey;
    bool annotations = false, deviceId = false, body = false, system = false;
    const bool read = members(topKey, [&](std::string_view key) {
        if (key == "annotations") {
            annotations = true;
            e.annotations.reserve(8);
            return r.peek() == JsonReader::Kind::Object && members(innerKey, [&](std::string_view name) {
                EventValue value;
                if (!field(value))
                    return false;
                const QString* t = std::get_if<QString>(&value);
                const QString none;
                const QString& textValue = t ? *t : none;
                const qint64* n = std::get_if<qint64>(&value);
                const Annotation which = annotationOf(name);
                switch (which) {
                case Annotation::SequenceNumber:
                    e.sequenceNumber = n ? *n : -1;
                    break;
                case Annotation::EnqueuedTime:
                    e.enqueuedMs = n ? *n : 0;
                    break;
                case Annotation::Offset:
                    e.offset = textValue;
                    break;
                case Annotation::DeviceId:
                    e.deviceId = textValue;
                    deviceId = true;
                    break;
                case Annotation::ModuleId:
                    e.moduleId = textValue;
                    break;
                case Annotation::Subject:
                    e.component = textValue;
                    break;
                case Annotation::DataSchema:
                    e.modelId = textValue;
                    break;
                case Annotation::InterfaceName:
                    e.interfaceName = textValue;
                    break;
                case Annotation::MessageSource:
                    e.messageSource = textValue;
                    break;
                case Annotation::AuthMethod:
                    e.authMethod = textValue;
                    break;
                case Annotation::Other:
                    break;
                }
                e.annotations.append(
                    { which == Annotation::Other ? latin1Shared(name) : annotationName(which), std::move(value) });
                return true;
            });
        }
        if (key == "bodyBase64") {
            std::string_view v;
            if (!r.string(v))
                return false;
            body = true;
            if (!decodeCanonicalBase64(v, e.body))
                e.body = QByteArray::fromBase64(QByteArray::fromRawData(v.data(), static_cast<qsizetype>(v.size())));
            return true;
        }
        if (key == "contentType" || key == "contentEncoding") {
            const bool type = key == "contentType";
            if (r.peek() != JsonReader::Kind::String)
                return r.skip();
            std::string_view v;
            if (!r.string(v))
                return false;
            (type ? e.contentType : e.contentEncoding) = latin1Shared(v);
            return true;
        }
        if (key == "droppedAnnotations" || key == "droppedApplicationProperties") {
            qint64 n = 0;
            if (r.peek() != JsonReader::Kind::Number)
                return r.skip();
            if (!integer(n))
                return false;
            (key == "droppedAnnotations" ? e.droppedAnnotations : e.droppedApplicationProperties)
                = static_cast<quint32>(std::clamp<qint64>(n, 0, std::numeric_limits<quint32>::max()));
            return true;
        }
        if (key == "hub") {
            std::string_view v;
            if (r.peek() != JsonReader::Kind::String)
                return r.skip();
            if (!r.string(v))
                return false;
            e.hub = latin1Shared(v);
            return true;
        }
        if (key == "partition") {
            qint64 n = 0;
            if (r.peek() != JsonReader::Kind::Number)
                return r.skip();
            if (!integer(n))
                return false;
            e.partition = n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()
                ? static_cast<int>(n)
                : -1;
            return true;
        }
        if (key == "properties") {
            if (r.peek() != JsonReader::Kind::Object)
                return r.skip();
            return members(innerKey, [&](std::string_view name) {
                QString value; // toString(): text, or empty for any other value
                if (r.peek() == JsonReader::Kind::String) {
                    std::string_view v;
                    if (!r.string(v))
                        return false;
                    value = latin1Shared(v);
                } else if (!r.skip()) {
                    return false;
                }
                e.applicationProperties.append({ latin1Shared(name), value });
                return true;
            });
        }
        if (key == "system") {
            if (r.peek() != JsonReader::Kind::Object)
                return r.skip();
            system = true;
            return members(innerKey, [&](std::string_view name) {
                EventValue value;
                if (!field(value))
                    return false;
                e.systemProperties.append({ latin1Shared(name), std::move(value) });
                return true;
            });
        }
        return r.skip();
    });
    if (!read || !r.end() || !annotations || !deviceId || !body)
        return false;
    if (!system) {
        // A capture written before the properties section was kept: what it did keep.
        if (e.contentType)
            e.systemProperties.append({ QStringLiteral("content-type"), EventValue(*e.contentType) });
        if (e.contentEncoding)
            e.systemProperties.append({ QStringLiteral("content-encoding"), EventValue(*e.contentEncoding) });
    }
    return true;
}

} // namespace iotc
