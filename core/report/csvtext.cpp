#include "csvtext.h"

namespace iotc {

QString csvRecord(const QStringList& cells)
{
    QStringList out;
    out.reserve(cells.size());
    for (QString cell : cells) {
        if (!cell.isEmpty()
            && (cell.front() == QLatin1Char('=') || cell.front() == QLatin1Char('+') || cell.front() == QLatin1Char('-')
                || cell.front() == QLatin1Char('@') || cell.front() == QLatin1Char('\t')
                || cell.front() == QLatin1Char('\r')))
            cell.prepend(QLatin1Char('\''));
        if (cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"')) || cell.contains(QLatin1Char('\n'))
            || cell.contains(QLatin1Char('\r'))) {
            cell.replace(QLatin1Char('"'), QStringLiteral("\"\""));
            cell = QLatin1Char('"') + cell + QLatin1Char('"');
        }
        out << cell;
    }
    return out.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

} // namespace iotc
