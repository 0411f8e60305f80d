#pragma once

// Reading received AMQP data on Proton's C codec: what the peer sent is walked in place, every
// value's type is checked before it is read, and nothing throws (the C++ conversions throw on a
// type they did not expect, which in a handler would end Proton's loop). Used by amqpwire.cpp and
// eventdecode.cpp only.

#include <QByteArray>
#include <QString>

#include <proton/codec.h>
#include <proton/codec/decoder.hpp>
#include <proton/object.h>
#include <proton/value.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <vector>

namespace iotc::protondata {

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

inline QString text(pn_bytes_t b)
{
    return QString::fromUtf8(b.start, static_cast<qsizetype>(b.size));
}

// A string's or symbol's bytes; nullopt for any other type.
inline std::optional<pn_bytes_t> textBytes(pn_data_t* d)
{
    switch (pn_data_type(d)) {
    case PN_STRING:
        return pn_data_get_string(d);
    case PN_SYMBOL:
        return pn_data_get_symbol(d);
    default:
        return std::nullopt;
    }
}

inline bool is(pn_bytes_t key, const char* name, size_t length)
{
    return key.size == length && (length == 0 || std::memcmp(key.start, name, length) == 0);
}

// An integer of any AMQP width; nullopt for anything else (and for a ulong past qint64).
inline std::optional<qint64> integer(pn_data_t* d)
{
    switch (pn_data_type(d)) {
    case PN_BYTE:
        return pn_data_get_byte(d);
    case PN_UBYTE:
        return pn_data_get_ubyte(d);
    case PN_SHORT:
        return pn_data_get_short(d);
    case PN_USHORT:
        return pn_data_get_ushort(d);
    case PN_INT:
        return pn_data_get_int(d);
    case PN_UINT:
        return pn_data_get_uint(d);
    case PN_LONG:
        return pn_data_get_long(d);
    case PN_ULONG: {
        const uint64_t v = pn_data_get_ulong(d);
        if (v > static_cast<uint64_t>(std::numeric_limits<qint64>::max()))
            return std::nullopt;
        return static_cast<qint64>(v);
    }
    default:
        return std::nullopt;
    }
}

// Renders AMQP values in Proton's notation (as pn_inspect does: [list], {key=value}, @descriptor
// value, @PN_TYPE[array], b"binary", :symbol, non-ASCII bytes as \xNN), but walking the values in
// place and stopping once `limit` bytes are written. pn_inspect (and pn_data_format, built on it in
// 0.37) renders everything before anything can be cut, several times the message's size, and
// finds each map member's place by walking back to the first: a 60,000-member map of nulls took
// seconds. Every value writes at least one byte, so the walk is bounded by the limit too.
class BoundedText {
public:
    explicit BoundedText(qsizetype limit)
        : m_limit(std::max<qsizetype>(0, limit))
    {
    }
    bool full() const { return m_cut; }
    void add(const char* s, size_t n)
    {
        if (m_cut)
            return;
        const size_t room = static_cast<size_t>(m_limit - m_out.size());
        m_out.append(s, static_cast<qsizetype>(std::min(n, room)));
        m_cut = n > room;
    }
    void add(const char* s) { add(s, std::strlen(s)); }
    // Printable ASCII as itself; quotes, backslashes and every other byte as \xNN (pn_quote's way).
    void quote(pn_bytes_t b)
    {
        static const char hex[] = "0123456789abcdef";
        for (size_t i = 0; i < b.size && !m_cut; ++i) {
            const auto c = static_cast<unsigned char>(b.start[i]);
            if (c < 128 && c != '\\' && c != '"' && c != '\'' && std::isprint(c)) {
                const char one = static_cast<char>(c);
                add(&one, 1);
            } else {
                const char escaped[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
                add(escaped, 4);
            }
        }
    }
    QString text() const
    {
        QString out = QString::fromLatin1(m_out);
        if (m_cut)
            out += QStringLiteral("... (cut at %1 bytes)").arg(m_limit);
        return out;
    }

private:
    QByteArray m_out;
    qsizetype m_limit;
    bool m_cut = false;
};

// One value that is not a compound, as pn_inspect writes it.
inline void renderAtom(pn_data_t* d, BoundedText& out)
{
    char buf[96];
    int n = 0;
    auto hexBytes = [&](const char* open, const char* bytes, std::initializer_list<int> dashesAfter) {
        n = std::snprintf(buf, sizeof buf, "%s", open);
        for (int i = 0; i < 16; ++i) {
            n += std::snprintf(
                buf + n, sizeof buf - static_cast<size_t>(n), "%02x", static_cast<unsigned char>(bytes[i]));
            if (std::find(dashesAfter.begin(), dashesAfter.end(), i) != dashesAfter.end())
                buf[n++] = '-';
        }
        buf[n++] = ')';
    };
    switch (const pn_type_t type = pn_data_type(d)) {
    case PN_NULL:
        return out.add("null");
    case PN_BOOL:
        return out.add(pn_data_get_bool(d) ? "true" : "false");
    case PN_UBYTE:
        n = std::snprintf(buf, sizeof buf, "%u", unsigned(pn_data_get_ubyte(d)));
        break;
    case PN_BYTE:
        n = std::snprintf(buf, sizeof buf, "%d", int(pn_data_get_byte(d)));
        break;
    case PN_USHORT:
        n = std::snprintf(buf, sizeof buf, "%u", unsigned(pn_data_get_ushort(d)));
        break;
    case PN_SHORT:
        n = std::snprintf(buf, sizeof buf, "%d", int(pn_data_get_short(d)));
        break;
    case PN_UINT:
        n = std::snprintf(buf, sizeof buf, "%u", unsigned(pn_data_get_uint(d)));
        break;
    case PN_INT:
        n = std::snprintf(buf, sizeof buf, "%d", int(pn_data_get_int(d)));
        break;
    case PN_CHAR: { // its low byte, as pn_inspect writes it, but escaped like text (no control bytes)
        const char c = static_cast<char>(pn_data_get_char(d) & 0xff);
        return out.quote(pn_bytes(1, &c));
    }
    case PN_ULONG:
        n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(pn_data_get_ulong(d)));
        break;
    case PN_LONG:
        n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(pn_data_get_long(d)));
        break;
    case PN_TIMESTAMP:
        n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(pn_data_get_timestamp(d)));
        break;
    case PN_FLOAT:
        n = std::snprintf(buf, sizeof buf, "%g", double(pn_data_get_float(d)));
        break;
    case PN_DOUBLE:
        n = std::snprintf(buf, sizeof buf, "%g", pn_data_get_double(d));
        break;
    case PN_DECIMAL32:
        n = std::snprintf(buf, sizeof buf, "D32(%u)", unsigned(pn_data_get_decimal32(d)));
        break;
    case PN_DECIMAL64:
        n = std::snprintf(buf, sizeof buf, "D64(%llu)", static_cast<unsigned long long>(pn_data_get_decimal64(d)));
        break;
    case PN_DECIMAL128:
        hexBytes("D128(", pn_data_get_decimal128(d).bytes, {});
        break;
    case PN_UUID:
        hexBytes("UUID(", pn_data_get_uuid(d).bytes, { 3, 5, 7, 9 });
        break;
    case PN_BINARY:
        out.add("b\"");
        out.quote(pn_data_get_binary(d));
        return out.add("\"");
    case PN_STRING:
        out.add("\"");
        out.quote(pn_data_get_string(d));
        return out.add("\"");
    case PN_SYMBOL: {
        const pn_bytes_t b = pn_data_get_symbol(d);
        const bool quoted = std::any_of(
            b.start, b.start + b.size, [](char c) { return !std::isalpha(static_cast<unsigned char>(c)); });
        out.add(quoted ? ":\"" : ":");
        out.quote(b);
        return out.add(quoted ? "\"" : "");
    }
    default:
        n = std::snprintf(buf, sizeof buf, "<undefined: %i>", int(type));
        break;
    }
    out.add(buf, static_cast<size_t>(std::clamp(n, 0, int(sizeof buf) - 1)));
}

