#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace iotc {

// Asks for a device log file and reads it on a worker thread (the first 16 MiB; a longer log is
// cut and the name says so), then calls done on the GUI thread: text, a name to show, or an error.
void openDeviceLog(
    QWidget* parent, std::function<void(const QString& text, const QString& name, const QString& error)> done);

} // namespace iotc
