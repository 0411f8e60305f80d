#pragma once

#include "eventhubtarget.h"
#include "telemetryevent.h"
#include "tokenkeeper.h"

#include "net/networksettings.h"

#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QString>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

namespace iotc {

// Where a receiver starts reading when there is nothing to resume from.
struct ConsumerStart {
    enum class Kind { Latest, Beginning, EnqueuedTime, SequenceNumbers };
    Kind kind = Kind::Latest;
    qint64 enqueuedMs = 0; // EnqueuedTime: events after this time
    std::map<int, qint64> sequenceNumbers; // SequenceNumbers: events after these, per partition

    static ConsumerStart minutesAgo(double minutes);
};

struct ConsumerOptions {
    QString consumerGroup = QStringLiteral("$Default");
    ConsumerStart start;
    int credit = 5000; // per partition: events the service may send ahead (the C++ SDK prefetches 5000)
    size_t queueCapacity = 200000; // events waiting for take(); the oldest are dropped (and counted) past it
    // Also keep every annotation as received and the AMQP properties section in each event
    // (TelemetryEvent::annotations, systemProperties): for whoever shows or records them (about a
    // microsecond an event; without it, IoT Hub's annotations still fill their fields).
    bool allProperties = false;
    QString deviceFilter; // wildcard (*, ?) on the device id; empty = all
    QString moduleFilter;
    int tokenLifetimeSeconds = 3600; // when the target has a key and tokens are made here
    int maxReconnectDelayMs = 30000;
    // Until a partition first receives, the hub is not known to be reachable: a lost connection
    // (refused, DNS, TLS, CBS busy) is retried once, and a second loss, or this long without any
    // partition receiving (a black-holed address, attaches refused again and again), ends the
    // consumer with failed(). Once a partition received, lost connections are retried for ever.
    int unreachableAfterMs = 15000; // 0: no time limit (the retry limit still applies)
    // The transport (auto: 5671, then AMQP over WebSockets on 443), ports, proxy and extra trust
    // anchors. A certificate that is still not trusted, is for another host or has expired ends the
    // consumer with failed() in words; there is no way to ignore it.
    NetworkSettings network;
    // How long auto's first try on 5671 may take before it goes to WebSockets.
    int autoAmqpTimeoutMs = 5000;
};

// How one partition's receiver is doing; failures are never silent.
struct PartitionState {
    enum class State { Connecting, Receiving, Retrying, Error, Stopped };
    int partition = -1;
    State state = State::Connecting;
    QString condition; // AMQP condition of the last failure (amqp:link:stolen ...)
    QString description; // in words
    qint64 lastSequence = -1; // last event seen (resumes after it)
    qint64 received = 0;
    int retryInMs = 0;
};

const char* partitionStateName(PartitionState::State s);

// Reads every partition of an event hub over AMQP 1.0: Proton's connection driver on Qt's sockets
// (TLS by QSslSocket), on the one AMQP thread every consumer shares (AmqpIoThread). CBS put-token,
// partitions from $management, one receiver per partition. Tokens are renewed before they expire;
// once a partition has received, lost connections are re-established with backoff (a hub that
// never let one receive is reported unreachable instead) and each partition resumes after the last
// sequence number seen, so nothing is lost or duplicated. The handler only copies events into a
// bounded queue; take() hands them out in batches on any thread.
class EventHubConsumer : public QObject {
    Q_OBJECT
public:
    EventHubConsumer(EventHubTarget target, ConsumerOptions options, QObject* parent = nullptr);
    ~EventHubConsumer() override;

    void start();
    void stop();

    std::vector<TelemetryEvent> take(size_t max = 5000);
    quint64 dropped() const;
    quint64 filtered() const;
    int reconnects() const;
    std::vector<PartitionState> partitions() const;
    QString fatalError() const; // set when it stopped for good (credentials refused ...)
    // How the connection travels once it opened ("AMQP over WebSockets (443) through
    // proxy.example:8080"); empty until then. stateChanged() says when it changes.
    QString route() const;

    // Where fresh ready-made tokens are left (IoT Central's tokens expire): put on $cbs before the
    // old one lapses, and used for every reconnect from then on. Any thread; it outlives the
    // consumer, so a late answer harms nothing.
    std::shared_ptr<TokenInbox> tokenInbox() const;

    class Session;

Q_SIGNALS:
    void eventsAvailable(); // coalesced (at most ~30 a second): take() until empty
    void stateChanged();
    void failed(const QString& reason);
    // A ready-made token passed 80% of its life (asked again after a pause until one arrives in
    // tokenInbox()): whoever got it asks for a new one. Targets with a key renew their own tokens.
    void tokenNeeded();

private:
    friend class Session;
    void notifyEvents();
    void notifyState();
    void notifyTokenNeeded();

    std::unique_ptr<Session> m_session;
    std::atomic<bool> m_eventsPending { false };
    std::atomic<bool> m_statePending { false };
};

} // namespace iotc
