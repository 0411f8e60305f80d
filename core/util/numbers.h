#pragma once

#include <optional>
#include <string_view>

namespace iotc {

// Strict number parsing for command lines and settings: the whole word must be the number
// ("10", "-3", "2.5"); "0x", " 5", "5s", "1e3" for an integer, NaN and infinities are refused.
std::optional<long long> parseInteger(std::string_view text);
std::optional<double> parseNumber(std::string_view text);

} // namespace iotc
