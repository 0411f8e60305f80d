#pragma once

#include <cstddef>
#include <string_view>

namespace iotc {

// Deepest nesting of [ and { in JSON text (strings skipped), stopping early past limit.
// Payloads and templates deeper than a sane limit are refused before they are parsed, so no
// recursive walk (copy, dump, schema check) can exhaust the stack.
size_t jsonNestingDepth(std::string_view text, size_t limit);

// The bracket that encloses offset: '{', '[' or '\0' at the top level.
char enclosingBracket(std::string_view text, size_t offset);

inline constexpr size_t MaxJsonDepth = 256;

} // namespace iotc
