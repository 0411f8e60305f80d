#pragma once

#include "central/connection.h"
#include "device/deviceprobe.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QPushButton;
class QComboBox;
class QTreeWidget;

namespace iotc {

// The device view's Connectivity tab: the probe as the device (core/device/deviceprobe), its
// steps ticking off as they run, after a confirmation (the real device is disconnected while the
// probe holds its identity). The probe runs on a worker thread; this only paints.
class ConnectivityPane : public QWidget {
    Q_OBJECT
public:
    explicit ConnectivityPane(QWidget* parent = nullptr);
    ~ConnectivityPane() override;

    void setTarget(const ConnectionProfile& profile, const QString& deviceId);
    // The hub's device ports (8883, 5671, 443 unless a private endpoint or the simulator says otherwise).
    void setPorts(int mqtt, int amqp, int webSocket);
    // Asks first (the device is disconnected meanwhile); runs when confirmed.
    void probe();
    // Runs without asking: for a caller that already asked (and the tests).
    void probeConfirmed();
    bool isRunning() const { return m_watcher.isRunning(); }
    const ProbeReport& report() const { return m_report; }

Q_SIGNALS:
    void finished(const iotc::ProbeReport& report);
    void networkCheckRequested();

private:
    void stepDone(const ProbeStep& step);
    void showReport(const ProbeReport& report);

    ConnectionProfile m_profile;
    QString m_device;
    QLabel* m_intro;
    QComboBox* m_protocol;
    int m_mqttPort = 8883;
    int m_amqpPort = 5671;
    int m_webSocketPort = 443;
    QPushButton* m_probe;
    QPushButton* m_netcheck;
    QTreeWidget* m_steps;
    QLabel* m_verdict;
    QFutureWatcher<ProbeReport> m_watcher;
    ProbeReport m_report;
};

} // namespace iotc
