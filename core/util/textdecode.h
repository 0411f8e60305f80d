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

// A message body made fit to show: never mangled text (no replacement characters). UTF-8 as it is;
// a BOM's encoding, a declared encoding it can read (content-encoding: UTF-16, ISO-8859-1,
// Windows-1252, US-ASCII) or UTF-16 recognised without a BOM, decoded, with the encoding named;
// anything else in base64, with why.
struct BodyText {
    enum class Form { Text, Decoded, Base64 };
    Form form = Form::Text;
    std::string text; // UTF-8 text (Text, Decoded), or the bytes in base64
    std::string encoding; // what the bytes were read as: "UTF-8", "UTF-16 LE", "ISO-8859-1" ...
    std::string note; // Decoded and Base64: how the encoding was told, or why the bytes could not be read
};

// declaredEncoding: the message's content-encoding (empty when it carried none).
BodyText bodyText(std::string_view bytes, std::string_view declaredEncoding = {});

} // namespace iotc
