#include "timeformats.h"

namespace iotc {

namespace {

bool digits(std::string_view s, size_t pos, size_t count, int& value)
{
    if (pos + count > s.size())
        return false;
    value = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Moves i past a run of digits; false if there was none.
bool skipDigits(std::string_view s, size_t& i)
{
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    return i != start;
}

int daysInMonth(int y, int m)
{
    static constexpr int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

// hh:mm:ss[.frac][Z|+hh:mm|-hh:mm]; requireOffset for RFC 3339 full-time.
bool timePart(std::string_view s)
{
    int h, m, sec;
    if (!digits(s, 0, 2, h) || s.size() < 8 || s[2] != ':' || !digits(s, 3, 2, m) || s[5] != ':'
        || !digits(s, 6, 2, sec))
        return false;
    if (h > 23 || m > 59 || sec > 60)
        return false;
    size_t i = 8;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!skipDigits(s, i))
            return false;
    }
    if (i == s.size())
        return true;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size())
        return true;
    if (s[i] == '+' || s[i] == '-') {
        int oh, om;
        return s.size() == i + 6 && digits(s, i + 1, 2, oh) && s[i + 3] == ':' && digits(s, i + 4, 2, om) && oh <= 23
            && om <= 59;
    }
    return false;
}

} // namespace

bool isRfc3339Date(std::string_view s)
{
    int y, m, d;
    if (s.size() != 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-'
        || !digits(s, 8, 2, d))
        return false;
    return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

bool isRfc3339Time(std::string_view s)
{
    return timePart(s);
}

bool isRfc3339DateTime(std::string_view s)
{
    if (s.size() < 19 || (s[10] != 'T' && s[10] != 't'))
        return false;
    return isRfc3339Date(s.substr(0, 10)) && timePart(s.substr(11));
}

bool isIso8601Duration(std::string_view s)
{
    if (s.size() < 3 || s[0] != 'P')
        return false;
    // Alternative format PYYYY-MM-DDThh:mm:ss.
    if (s.size() == 20 && s[5] == '-' && s[11] == 'T') {
        int y, mo, d, h, mi, se;
        return digits(s, 1, 4, y) && digits(s, 6, 2, mo) && s[8] == '-' && digits(s, 9, 2, d) && digits(s, 12, 2, h)
            && s[14] == ':' && digits(s, 15, 2, mi) && s[17] == ':' && digits(s, 18, 2, se) && mo <= 12 && d <= 30
            && h <= 24 && mi <= 59 && se <= 59;
    }
    static constexpr std::string_view dateUnits = "YMWD";
    static constexpr std::string_view timeUnits = "HMS";
    size_t i = 1;
    bool inTime = false;
    bool any = false;
    bool anyTime = false;
    bool fractionSeen = false;
    size_t lastUnit = 0; // position in the unit list + 1, to enforce order
    while (i < s.size()) {
        if (s[i] == 'T') {
            if (inTime)
                return false;
            inTime = true;
            lastUnit = 0;
            ++i;
            continue;
        }
        if (fractionSeen)
            return false; // only the smallest (last) element may have a fraction
        if (!skipDigits(s, i))
            return false;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            ++i;
            if (!skipDigits(s, i))
                return false;
            fractionSeen = true;
        }
        if (i >= s.size())
            return false;
        const auto units = inTime ? timeUnits : dateUnits;
        const size_t u = units.find(s[i]);
        if (u == std::string_view::npos || u + 1 <= lastUnit)
            return false;
        lastUnit = u + 1;
        any = true;
        anyTime = anyTime || inTime;
        ++i;
    }
    return any && (!inTime || anyTime);
}

bool isUuid(std::string_view s)
{
    if (s.size() != 36)
        return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

bool isBase64(std::string_view s)
{
    if (s.size() % 4 != 0)
        return false;
    size_t pad = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '=') {
            ++pad;
            if (i < s.size() - 2)
                return false;
            continue;
        }
        if (pad)
            return false;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'))
            return false;
    }
    return pad <= 2;
}

bool isDecimalText(std::string_view s)
{
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    bool digitsSeen = false, point = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9')
            digitsSeen = true;
        else if (s[i] == '.' && !point)
            point = true;
        else
            return false;
    }
    return digitsSeen;
}

} // namespace iotc
