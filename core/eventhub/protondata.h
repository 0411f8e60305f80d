#pragma once

// Reading received AMQP data on Proton's C codec: what the peer sent is walked in place, every
// value's type is checked before it is read, and nothing throws (the C++ conversions throw on a
// type they did not expect, which in a handler would end Proton's loop). Used by amqpwire.cpp and
// eventdecode.cpp only.

#include <QString>

#include <proton/codec.h>
#include <proton/codec/decoder.hpp>
#include <proton/object.h>
#include <proton/value.hpp>

#include <cstring>
#include <limits>
#include <optional>

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

// Proton's rendering of everything in `d` (pn_inspect walks it without recursion), cut at
// `limit` bytes with a mark.
inline QString inspect(pn_data_t* d, qsizetype limit)
{
    pn_string_t* str = pn_string("");
    QString out;
    if (pn_inspect(d, str) == 0) {
        const size_t size = pn_string_size(str);
        const bool cut = size > static_cast<size_t>(limit);
        out = QString::fromUtf8(pn_string_get(str), cut ? limit : static_cast<qsizetype>(size));
        if (cut)
            out += QStringLiteral("... (cut at %1 bytes)").arg(limit);
    } else {
        out = QStringLiteral("(unreadable value)");
    }
    pn_free(str);
    return out;
}

// Proton's rendering of the current value alone (a compound one with all it holds): it is copied
// out on its own first. The cursor is put back.
inline QString inspectCurrent(pn_data_t* d, qsizetype limit)
{
    const pn_handle_t here = pn_data_point(d);
    // narrow() from just before this value makes the copy start at it: from the value before it,
    // or, for the first in its compound (prev() does not move then), from inside the parent.
    if (!pn_data_prev(d)) {
        if (pn_data_exit(d))
            pn_data_enter(d);
        else
            pn_data_rewind(d);
    }
    pn_data_narrow(d);
    pn_data_t* one = pn_data(16);
    pn_data_appendn(one, d, 1);
    pn_data_widen(d);
    pn_data_restore(d, here);
    const QString out = inspect(one, limit);
    pn_data_free(one);
    return out;
}

} // namespace iotc::protondata
