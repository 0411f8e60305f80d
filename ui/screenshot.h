#pragma once

#include <QImage>
#include <QString>

class QWidget;

namespace iotc {

// A picture for a support ticket: the widget as it is on screen (rendered in screenshot-safe mode,
// so payload secrets are masked) with a footer line: app, device, UTC time, tool version.
QImage ticketScreenshot(QWidget* widget, const QString& application, const QString& deviceId);
QString screenshotFooter(const QString& application, const QString& deviceId);

} // namespace iotc
