#include "numbers.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace iotc {

std::optional<long long> parseInteger(std::string_view text)
{
    long long v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return v;
}

std::optional<double> parseNumber(std::string_view text)
{
    // from_chars also reads "inf", "nan" and exponents; only plain decimals are numbers here.
    if (text.empty() || text.find_first_not_of("-0123456789.") != std::string_view::npos)
        return std::nullopt;
    double v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || !std::isfinite(v))
        return std::nullopt;
    return v;
}

} // namespace iotc
