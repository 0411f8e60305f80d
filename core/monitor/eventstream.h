#pragma once

#include "observation.h"

#include "central/centralclient.h"
#include "eventhub/eventhubconsumer.h"
#include "eventhub/eventhubtarget.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace iotc {

class CaptureWriter;
class MonitorPipeline;
class TemplateResolver;
struct CentralError;

using ObservationBatch = std::shared_ptr<const std::vector<Observation>>;

// What an event stream is doing, for a status bar: per hub and partition, rates and drops.
struct MonitorStatus {
    enum class Phase { Idle, GettingTokens, Running, Failed, Stopped };
    Phase phase = Phase::Idle;
    QString message; // in words: why it failed, which hubs it reads
    std::vector<PartitionState> partitions;
    quint64 received = 0;
    quint64 dropped = 0; // events the consumers' queues had to drop (never silently)
    quint64 filtered = 0;
    int reconnects = 0;
    // How the stream travels ("AMQP over WebSockets (443) through proxy.example:8080"), once a
    // connection opened.
    QString route;
    double eventsPerSecond = 0;
    bool capturing = false;
    qint64 captured = 0;
    qint64 captureFailed = 0;
    QString captureError; // the last capture's first write error, once it is closed; empty when all was written
    // Statistics the pipeline let go to stay bounded (least recently seen first): devices, field series.
    quint64 evictedDevices = 0;
    quint64 evictedFields = 0;
};

const char* monitorPhaseName(MonitorStatus::Phase p);

// Why the application's event hubs cannot be read when it would not hand out their tokens, in
// words. A refusal (401, 403) is explained: most apps let only an Entra ID token, not an API
// token, call generateEventSasTokens; an Event Hubs connection string is the other way in.
QString eventHubTokensError(const CentralError& error);

struct EventStreamOptions {
    ConsumerOptions consumer;
    std::optional<EventHubTarget> target; // an Event Hubs connection string instead of the app's tokens
    bool validate = true; // run the events through the pipeline (observations); false: raw events only
    size_t historyPerField = 1; // the pipeline's field histories (views that chart keep their own)
    bool collectFields = false; // hand each observation its decoded top-level fields
    qint64 maxEvents = 0; // take no more than this many events (0: no limit), then limitReached()
    Severity statsMinimum = Severity::Info; // the pipeline's statistics count issues of this severity and above
    // Set from any thread when the owner is going: nothing more is processed or emitted.
    std::shared_ptr<const std::atomic<bool>> closing;
};

// The one reader of the event stream: finds the hubs to read (the application's event hub tokens,
// or an Event Hubs connection string), runs one consumer per hub, renews the application's tokens
// before they lapse, writes an optional capture, hands the events on (raw, and validated through
// the pipeline) and publishes its status. When every consumer has failed, it says why (failed()):
// a hub none of whose partitions ever received is such a failure (refused, DNS, TLS, CBS, $management:
// one retry, or ConsumerOptions::unreachableAfterMs), never a quiet stream; once a partition received,
// lost connections are retried.
// A QObject of the thread that owns it, driven by that thread's event loop: nothing here sleeps or
// polls, so the owner can stop it at any moment. The GUI runs it on a worker thread (LiveMonitor),
// iotc-diag and the diagnosis on their own.
class EventStream : public QObject {
    Q_OBJECT
public:
    // client: for the event hub tokens (none needed with options.target) and their renewal.
    // resolver: the templates events are judged by (null: none, every device "template-unavailable").
    EventStream(std::shared_ptr<CentralClient> client, std::shared_ptr<TemplateResolver> resolver,
        EventStreamOptions options, QObject* parent = nullptr);
    ~EventStream() override;

    // Finds the hubs (started(), or failed()), then reads them. Tokens are asked for without waiting.
    void start();
    // Stops reading, then hands on everything already received (nothing in between is lost), and
    // closes the capture.
    void stop();
    // The owner is going: the capture is closed, the consumers stop and what they queued is dropped.
    void shutdown();

    // Writes the raw events to a capture file (JSON Lines, .gz compressed) from now on; the error
    // when it cannot be created.
    QString startCapture(const QString& path);
    void stopCapture();

    // Runs events from elsewhere (a replayed capture) through the same pipeline: counted, observed.
    void feed(std::vector<TelemetryEvent> events);

    const MonitorStatus& status() const { return m_status; }
    // Publishes the status now (it also goes out on every change, and each second while reading).
    void publishStatus();
    const MonitorPipeline& pipeline() const { return *m_pipeline; }
    bool reading() const { return !m_consumers.empty(); }
    QStringList hubs() const { return m_hubs; } // the event hubs read (once started)
    // The last reason a consumer gave up, also while others read on; empty when none did.
    QString consumerFailure() const { return m_consumerFailure; }

Q_SIGNALS:
    // The hubs were found and are being read (before a single event was taken).
    void started(const QStringList& hubs);
    // Events as taken from the hubs (after the capture saw them), on this object's thread.
    void eventsReceived(const std::vector<iotc::TelemetryEvent>& events);
    // The same events, validated (when options.validate).
    void observations(const iotc::ObservationBatch& batch);
    void statusChanged(const iotc::MonitorStatus& status);
    // A connection opened, or the way it travels changed (auto's fallback to WebSockets): route in
    // words, as MonitorStatus::route.
    void routeChanged(const QString& route);
    // options.maxEvents were taken: nothing more is.
    void limitReached();
    // The stream cannot go on: no hub could be found, or every consumer has failed.
    void failed(const QString& reason);

private:
    void tokensArrived();
    void startConsumers(const QList<EventHubTarget>& targets);
    void drain();
    void hand(std::vector<TelemetryEvent> events);
    void consumerFailed(const QString& why);
    void retireConsumers();
    void fail(const QString& reason);
    void setPhase(MonitorStatus::Phase phase, const QString& message);
    bool closing() const { return m_options.closing && m_options.closing->load(); }

    std::shared_ptr<CentralClient> m_client;
    EventStreamOptions m_options;
    std::unique_ptr<MonitorPipeline> m_pipeline;
    std::vector<std::unique_ptr<EventHubConsumer>> m_consumers;
    std::unique_ptr<CaptureWriter> m_capture;
    MonitorStatus m_status;
    QTimer m_tick;
    QFutureWatcher<Result<QJsonObject>> m_tokens; // the application's event hub tokens, on their way
    bool m_askingTokens = false;
    bool m_stopped = false;
    bool m_limitReached = false;
    int m_failed = 0;
    QString m_consumerFailure;
    QString m_announcedRoute; // the route routeChanged() last said
    QStringList m_hubs;
    // Counts of consumers stopped before: the status keeps them after a stop.
    quint64 m_retiredDropped = 0;
    quint64 m_retiredFiltered = 0;
    int m_retiredReconnects = 0;
    QElapsedTimer m_rateClock;
    quint64 m_rateBase = 0;
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::ObservationBatch)
Q_DECLARE_METATYPE(iotc::MonitorStatus)
