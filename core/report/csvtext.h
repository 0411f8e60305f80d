#pragma once

#include <QString>
#include <QStringList>

namespace iotc {

// One CSV record (RFC 4180): cells with a comma, a quote or a line break are quoted, quotes doubled;
// a cell a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a carriage
// return) is prefixed with an apostrophe, so a device's name cannot run in the reader's
// spreadsheet. Ends with CRLF.
QString csvRecord(const QStringList& cells);

} // namespace iotc
