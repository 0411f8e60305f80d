#pragma once

#include <string>
#include <string_view>

namespace iotc {

// How the bytes of a text file or message body were encoded, as far as we can tell.
enum class TextEncoding { Utf8, Utf8Bom, Utf16LE, Utf16BE, Invalid };

struct DecodedText {
    std::string utf8; // the text as UTF-8 (BOM removed); empty when encoding is Invalid
    TextEncoding encoding = TextEncoding::Utf8;
    std::string error; // why decoding failed
};

// Decodes a file's bytes: UTF-8, UTF-8 with BOM, or UTF-16 (LE/BE) with BOM.
DecodedText decodeText(std::string_view bytes);

// Offset of the first byte that breaks UTF-8 well-formedness (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or npos when all of it is valid.
size_t findInvalidUtf8(std::string_view bytes);

// True when the bytes look like UTF-16 without or with a BOM (many NULs at alternating offsets).
bool looksLikeUtf16(std::string_view bytes);

const char* encodingName(TextEncoding e);

} // namespace iotc
