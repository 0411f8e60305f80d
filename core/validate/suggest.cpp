#include "suggest.h"

#include <algorithm>
#include <vector>

namespace iotc {

namespace {
char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
} // namespace

size_t editDistance(std::string_view a, std::string_view b, size_t max)
{
    const size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > max)
        return max + 1;
    // Optimal string alignment distance, three rows.
    std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j)
        prev[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        size_t rowMin = cur[0];
        for (size_t j = 1; j <= m; ++j) {
            const size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost });
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            rowMin = std::min(rowMin, cur[j]);
        }
        if (rowMin > max)
            return max + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], max + 1);
}

size_t suggestionDistance(std::string_view name)
{
    if (name.size() <= 3)
        return 0;
    if (name.size() <= 6)
        return 1;
    return 2;
}

} // namespace iotc
