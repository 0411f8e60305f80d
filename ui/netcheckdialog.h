#pragma once

#include "net/netcheck.h"

#include <QDialog>
#include <QFutureWatcher>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace iotc {

// Tools -> Check this network…: can a device on this machine's network reach DPS, the IoT hubs
// and the event hub on its protocols and ports (core/net/netcheck)? The check runs on a worker
// thread; the table fills in when it is done, failures first in the verdict, in the device's terms.
class NetCheckDialog : public QDialog {
    Q_OBJECT
public:
    // network: the proxy and CAs in use (the connected application's); eventHubHosts: its event
    // hubs' host names when known.
    NetCheckDialog(const NetworkSettings& network, const QStringList& eventHubHosts, QWidget* parent = nullptr);
    ~NetCheckDialog() override;

    void setTargets(const QString& dpsHost, const QStringList& hubHosts, const NetPorts& ports);
    void run();
    bool isRunning() const { return m_watcher.isRunning(); }
    const NetCheckReport& report() const { return m_report; }
    QString reportText() const; // what "Copy" puts on the clipboard

signals:
    void finished();

private:
    void showReport();

    NetworkSettings m_network;
    QStringList m_eventHubHosts;
    QLineEdit* m_dps;
    QLineEdit* m_hubs;
    QSpinBox* m_mqttPort;
    QSpinBox* m_amqpPort;
    QSpinBox* m_websocketPort;
    QPushButton* m_run;
    QPushButton* m_copy;
    QTableWidget* m_table;
    QLabel* m_verdict;
    QFutureWatcher<NetCheckReport> m_watcher;
    NetCheckReport m_report;
};

} // namespace iotc
