#pragma once

#include <QString>

namespace iotc {

// Masks secrets in any text that leaves the program (reports, exports, logs, screenshots' text):
// SAS signatures, shared access keys, bearer/JWT tokens and JSON fields that hold keys or tokens.
QString redactSecrets(const QString& text);

} // namespace iotc
