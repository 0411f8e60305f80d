#pragma once

#include <QObject>
#include <QString>

namespace iotc {

// The "screenshot-safe" view mode: while on, every pane passes text that may hold secrets
// (payloads, properties, log lines, connection details) through redactSecrets before showing it.
bool screenshotSafe();
void setScreenshotSafe(bool on);
// text as it may be shown now.
QString displaySafe(const QString& text);

// Tells views that cache rendered text to render it again when the mode changes (GUI thread).
class ScreenshotSafeNotifier : public QObject {
    Q_OBJECT
Q_SIGNALS:
    void changed(bool on);
};
ScreenshotSafeNotifier* screenshotSafeNotifier();

} // namespace iotc
