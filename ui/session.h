#pragma once

#include "central/connection.h"
#include "eventhub/eventhubtarget.h"
#include "monitor/eventstream.h"

#include <QFutureWatcher>
#include <QObject>

#include <memory>
#include <optional>

class QThread;

namespace iotc {

class CentralClient;
class LiveMonitor;

namespace sim {
class SimulatedApp;
}

// The application the workbench is connected to: the REST client, the live monitor, a worker
// thread for pollers, and (with the demo) the simulated app itself. No widgets: panes ask it for
// what they need and listen to its signals.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    // Starts the built-in simulated app off the GUI thread, then connects to it.
    void startDemo(int extraDevices = 200);
    // Checks the application answers (one cheap REST call, on the HTTP thread), then connected().
    void connectTo(const ConnectionProfile& profile, std::optional<EventHubTarget> eventHub = {});
    void disconnect();

    bool isConnected() const { return m_client != nullptr; }
    bool isDemo() const { return m_demo != nullptr; }
    std::shared_ptr<CentralClient> client() const { return m_client; }
    const ConnectionProfile& profile() const { return m_profile; }
    std::optional<EventHubTarget> eventHubTarget() const { return m_eventHub; }
    sim::SimulatedApp* demoApp() const { return m_demo.get(); }
    QString appLabel() const; // host of the app, no credentials

    // Live telemetry for the whole app (every view filters what it needs).
    LiveMonitor* monitor() const { return m_monitor.get(); }
    void startMonitor(const ConsumerStart& start = {}, const QString& consumerGroup = QStringLiteral("$Default"));
    void stopMonitor();
    // Replays a capture file through a fresh (not listening) monitor's pipeline.
    void replay(const QString& path);
    ConsumerStart monitorStart() const { return m_start; }
    QString consumerGroup() const { return m_consumerGroup; }

    // Where pollers (property watches) live: not the GUI thread.
    QThread* workerThread() const { return m_worker; }

Q_SIGNALS:
    void connecting(const QString& what);
    void connected();
    void connectionFailed(const QString& explanation);
    void monitorChanged(iotc::LiveMonitor* monitor);

private:
    struct Probe {
        QString error;
    };
    std::unique_ptr<sim::SimulatedApp> m_demo;
    QFutureWatcher<QString> m_demoStarter;
    std::shared_ptr<CentralClient> m_client;
    ConnectionProfile m_profile;
    std::optional<EventHubTarget> m_eventHub;
    std::unique_ptr<LiveMonitor> m_monitor;
    ConsumerStart m_start;
    QString m_consumerGroup = QStringLiteral("$Default");
    QThread* m_worker;
    int m_generation = 0;
};

} // namespace iotc
