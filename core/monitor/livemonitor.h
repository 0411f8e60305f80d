#pragma once

#include "eventstream.h"

#include "central/connection.h"
#include "central/device.h"
#include "eventhub/eventhubtarget.h"

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace iotc {

class CentralClient;
class TemplateResolver;

struct LiveMonitorOptions {
    ConsumerOptions consumer;
    std::optional<EventHubTarget> target; // an Event Hubs connection string instead of the app's tokens
};

// Live telemetry for the GUI (or anything with an event loop): an EventStream (the consumers, the
// validation pipeline and an optional capture) on a worker thread of its own, and its status.
// Observations leave in batches (the consumers already coalesce their notifications to ~30 a second)
// through a queued signal, so the receiving thread only gets values ready to paint: issues found,
// top-level fields decoded.
class LiveMonitor : public QObject {
    Q_OBJECT
public:
    LiveMonitor(std::shared_ptr<CentralClient> client, const LiveMonitorOptions& options, QObject* parent = nullptr);
    ~LiveMonitor() override;

    void start();
    void stop();
    bool running() const { return m_running; }

    // Records the raw events to a capture file (JSON Lines) from now on; captureFailed says why
    // when the file cannot be created, statusChanged shows it recording.
    void startCapture(const QString& path);
    void stopCapture();
    // Devices the application's list told (each page as it comes): their templates are known, so
    // the stream never looks them up one by one (no GET /devices/{id} per sender of 100,000).
    void knowDevices(const QList<iotc::Device>& devices);
    // Reads a capture file (on the worker thread) through the same pipeline, as fast as it goes;
    // replayFinished says how many events and how many lines were not events (over-long ones included).
    void replay(const QString& path);

    // Monitor threads whose owner stopped waiting for them (still busy after a bounded wait) and
    // that have not ended yet. They are waited for when the application object goes (a post routine),
    // so none runs under ~QCoreApplication or static destruction.
    static int unfinishedThreads();

    class Worker; // on the monitor's thread: the EventStream, and a replay's reading

Q_SIGNALS:
    void observations(const iotc::ObservationBatch& batch);
    void statusChanged(const iotc::MonitorStatus& status);
    void captureFailed(const QString& error);
    void replayFinished(qint64 events, qint64 badLines, const QString& error);

public:
    // Shared with the worker thread, which may outlive this object by a moment when it is destroyed.
    struct Shared {
        std::atomic<int> inFlight { 0 }; // batches emitted, not yet delivered
        std::atomic<bool> cancel { false }; // stop a replay
        std::atomic<bool> closing { false }; // the monitor is going: no more processing, nothing more emitted
    };

private:
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>(); // first: the worker is given it
    QThread* m_thread;
    std::shared_ptr<TemplateResolver> m_resolver; // the stream's: cancelled from here when closing
    Worker* m_worker;
    bool m_running = false;
};

} // namespace iotc
