#include "eventjson.h"

#include "util/canonicaljson.h"
#include "util/jsondepth.h"
#include "util/textdecode.h"
#include "validate/issuejson.h"

#include <QDateTime>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <charconv>
#include <type_traits>
#include <variant>

namespace iotc::cli {

namespace {

template <typename Integer> void appendInteger(std::string& out, Integer n)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.append(digits, end);
}

// 0 <= n < 10^width, zero-padded to width digits.
void appendPadded(std::string& out, int64_t n, int width)
{
    char digits[8];
    for (int i = width - 1; i >= 0; --i, n /= 10)
        digits[i] = static_cast<char>('0' + n % 10);
    out.append(digits, static_cast<size_t>(width));
}

// QString into UTF-8 in a reused string (ASCII directly, the rest through Qt).
void assignUtf8(std::string& to, const QString& text)
{
    to.resize(static_cast<size_t>(text.size()));
    const QChar* data = text.constData();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = data[i].unicode();
        if (c >= 0x80) {
            to = text.toStdString();
            return;
        }
        to[static_cast<size_t>(i)] = static_cast<char>(c);
    }
}

// Narrows n UTF-16 units into to; false when one of them is not printable ASCII or needs an escape.
bool narrowPlainAscii(const char16_t* from, size_t n, char* to)
{
    size_t i = 0;
#if defined(__SSE2__)
    // Eight units at a time: no unit below 0x20 (or above 0x7FFF, negative to the signed compare),
    // above 0x7F, '"' or '\\'; then packed to bytes.
    const __m128i space = _mm_set1_epi16(0x20), del = _mm_set1_epi16(0x7F);
    const __m128i quote = _mm_set1_epi16('"'), backslash = _mm_set1_epi16('\\');
    for (; i + 8 <= n; i += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + i));
        const __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi16(v, space), _mm_cmpgt_epi16(v, del)),
            _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
        if (_mm_movemask_epi8(bad) != 0)
            return false;
        _mm_storel_epi64(reinterpret_cast<__m128i*>(to + i), _mm_packus_epi16(v, v));
    }
#endif
    for (; i < n; ++i) {
        const char16_t c = from[i];
        if (c < 0x20 || c > 0x7F || c == '"' || c == '\\')
            return false;
        to[i] = static_cast<char>(c);
    }
    return true;
}

void appendQString(std::string& out, const QString& text, std::string& scratch)
{
    // Printable ASCII (nearly every id and name) goes straight in; anything else as nlohmann writes it.
    const auto n = static_cast<size_t>(text.size());
    char buffer[256];
    if (n + 2 <= sizeof buffer
        && narrowPlainAscii(reinterpret_cast<const char16_t*>(text.constData()), n, buffer + 1)) {
        buffer[0] = '"';
        buffer[n + 1] = '"';
        out.append(buffer, n + 2);
        return;
    }
    assignUtf8(scratch, text);
    appendDumpedString(out, scratch);
}

// An EventFields value as eventJson's fieldJson gives it, dumped.
void appendFieldValue(std::string& out, const EventValue& v, std::string& scratch)
{
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                out += "null";
            else if constexpr (std::is_same_v<T, bool>)
                out += x ? "true" : "false";
            else if constexpr (std::is_same_v<T, QString>)
                appendQString(out, x, scratch);
            else if constexpr (std::is_same_v<T, double>)
                out += nlohmann::json(x).dump(); // nlohmann's own float format (and null for NaN, inf)
            else
                appendInteger(out, x);
        },
        v);
}