inline bool isCompound(pn_type_t type)
{
    return type == PN_LIST || type == PN_MAP || type == PN_ARRAY || type == PN_DESCRIBED;
}

// The value at the cursor, a compound one with all it holds, without recursion (a peer may nest
// thousands deep). The cursor is put back.
inline void renderCurrent(pn_data_t* d, BoundedText& out)
{
    const pn_handle_t here = pn_data_point(d);
    struct Open {
        pn_type_t type;
        size_t members; // rendered so far
    };
    std::vector<Open> open;
    for (;;) {
        const pn_type_t type = pn_data_type(d);
        if (isCompound(type)) {
            if (type == PN_LIST)
                out.add("[");
            else if (type == PN_MAP)
                out.add("{");
            else if (type == PN_DESCRIBED)
                out.add("@");
            else {
                out.add("@");
                out.add(pn_type_name(pn_data_get_array_type(d)));
                out.add("[");
            }
            pn_data_enter(d);
            open.push_back({ type, 0 });
        } else {
            renderAtom(d, out);
        }
        // On to the next member of the innermost compound, closing those that hold no more.
        for (;;) {
            if (open.empty() || out.full()) {
                pn_data_restore(d, here);
                return;
            }
            Open& o = open.back();
            if (pn_data_next(d)) {
                if (o.members > 0) {
                    if (o.type == PN_MAP && o.members % 2 == 1)
                        out.add("=");
                    else if (o.type == PN_DESCRIBED && o.members == 1)
                        out.add(" ");
                    else
                        out.add(", ");
                }
                ++o.members;
                break;
            }
            pn_data_exit(d);
            if (o.type == PN_MAP)
                out.add("}");
            else if (o.type != PN_DESCRIBED)
                out.add("]");
            open.pop_back();
        }
    }
}

// Everything in `d`, cut at `limit` bytes with a mark.
inline QString inspect(pn_data_t* d, qsizetype limit)
{
    BoundedText out(limit);
    const pn_handle_t here = pn_data_point(d);
    pn_data_rewind(d);
    for (bool first = true; !out.full() && pn_data_next(d); first = false) {
        if (!first)
            out.add(", ");
        renderCurrent(d, out);
    }
    pn_data_restore(d, here);
    return out.text();
}

// The current value alone (a compound one with all it holds), cut at `limit` bytes with a mark.
// The cursor is put back.
inline QString inspectCurrent(pn_data_t* d, qsizetype limit)
{
    BoundedText out(limit);
    renderCurrent(d, out);
    return out.text();
}

} // namespace iotc::protondata
