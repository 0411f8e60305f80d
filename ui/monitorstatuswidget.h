#pragma once

#include "monitor/livemonitor.h"

#include <QWidget>

class QLabel;

namespace iotc {

// The status bar's live part: what the monitor is doing, how it travels (transport, proxy), each
// partition's state (errors in words), events per second, dropped events and the capture indicator.
class MonitorStatusWidget : public QWidget {
    Q_OBJECT
public:
    explicit MonitorStatusWidget(QWidget* parent = nullptr);

    void setStatus(const MonitorStatus& s);
    void clear(const QString& text);
    QString text() const;

private:
    QLabel* m_state;
    QLabel* m_rate;
    QLabel* m_dropped;
    QLabel* m_capture;
};

} // namespace iotc
