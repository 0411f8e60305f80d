#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace iotc {

// Deepest nesting of [ and { in JSON text (strings skipped), stopping early past limit.
// Payloads and templates deeper than a sane limit are refused before they are parsed, so no
// recursive walk (copy, dump, schema check) can exhaust the stack.
size_t jsonNestingDepth(std::string_view text, size_t limit);

// The bracket that encloses offset: '{', '[' or '\0' at the top level.
char enclosingBracket(std::string_view text, size_t offset);

inline constexpr size_t MaxJsonDepth = 256;

// Parses data from outside (a device's body, a capture, a log line) without exceptions: the result is
// discarded when the text is not JSON or nests deeper than MaxJsonDepth (tooDeep then says which).
// Every path that parses device data goes through here: copying, dumping or walking a parsed value
// recurses once per level, so a 200,000-level body must never be parsed in the first place.
// Json is any nlohmann::basic_json (the caller includes its definition).
template <typename Json = nlohmann::json> Json parseJsonBounded(std::string_view text, bool* tooDeep = nullptr)
{
    const bool deep = jsonNestingDepth(text, MaxJsonDepth) > MaxJsonDepth;
    if (tooDeep)
        *tooDeep = deep;
    if (deep)
        return Json(Json::value_t::discarded);
    return Json::parse(text, nullptr, false);
}

} // namespace iotc
