#include "versions.h"

namespace iotc {

int compareVersions(std::string_view a, std::string_view b)
{
    auto next = [](std::string_view& s) -> unsigned long {
        unsigned long v = 0;
        size_t i = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            v = v > 100000000UL ? v : v * 10 + static_cast<unsigned long>(s[i] - '0'); // saturate, never overflow
            ++i;
        }
        while (i < s.size() && s[i] != '.')
            ++i;
        s.remove_prefix(i < s.size() ? i + 1 : i);
        return v;
    };
    while (!a.empty() || !b.empty()) {
        const unsigned long x = next(a), y = next(b);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

} // namespace iotc
