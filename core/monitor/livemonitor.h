#pragma once

#include "observation.h"

#include "central/connection.h"
#include "eventhub/eventhubconsumer.h"
#include "eventhub/eventhubtarget.h"

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

using ObservationBatch = std::shared_ptr<const std::vector<Observation>>;

// What the live monitor is doing, for a status bar: per hub and partition, rates and drops.
struct MonitorStatus {
    enum class Phase { Idle, GettingTokens, Running, Failed, Stopped };
    Phase phase = Phase::Idle;
    QString message; // in words: why it failed, which hubs it reads
    std::vector<PartitionState> partitions;
    quint64 received = 0;
    quint64 dropped = 0; // events the consumers' queues had to drop (never silently)
    quint64 filtered = 0;
    int reconnects = 0;
    double eventsPerSecond = 0;
    bool capturing = false;
    qint64 captured = 0;
    qint64 captureFailed = 0;
    // Statistics the pipeline let go to stay bounded (least recently seen first): devices, field series.
    quint64 evictedDevices = 0;
    quint64 evictedFields = 0;
};

const char* monitorPhaseName(MonitorStatus::Phase p);

struct LiveMonitorOptions {
    ConsumerOptions consumer;
    std::optional<EventHubTarget> target; // an Event Hubs connection string instead of the app's tokens
};

// Live telemetry for the GUI (or anything with an event loop): event hub consumers, the validation
// pipeline and an optional capture, all on one worker thread. Observations leave in batches
// (the consumers already coalesce their notifications to ~30 a second) through a queued signal, so
// the receiving thread only gets values ready to paint: issues found, top-level fields decoded.
class LiveMonitor : public QObject {
    Q_OBJECT
public:
    LiveMonitor(std::shared_ptr<CentralClient> client, LiveMonitorOptions options, QObject* parent = nullptr);
    ~LiveMonitor() override;

    void start();
    void stop();
    bool running() const { return m_running; }

    // Records the raw events to a capture file (JSON Lines) from now on; captureFailed says why
    // when the file cannot be created, statusChanged shows it recording.
    void startCapture(const QString& path);
    void stopCapture();
    // Reads a capture file (on the worker thread) through the same pipeline, as fast as it goes;
    // replayFinished says how many events and how many lines were not events (over-long ones included).
    void replay(const QString& path);

    // Monitor threads whose owner stopped waiting for them (still busy after a bounded wait) and
    // that have not ended yet. They are waited for when the application object goes (a post routine),
    // so none runs under ~QCoreApplication or static destruction.
    static int unfinishedThreads();

    class Worker;

Q_SIGNALS:
    void observations(const iotc::ObservationBatch& batch);
    void statusChanged(const iotc::MonitorStatus& status);
    void captureFailed(const QString& error);
    void replayFinished(qint64 events, qint64 badLines, const QString& error);

public:
    // Shared with the worker, which may outlive this object by a moment when it is destroyed.
    struct Shared {
        std::atomic<int> inFlight { 0 }; // batches emitted, not yet delivered
        std::atomic<bool> cancel { false }; // stop a replay
        std::atomic<bool> closing { false }; // the monitor is going: no more processing, nothing more emitted
    };

private:
    QThread* m_thread;
    std::shared_ptr<TemplateResolver> m_resolver; // the worker's: cancelled from here when closing
    Worker* m_worker;
    bool m_running = false;
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::ObservationBatch)
Q_DECLARE_METATYPE(iotc::MonitorStatus)