// Members of a std::map-backed nlohmann object: in byte order of their names, a repeated name
// holding its last value. Kept between events so the names reuse their memory.
template <typename Value> struct SortedMembers {
    std::vector<std::pair<std::string, const Value*>> members;
    size_t used = 0;

    void clear() { used = 0; }
    std::string& add(const Value* value)
    {
        if (used == members.size())
            members.emplace_back();
        members[used].second = value;
        return members[used++].first;
    }
    // Calls write(name, value) for each member in the map's order.
    template <typename Write> void forEach(Write&& write)
    {
        auto first = members.begin(), last = members.begin() + static_cast<std::ptrdiff_t>(used);
        auto byName = [](const auto& a, const auto& b) { return a.first < b.first; };
        if (!std::is_sorted(first, last, byName)) {
            if (last - first > 16) {
                std::stable_sort(first, last, byName);
            } else {
                for (auto i = first + 1; i < last; ++i) // insertion sort: stable, and allocates nothing
                    for (auto j = i; j != first && byName(*j, *(j - 1)); --j)
                        std::iter_swap(j, j - 1);
            }
        }
        for (auto it = first; it != last; ++it) {
            if (std::next(it) != last && std::next(it)->first == it->first)
                continue; // a later one of the same name wins
            write(it->first, *it->second);
        }
    }
};

struct Scratch {
    std::string text;
    SortedMembers<EventValue> fields;
    SortedMembers<QString> application;
};

Scratch& scratch()
{
    thread_local Scratch s;
    return s;
}

// True when every name is ASCII and each sorts after the one before: then the list is already in
// the map's order (for ASCII, QString's order is byte order) and holds no name twice.
bool asciiAndIncreasing(const EventFields& fields)
{
    const QString* previous = nullptr;
    for (const auto& [k, v] : fields) {
        for (const QChar c : k)
            if (c.unicode() >= 0x80)
                return false;
        if (previous && !(*previous < k))
            return false;
        previous = &k;
    }
    return true;
}

void appendFields(std::string& out, const EventFields& fields, bool systemNames, Scratch& s)
{
    if (!systemNames && asciiAndIncreasing(fields)) {
        // The common case (a capture keeps them in this order): written as they are.
        out += '{';
        bool first = true;
        for (const auto& [k, v] : fields) {
            if (!first)
                out += ',';
            first = false;
            appendQString(out, k, s.text);
            out += ':';
            appendFieldValue(out, v, s.text);
        }
        out += '}';
        return;
    }
    s.fields.clear();
    for (const auto& [k, v] : fields) {
        std::string& name = s.fields.add(&v);
        assignUtf8(name, k);
        if (systemNames) // the az CLI's names: message_id, content_type ...
            std::replace(name.begin(), name.end(), '-', '_');
    }
    out += '{';
    bool first = true;
    s.fields.forEach([&](const std::string& name, const EventValue& value) {
        if (!first)
            out += ',';
        first = false;
        appendDumpedString(out, name);
        out += ':';
        appendFieldValue(out, value, s.text);
    });
    out += '}';
}

void appendPayload(std::string& out, const TelemetryEvent& e)
{
    // The body: UTF-8 as it is; otherwise decoded with its encoding named, or in base64 (never mangled).
    std::string encoding;
    if (e.contentEncoding)
        assignUtf8(encoding, *e.contentEncoding);
    const BodyText body = bodyText(std::string_view(e.body.constData(), static_cast<size_t>(e.body.size())), encoding);
    std::string note;
    if (body.form == BodyText::Form::Base64) {
        out += "\"payload\":";
        appendDumpedString(out, body.text);
        out += ",\"payloadEncoding\":\"base64\",\"payloadNote\":";
        appendDumpedString(out, body.note);
        return;
    }
    out += "\"payload\":";
    bool tooDeep = false;
    if (!appendCanonicalJson(out, body.text)) {
        // The definition, when the fast writer leaves the body to it.
        const nlohmann::json payload = parseJsonBounded(body.text, &tooDeep);
        if (payload.is_discarded())
            appendDumpedString(out, body.text); // not JSON (or too deep to read): the text as received
        else
            out += payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    if (body.form == BodyText::Form::Decoded) {
        out += ",\"payloadEncoding\":";
        appendDumpedString(out, body.encoding);
        note = "decoded from " + body.encoding + " (" + body.note + ")";
    }
    if (tooDeep)
        note = "the body nests more than " + std::to_string(MaxJsonDepth)
            + " levels deep: shown as text, not read as JSON";
    if (!note.empty()) {
        out += ",\"payloadNote\":";
        appendDumpedString(out, note);
    }
}

} // namespace

