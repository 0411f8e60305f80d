#pragma once

#include <QString>

namespace iotc {

// The "screenshot-safe" view mode: while on, every pane passes text that may hold secrets
// (payloads, properties, log lines, connection details) through redactSecrets before showing it.
bool screenshotSafe();
void setScreenshotSafe(bool on);
// text as it may be shown now.
QString displaySafe(const QString& text);

} // namespace iotc
