#pragma once

#include <string>
#include <string_view>

namespace iotc {

// ASCII-only case handling for protocol words, names and codes (never locale-dependent).
std::string asciiLower(std::string_view s);
bool equalsIgnoringCase(std::string_view a, std::string_view b);

} // namespace iotc
