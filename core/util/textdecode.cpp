#include "textdecode.h"

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

} // namespace iotc
