#include "textdecode.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace iotc {

namespace {

void appendUtf8(std::string& out, uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

DecodedText decodeUtf16(std::string_view bytes, bool littleEndian)
{
    DecodedText result;
    result.encoding = littleEndian ? TextEncoding::Utf16LE : TextEncoding::Utf16BE;
    if (bytes.size() % 2 != 0) {
        result.encoding = TextEncoding::Invalid;
        result.error = "UTF-16 text has an odd number of bytes";
        return result;
    }
    auto unit = [&](size_t i) -> uint32_t {
        auto b0 = static_cast<unsigned char>(bytes[i]);
        auto b1 = static_cast<unsigned char>(bytes[i + 1]);
        return littleEndian ? (b0 | (b1 << 8)) : ((b0 << 8) | b1);
    };
    result.utf8.reserve(bytes.size() / 2);
    for (size_t i = 0; i < bytes.size(); i += 2) {
        uint32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 3 >= bytes.size() || unit(i + 2) < 0xDC00 || unit(i + 2) > 0xDFFF) {
                result.encoding = TextEncoding::Invalid;
                result.error = "unpaired UTF-16 surrogate at byte " + std::to_string(i);
                result.utf8.clear();
                return result;
            }
            u = 0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            result.encoding = TextEncoding::Invalid;
            result.error = "unpaired UTF-16 surrogate at byte " + std::to_string(i);
            result.utf8.clear();
            return result;
        }
        appendUtf8(result.utf8, u);
    }
    return result;
}

} // namespace

size_t findInvalidUtf8(std::string_view bytes)
{
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        // Fast path for ASCII runs, the common case for JSON payloads.
        while (i + 8 <= n) {
            uint64_t chunk;
            __builtin_memcpy(&chunk, s + i, 8);
            if (chunk & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t min;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            min = 0x80;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            min = 0x800;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            min = 0x10000;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

bool looksLikeUtf16(std::string_view bytes)
{
    if (bytes.size() >= 2) {
        auto b0 = static_cast<unsigned char>(bytes[0]);
        auto b1 = static_cast<unsigned char>(bytes[1]);
        if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF))
            return true;
    }
    if (bytes.size() < 4)
        return false;
    size_t evenNul = 0, oddNul = 0;
    const size_t n = std::min<size_t>(bytes.size(), 256);
    for (size_t i = 0; i < n; ++i) {
        if (bytes[i] == '\0')
            (i % 2 == 0 ? evenNul : oddNul)++;
    }
    const size_t half = n / 2;
    return evenNul * 10 >= half * 4 || oddNul * 10 >= half * 4;
}

DecodedText decodeText(std::string_view bytes)
{
    if (bytes.size() >= 2) {
        auto b0 = static_cast<unsigned char>(bytes[0]);
        auto b1 = static_cast<unsigned char>(bytes[1]);
        if (b0 == 0xFF && b1 == 0xFE)
            return decodeUtf16(bytes.substr(2), true);
        if (b0 == 0xFE && b1 == 0xFF)
            return decodeUtf16(bytes.substr(2), false);
    }
    DecodedText result;
    if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xEF
        && static_cast<unsigned char>(bytes[1]) == 0xBB && static_cast<unsigned char>(bytes[2]) == 0xBF) {
        bytes.remove_prefix(3);
        result.encoding = TextEncoding::Utf8Bom;
    }
    const size_t bad = findInvalidUtf8(bytes);
    if (bad != std::string_view::npos || bytes.find('\0') != std::string_view::npos) {
        // UTF-16 without a BOM: decide by where the NUL bytes are.
        if (looksLikeUtf16(bytes)) {
            // ASCII in UTF-16 LE has its NULs at odd offsets, in BE at even ones.
            size_t evenNul = 0, oddNul = 0;
            for (size_t i = 0; i < bytes.size() && i < 256; ++i) {
                if (bytes[i] == '\0')
                    ++(i % 2 == 0 ? evenNul : oddNul);
            }
            return decodeUtf16(bytes, oddNul >= evenNul);
        }
        if (bad == std::string_view::npos) {
            result.utf8.assign(bytes); // NULs in UTF-8 text: unusual, but well-formed
            return result;
        }
        result.encoding = TextEncoding::Invalid;
        result.error = "not valid UTF-8 (first bad byte at offset " + std::to_string(bad) + ")";
        return result;
    }
    result.utf8.assign(bytes);
    return result;
}

const char* encodingName(TextEncoding e)
{
    switch (e) {
    case TextEncoding::Utf8:
        return "UTF-8";
    case TextEncoding::Utf8Bom:
        return "UTF-8 with BOM";
    case TextEncoding::Utf16LE:
        return "UTF-16 LE";
    case TextEncoding::Utf16BE:
        return "UTF-16 BE";
    case TextEncoding::Invalid:
        return "invalid";
    }
    return "invalid";
}

