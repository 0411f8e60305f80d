#pragma once

#include <QString>

#include <string>

namespace iotc {

// The peer's words (conditions, descriptions) as they end up on a terminal: bounded, and without
// control characters (an escape sequence would be obeyed).
inline QString qs(const std::string& s)
{
    QString t = QString::fromStdString(s.size() > 2000 ? s.substr(0, 2000) : s);
    for (QChar& c : t) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
            c = QLatin1Char(' ');
    }
    return t;
}

} // namespace iotc