void appendIsoTime(std::string& out, qint64 ms)
{
    // 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z by arithmetic; the rest as Qt writes it.
    constexpr qint64 Last = 253402300799999;
    if (ms < 0 || ms > Last) {
        out += QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
        return;
    }
    const qint64 days = ms / 86400000;
    const qint64 inDay = ms % 86400000;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    const qint64 z = days + 719468;
    const qint64 era = z / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    appendPadded(out, year, 4);
    out += '-';
    appendPadded(out, month, 2);
    out += '-';
    appendPadded(out, day, 2);
    out += 'T';
    appendPadded(out, inDay / 3600000, 2);
    out += ':';
    appendPadded(out, inDay / 60000 % 60, 2);
    out += ':';
    appendPadded(out, inDay / 1000 % 60, 2);
    out += '.';
    appendPadded(out, inDay % 1000, 3);
    out += 'Z';
}

void appendEventJson(std::string& out, const TelemetryEvent& e, const EventSections& show)
{
    // The members in byte order of their names, as nlohmann's std::map keeps them.
    Scratch& s = scratch();
    out += '{';
    if (show.annotations) {
        out += "\"annotations\":";
        appendFields(out, e.annotations, false, s);
        out += ',';
        if (e.droppedAnnotations) {
            out += "\"annotationsDropped\":";
            appendInteger(out, e.droppedAnnotations);
            out += ',';
        }
    }
    if (show.any() && show.application && e.droppedApplicationProperties) {
        out += "\"applicationPropertiesDropped\":";
        appendInteger(out, e.droppedApplicationProperties);
        out += ',';
    }
    out += "\"component\":";
    appendQString(out, e.component, s.text);
    out += ",\"enqueuedTime\":\"";
    appendIsoTime(out, e.enqueuedMs);
    out += "\",\"interface\":";
    appendQString(out, e.interfaceName.isEmpty() ? e.modelId : e.interfaceName, s.text);
    out += ",\"module\":";
    appendQString(out, e.moduleId, s.text);
    out += ",\"origin\":";
    appendQString(out, e.deviceId, s.text);
    out += ",\"partition\":";
    appendInteger(out, e.partition);
    out += ',';
    appendPayload(out, e);
    if (show.any()) {
        // As the az CLI: properties whenever any section is asked for; system only when there is one.
        out += ",\"properties\":{";
        if (show.application) {
            s.application.clear();
            for (const auto& [k, v] : e.applicationProperties)
                assignUtf8(s.application.add(&v), k);
            out += "\"application\":{";
            bool first = true;
            s.application.forEach([&](const std::string& name, const QString& value) {
                if (!first)
                    out += ',';
                first = false;
                appendDumpedString(out, name);
                out += ':';
                appendQString(out, value, s.text);
            });
            out += '}';
        }
        if (show.system && !e.systemProperties.isEmpty()) {
            if (show.application)
                out += ',';
            out += "\"system\":";
            appendFields(out, e.systemProperties, true, s);
        }
        out += '}';
    }
    out += ",\"sequenceNumber\":";
    appendInteger(out, e.sequenceNumber);
    out += '}';
}

void appendEventJsonLines(std::string& out, const std::vector<TelemetryEvent>& events, const EventSections& show)
{
    for (const auto& e : events) {
        out += "{\"event\":";
        appendEventJson(out, e, show);
        out += "}\n";
    }
}

void appendObservationJsonLines(std::string& out, const std::vector<Observation>& batch, const EventSections& show,
    Severity minimum, qint64& withErrors)
{
    std::vector<Issue> kept;
    for (const auto& o : batch) {
        const std::vector<Issue>* issues = &o.issues;
        if (std::any_of(o.issues.begin(), o.issues.end(), [&](const Issue& i) { return i.severity < minimum; })) {
            kept.clear();
            for (const auto& i : o.issues)
                if (i.severity >= minimum)
                    kept.push_back(i);
            issues = &kept;
        }
        withErrors += hasErrors(*issues);
        out += "{\"event\":";
        appendEventJson(out, o.event, show);
        out += ",\"issues\":";
        appendIssuesJson(out, *issues);
        out += "}\n";
    }
}

} // namespace iotc::cli
