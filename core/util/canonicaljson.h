#pragma once

#include <string>
#include <string_view>

namespace iotc {

// Writing JSON text as nlohmann::json (std::map objects) writes it with
// dump(-1, ' ', false, error_handler_t::replace), without building the tree: for output paths that
// print many small documents (a replay of a million events).

// One ASCII byte in a JSON string as that dump (and the issue writer) writes it: '"', '\\' and the
// control bytes escaped (the short forms, \u00xx in lower case for the rest), any other as it is.
void appendEscapedAscii(std::string& out, unsigned char c);

// A string as that dump writes it: escapes for '"', '\\' and control characters (\u00xx in lower
// case for those without a short form), everything else as it is; bytes that are not UTF-8 replaced
// as nlohmann replaces them.
void appendDumpedString(std::string& out, std::string_view utf8);

// The text parsed and dumped: members in byte order of their names (a repeated name keeping its
// last value), no whitespace, numbers as nlohmann writes them. False, with out as it was, when
// JsonReader leaves the text to the full parser (not JSON, or anything it does not decide) or when
// objects nest more than a few levels deep (each level is read twice here); the caller then parses
// and dumps.
bool appendCanonicalJson(std::string& out, std::string_view text);

} // namespace iotc