namespace {

std::string base64(std::string_view bytes)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t n = (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16)
            | (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8)
            | static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : { 18, 12, 6, 0 })
            out.push_back(alphabet[(n >> shift) & 63]);
    }
    if (const size_t rest = bytes.size() - i) {
        uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2)
            n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out.push_back(alphabet[(n >> 18) & 63]);
        out.push_back(alphabet[(n >> 12) & 63]);
        out.push_back(rest == 2 ? alphabet[(n >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

// Windows-1252's 0x80-0x9F (the five unassigned bytes stay the C1 controls, as WHATWG reads them).
constexpr std::array<uint16_t, 32> Cp1252High { 0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6,
    0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178 };

std::string decodeSingleByte(std::string_view bytes, bool cp1252)
{
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 4);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        appendUtf8(out, cp1252 && b >= 0x80 && b < 0xA0 ? Cp1252High[b - 0x80] : b);
    }
    return out;
}

enum class Declared { None, Utf8, Utf16, Utf16LE, Utf16BE, Latin1, Cp1252, Ascii, Other };

Declared declaredFamily(std::string_view label)
{
    std::string l;
    for (const char c : label)
        if (!std::isspace(static_cast<unsigned char>(c)) && c != '"' && c != '\'')
            l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (l.empty())
        return Declared::None;
    auto any = [&l](std::initializer_list<const char*> names) {
        return std::any_of(names.begin(), names.end(), [&l](const char* n) { return l == n; });
    };
    if (any({ "utf-8", "utf8", "unicode-1-1-utf-8" }))
        return Declared::Utf8;
    if (any({ "utf-16", "utf16", "unicode", "ucs-2", "ucs2" }))
        return Declared::Utf16;
    if (any({ "utf-16le", "utf16le", "utf-16-le" }))
        return Declared::Utf16LE;
    if (any({ "utf-16be", "utf16be", "utf-16-be" }))
        return Declared::Utf16BE;
    if (any({ "iso-8859-1", "iso8859-1", "iso_8859-1", "iso-8859-1:1987", "latin1", "latin-1", "l1", "cp819", "ibm819",
            "iso-ir-100" }))
        return Declared::Latin1;
    if (any({ "windows-1252", "cp1252", "x-cp1252" }))
        return Declared::Cp1252;
    if (any({ "us-ascii", "ascii" }))
        return Declared::Ascii;
    return Declared::Other;
}

BodyText decoded(std::string text, std::string encoding, std::string note)
{
    BodyText b;
    b.form = BodyText::Form::Decoded;
    b.text = std::move(text);
    b.encoding = std::move(encoding);
    b.note = std::move(note);
    return b;
}

} // namespace

BodyText bodyText(std::string_view bytes, std::string_view declaredEncoding)
{
    BodyText result;
    result.encoding = "UTF-8";
    if (bytes.empty())
        return result;
    // (The words below are only built off the common path: valid UTF-8 returns without them.)
    const Declared declared = declaredFamily(declaredEncoding);
    const std::string declaredText(declaredEncoding);
    std::string why; // why the bytes could not be read, for the base64 note
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    const bool utf16Bom = bytes.size() >= 2
        && ((b0 == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xFE)
            || (b0 == 0xFE && static_cast<unsigned char>(bytes[1]) == 0xFF));
    if (utf16Bom) {
        const DecodedText d = decodeText(bytes);
        if (d.encoding != TextEncoding::Invalid)
            return decoded(d.utf8, encodingName(d.encoding), "byte order mark");
        why = d.error;
    } else {
        const bool utf8Bom = bytes.size() >= 3 && b0 == 0xEF && static_cast<unsigned char>(bytes[1]) == 0xBB
            && static_cast<unsigned char>(bytes[2]) == 0xBF;
        const std::string_view rest = utf8Bom ? bytes.substr(3) : bytes;
        const size_t bad = findInvalidUtf8(rest);
        const bool utf16Shaped = rest.find('\0') != std::string_view::npos && looksLikeUtf16(rest);
        if (bad == std::string_view::npos && !utf16Shaped) {
            if (utf8Bom)
                return decoded(std::string(rest), encodingName(TextEncoding::Utf8Bom), "byte order mark removed");
            result.text.assign(bytes);
            return result;
        }
        // Not UTF-8: what the message says it is, when that can be read; then UTF-16 by its NULs.
        if (declared == Declared::Utf16 || declared == Declared::Utf16LE || declared == Declared::Utf16BE) {
            // Plain "utf-16" without a BOM: the byte order its NULs show, else little-endian (Windows, .NET).
            bool little = declared != Declared::Utf16BE;
            if (declared == Declared::Utf16 && utf16Shaped)
                little = decodeText(rest).encoding != TextEncoding::Utf16BE;
            const DecodedText d = decodeUtf16(rest, little);
            if (d.encoding != TextEncoding::Invalid)
                return decoded(d.utf8, encodingName(d.encoding), "declared by its content-encoding " + declaredText);
            why = d.error;
        } else if (declared == Declared::Latin1 || declared == Declared::Cp1252) {
            const bool cp1252 = declared == Declared::Cp1252;
            return decoded(decodeSingleByte(rest, cp1252), cp1252 ? "Windows-1252" : "ISO-8859-1",
                "declared by its content-encoding " + declaredText);
        }
        if (why.empty() && utf16Shaped) {
            const DecodedText d = decodeText(rest);
            if (d.encoding == TextEncoding::Utf16LE || d.encoding == TextEncoding::Utf16BE)
                return decoded(d.utf8, encodingName(d.encoding), "recognised without a byte order mark");
            why = d.error;
        }
        if (why.empty())
            why = "not valid UTF-8 (first bad byte at offset " + std::to_string(bad + (utf8Bom ? 3 : 0)) + ")";
    }
    result.form = BodyText::Form::Base64;
    result.text = base64(bytes);
    result.encoding = "base64";
    result.note = why
        + (declared == Declared::None ? std::string(", and no content-encoding says what it is")
                : declared == Declared::Other
                ? ", and its content-encoding " + declaredText + " is not one this tool reads"
                : ", whatever its content-encoding " + declaredText + " says")
        + ": shown in base64";
    return result;
}

} // namespace iotc
