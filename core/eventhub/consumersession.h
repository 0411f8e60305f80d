#pragma once

// The Proton side of EventHubConsumer: one messaging handler on the container's own thread that
// owns the connection, CBS, $management and the partition receivers, and hands events to the
// Qt side through a bounded queue. Included by eventhubconsumer.cpp only.

#include "amqpwire.h"
#include "eventdecode.h"
#include "eventfilter.h"
#include "eventhubconsumer.h"
#include "eventqueue.h"
#include "notifypacer.h"
#include "requestreply.h"
#include "tokenkeeper.h"

#include <QDateTime>

#include <proton/codec/map.hpp>
#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/container.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/link.h>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/sender.hpp>
#include <proton/ssl.hpp>
#include <proton/timestamp.hpp>
#include <proton/transport.hpp>
#include <proton/work_queue.hpp>

#include <mutex>
#include <pthread.h>
#include <thread>

namespace iotc {

// The peer's words (conditions, descriptions) as they end up on a terminal: bounded, and without
// control characters (an escape sequence would be obeyed).
inline QString qs(const std::string& s)
{
    QString t = QString::fromStdString(s.size() > 2000 ? s.substr(0, 2000) : s);
    for (QChar& c : t) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
            c = QLatin1Char(' ');
    }
    return t;
}

// The largest event a partition link asks for (max-message-size in its attach): above Event Hubs'
// largest event (20 MB on Dedicated), so nothing the service may send is refused. Proton 0.37 only
// announces it to the peer: it does not enforce it on what arrives (the C++ layer buffers and
// decodes a whole delivery before on_message), so a peer that ignores it is not stopped here; what
// it sends is still rendered within bounds (protondata.h).
inline constexpr uint64_t MaxLinkMessageBytes = 32 * 1024 * 1024;

// The C link under a proton::receiver (the C++ options have no max message size in 0.37).
class RawLink : public proton::receiver {
public:
    explicit RawLink(const proton::receiver& r)
        : receiver(r)
    {
    }
    pn_link_t* raw() const { return pn_object(); }
};

class EventHubConsumer::Session : public proton::messaging_handler {
public:
    Session(EventHubConsumer& owner, EventHubTarget target, ConsumerOptions options)
        : m_owner(owner)
        , m_target(std::move(target))
        , m_options(std::move(options))
        , m_container(*this, "iotc-eventhub-consumer")
        , m_tokens(m_target, m_options.tokenLifetimeSeconds)
        , m_queue(m_options.queueCapacity)
    {
    }

    void start()
    {
        m_container.auto_stop(false);
        m_thread = std::thread([this] {
            pthread_setname_np(pthread_self(), "iotc-amqp"); // as top -H and profilers show it
            try {
                m_container.run();
            } catch (const std::exception& e) {
                // The loop is over: the connection is not Proton's to close any more.
                fail(QStringLiteral("The AMQP client stopped: ") + QString::fromUtf8(e.what()), false);
            }
        });
    }

    void stop()
    {
        if (m_thread.joinable()) {
            m_stopping = true;
            m_container.stop();
            m_thread.join();
        }
        std::lock_guard lock(m_mutex);
        for (auto& [p, s] : m_states)
            s.state = PartitionState::State::Stopped;
    }

    // ---- shared with the Qt side (under m_mutex) ----
    std::vector<TelemetryEvent> take(size_t max)
    {
        std::lock_guard lock(m_mutex);
        return m_queue.take(max);
    }
    std::vector<PartitionState> partitions() const
    {
        std::lock_guard lock(m_mutex);
        std::vector<PartitionState> out;
        for (const auto& [p, s] : m_states)
            out.push_back(s);
        return out;
    }
    QString fatal() const
    {
        std::lock_guard lock(m_mutex);
        return m_fatal;
    }
    // Picked up by the Proton thread's next tick (no Proton object is touched from here).
    // Where ready-made tokens are offered, from any thread (it outlives the session).
    std::shared_ptr<TokenInbox> tokenInbox() const { return m_tokens.inbox(); }
    std::atomic<quint64> dropped { 0 };
    std::atomic<quint64> filtered { 0 };
    std::atomic<int> reconnects { 0 };

    // ---- Proton thread ----
    void on_container_start(proton::container&) override
    {
        m_startedMs = nowMs();
        connect();
        tick();
    }

    void on_connection_open(proton::connection& c) override
    {
        if (c != m_connection)
            return;
        m_attempt = 0;
        openRequestReply(c, "$cbs", CbsReplyTo, m_cbsSender, m_cbsReceiver);
        m_tokenPending = true;
    }

    void on_sendable(proton::sender& s) override
    {
        if (s == m_cbsSender && m_tokenPending)
            sendToken();
        else if (s == m_managementSender && m_managementPending)
            sendManagementRead();
    }

    void on_message(proton::delivery& d, proton::message& m) override
    {
        // Nothing the peer sent may throw out of here: an exception would end Proton's loop.
        try {
            onMessage(d, m);
        } catch (const std::exception& e) {
            fail(QStringLiteral("A message from the event hub could not be handled: ") + QString::fromUtf8(e.what()));
        }
    }

    void onMessage(proton::delivery& d, proton::message& m)
    {
        const proton::receiver r = d.receiver();
        if (r == m_cbsReceiver) {
            onCbsReply(m);
            return;
        }
        if (r == m_managementReceiver) {
            onManagementReply(m);
            return;
        }
        auto it = m_receivers.find(r.name());
        if (it != m_receivers.end())
            onEvent(it->second, m);
        if (d.settled())
            d.settle(); // frees it here; the service already settled it
        else
            d.accept(); // a peer that sends unsettled all the same gets its acknowledgement
        if (it == m_receivers.end()) {
            // A link of a connection being replaced: it gets no more credit.
            if (proton::receiver stale = r; stale.active())
                stale.close();
            return;
        }
        // Credit is topped up in halves, not after every event (Proton's credit window sends a
        // flow frame per message): at a trickle that is one write less per event.
        if (proton::receiver link = r; link.credit() <= m_options.credit / 2)
            link.add_credit(m_options.credit - link.credit());
    }

    void on_receiver_open(proton::receiver& r) override
    {
        auto it = m_receivers.find(r.name());
        if (it == m_receivers.end())
            return;
        {
            // From "latest", remember when reading began: a reconnect before the first event must
            // not skip what arrived in between.
            std::lock_guard lock(m_mutex);
            auto& started = m_startedAtMs[it->second];
            if (started == 0)
                started = nowMs() - 2000;
        }
        r.add_credit(m_options.credit);
        m_everReceiving = true; // the hub is reachable: from now on, lost connections are retried
        setState(it->second, PartitionState::State::Receiving, {}, {});
    }

    void on_receiver_close(proton::receiver& r) override
    {
        auto it = m_receivers.find(r.name());
        if (it == m_receivers.end() || m_stopping)
            return;
        const int partition = it->second;
        const auto error = r.error();
        m_receivers.erase(it);
        if (!error) {
            setState(partition, PartitionState::State::Stopped, {}, QStringLiteral("closed by the service"));
            return;
        }
        if (auto why = permanentCondition(error.name())) {
            setState(partition, PartitionState::State::Error, qs(error.name()),
                *why + QStringLiteral(" (") + qs(error.description()) + QLatin1Char(')'));
            return;
        }
        if (error.name() == "amqp:unauthorized-access") {
            // The token lapsed or was revoked: a new one is needed, not a reattach with the old one.
            // A key makes one; a ready-made token is tried once more only if it is another one.
            m_tokens.takeOffered();
            const qint64 inHand = m_tokens.expiryInHand();
            if (m_tokens.holdsValidToken(nowMs(), 5000) && (m_tokens.makesTokens() || inHand != m_refusedExpiry)) {
                m_refusedExpiry = inHand;
                lost(m_connection, error);
            } else {
                fail(QStringLiteral("The event hub token is no longer accepted (") + qs(error.description())
                    + QStringLiteral("), and no newer one came from the application in time") + renewalFailure()
                    + QStringLiteral(". Check that your role can still read the application's data, or use an "
                                     "Event Hubs connection string."));
            }
            return;
        }
        // Retryable link failure: reattach this partition after a pause, resuming where it was.
        m_lastProblem = qs(error.name()) + QStringLiteral(": ") + qs(error.description());
        setState(partition, PartitionState::State::Retrying, qs(error.name()), qs(error.description()));
        m_reattachAt[partition] = nowMs() + 1000;
    }
    void on_receiver_error(proton::receiver&) override { }
    void on_sender_error(proton::sender&) override { }
    void on_session_error(proton::session&) override { }

    void on_connection_error(proton::connection& c) override { lost(c, c.error()); }
    void on_transport_error(proton::transport& t) override { lost(t.connection(), t.error()); }
    void on_transport_close(proton::transport& t) override
    {
        if (t.connection() == m_connection && !m_stopping && !m_reconnectScheduled && m_fatalSet == false)
            lost(t.connection(), proton::error_condition("amqp:connection:forced", "the connection closed"));
    }
    void on_error(const proton::error_condition&) override { }

private:
    void connect()
    {
        if (m_stopping)
            return;
        m_reconnectScheduled = false;
        m_cbsOk = false;
        m_tokens.newConnection();
        m_reattachAt.clear();
        m_tokenPending = false;
        m_managementPending = false;
        m_receivers.clear();
        proton::connection_options o;
        o.sasl_allowed_mechs("ANONYMOUS");
        o.virtual_host(m_target.hostName().toStdString());
        o.idle_timeout(proton::duration(60000));
        o.container_id("iotc-workbench");
        if (m_target.tls)
            o.ssl_client_options(proton::ssl_client_options(proton::ssl::VERIFY_PEER_NAME));
        const std::string url = m_target.amqpUrl().toStdString(); // an IPv6 address in brackets
        {
            std::lock_guard lock(m_mutex);
            for (auto& [p, s] : m_states) {
                if (s.state != PartitionState::State::Error)
                    s.state = PartitionState::State::Connecting;
            }
        }
        m_owner.notifyState();
        m_connection = m_container.connect(url, o);
    }

    void lost(const proton::connection& c, const proton::error_condition& error)
    {
        if (c != m_connection || m_stopping || m_reconnectScheduled || m_fatalSet)
            return;
        m_reconnectScheduled = true;
        // A connection given up while still open (a failed renewal, a refused partition) is closed:
        // its links would otherwise keep their credit and their place in the consumer group.
        if (proton::connection old = m_connection; old.active())
            old.close();
        m_lastProblem = describe(error);
        if (!m_everReceiving && ++m_lostBeforeReceiving > RetriesBeforeReceiving) {
            // Never reached: the same answer again is the answer (refused, no such host, TLS).
            fail(unreachable(QStringLiteral("the connection failed twice: ") + m_lastProblem), false);
            return;
        }
        ++m_attempt;
        reconnects++;
        const int delay = std::min(m_options.maxReconnectDelayMs, 250 * (1 << std::min(m_attempt - 1, 7)));
        {
            std::lock_guard lock(m_mutex);
            for (auto& [p, s] : m_states) {
                if (s.state == PartitionState::State::Error)
                    continue;
                s.state = PartitionState::State::Retrying;
                s.condition = qs(error.name());
                s.description = qs(error.description());
                s.retryInMs = delay;
            }
        }
        m_owner.notifyState();
        m_reconnectAt = nowMs() + delay;
    }

    void sendToken()
    {
        m_tokenPending = false;
        const auto [token, expiry] = m_tokens.current();
        proton::message m;
        m.id(proton::message_id(uint64_t(++m_messageId)));
        m.reply_to(CbsReplyTo);
        m.body(token.toStdString());
        m.properties().put("operation", std::string("put-token"));
        m.properties().put("type", std::string("servicebus.windows.net:sastoken"));
        m.properties().put("name", m_target.audience().toStdString());
        if (expiry > 0)
            m.properties().put("expiration", proton::timestamp(expiry * 1000));
        m_cbsSender.send(m);
    }

    void onCbsReply(const proton::message& m)
    {
        QString description;
        const int status = replyStatus(m, &description); // 0 when it has none (or not an integer)
        if (status != 401 && status != 403 && status != 404 && (status < 200 || status >= 300)) {
            // ServerBusy, timeouts, an unreadable answer: try again on a fresh connection.
            lost(m_connection,
                proton::error_condition("com.microsoft:cbs-failed",
                    "CBS answered " + std::to_string(status) + " " + description.toStdString()));
            return;
        }
        if (status < 200 || status >= 300) {
            fail(QStringLiteral("The event hub refused the token (CBS status %1: %2). ").arg(status).arg(description)
                + (!m_tokens.makesTokens()
                        ? QStringLiteral("IoT Central's tokens expire: your role needs access to the application's "
                                         "data to get new ones")
                            + renewalFailure() + QStringLiteral("; or use an Event Hubs connection string.")
                        : QStringLiteral(
                            "Check the SharedAccessKeyName and SharedAccessKey of the connection string.")));
            return;
        }
        m_tokens.accepted(nowMs());
        if (m_cbsOk)
            return; // a renewal
        m_cbsOk = true;
        if (!m_partitionIds.empty()) {
            for (int p : m_partitionIds)
                openPartition(p);
            return;
        }
        openRequestReply(m_connection, "$management", ManagementReplyTo, m_managementSender, m_managementReceiver);
        m_managementPending = true;
    }

    QString renewalFailure() const
    {
        const QString why = m_tokens.inbox()->failure();
        return why.isEmpty() ? QString() : QStringLiteral(" (asking for one: ") + why + QLatin1Char(')');
    }

    // Puts the current token on $cbs, now or as soon as it has credit.
    void putToken()
    {
        if (!m_cbsOk || !m_cbsSender.active())
            return;
        if (m_cbsSender.credit() > 0)
            sendToken();
        else
            m_tokenPending = true;
    }

    static qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

    static QString describe(const proton::error_condition& error)
    {
        const QString name = qs(error.name());
        const QString description = qs(error.description());
        if (description.isEmpty())
            return name;
        return name.isEmpty() ? description : name + QStringLiteral(": ") + description;
    }

    // Why the hub could not be read, with what to check (the host name, never the key).
    QString unreachable(const QString& why) const
    {
        return QStringLiteral("The event hub at %1 could not be read: %2. Check the connection string's endpoint "
                              "(the hub's host name), that the name resolves (DNS), and that outbound TCP port %3 "
                              "is open (Event Hubs use 5671, AMQP over TLS) or a proxy lets it through.")
            .arg(m_target.hostName(), why)
            .arg(m_target.port());
    }

    // One short periodic timer drives every deadline (renewal, reconnect, reattach): Proton 0.37
    // holds container::run() open until a scheduled task has fired, so long timers would delay
    // stop() by as long.
    void tick()
    {
        if (m_stopping)
            return;
        const qint64 now = nowMs();
        if (!m_everReceiving && !m_fatalSet && m_options.unreachableAfterMs > 0
            && now - m_startedMs >= m_options.unreachableAfterMs) {
            fail(unreachable(
                QStringLiteral("no partition started receiving within %1 s").arg(m_options.unreachableAfterMs / 1000.0)
                + (m_lastProblem.isEmpty() ? QString()
                                           : QStringLiteral(" (last: ") + m_lastProblem + QLatin1Char(')'))));
            return;
        }
        if (m_reconnectAt && now >= m_reconnectAt) {
            m_reconnectAt = 0;
            connect();
        }
        m_tokens.takeOffered();
        if (m_cbsOk) {
            switch (m_tokens.due(now)) {
            case TokenKeeper::Due::PutNew:
                putToken();
                break;
            case TokenKeeper::Due::AskOwner:
                m_owner.notifyTokenNeeded();
                break;
            case TokenKeeper::Due::Nothing:
                break;
            }
        }
        for (auto it = m_reattachAt.begin(); it != m_reattachAt.end();) {
            if (now >= it->second && m_cbsOk) {
                openPartition(it->first);
                it = m_reattachAt.erase(it);
            } else {
                ++it;
            }
        }
        m_container.schedule(proton::duration(200), [this] { tick(); });
    }

    void sendManagementRead()
    {
        m_managementPending = false;
        proton::message m;
        m.id(proton::message_id(uint64_t(++m_messageId)));
        m.reply_to(ManagementReplyTo);
        m.properties().put("operation", std::string("READ"));
        m.properties().put("type", std::string("com.microsoft:eventhub"));
        m.properties().put("name", m_target.entityPath.toStdString());
        m_managementSender.send(m);
    }

    void onManagementReply(const proton::message& m)
    {
        if (!m_partitionIds.empty())
            return; // answered already: another reply opens nothing more
        int status = 0;
        QString error;
        const auto ids = partitionIdsFromManagementReply(m, status, error);
        if (!ids) {
            fail(QStringLiteral("The event hub's $management node did not say which partitions it has: ") + error
                + QLatin1Char('.'));
            return;
        }
        m_partitionIds = *ids;
        for (int p : *ids)
            openPartition(p);
    }

    std::string selectorFor(int partition)
    {
        std::lock_guard lock(m_mutex);
        ConsumerStart start = m_options.start;
        if (start.kind == ConsumerStart::Kind::Latest && m_startedAtMs[partition] > 0) {
            start.kind = ConsumerStart::Kind::EnqueuedTime;
            start.enqueuedMs = m_startedAtMs[partition];
        }
        return startSelector(start, partition, m_states[partition].lastSequence);
    }

    void openPartition(int partition)
    {
        {
            std::lock_guard lock(m_mutex);
            auto& s = m_states[partition];
            s.partition = partition;
            if (s.state == PartitionState::State::Error)
                return;
            s.state = PartitionState::State::Connecting;
        }
        const std::string address = m_target.entityPath.toStdString() + "/ConsumerGroups/"
            + m_options.consumerGroup.toStdString() + "/Partitions/" + std::to_string(partition);
        const std::string name = "iotc-p" + std::to_string(partition) + "-" + std::to_string(++m_linkSerial);
        m_receivers[name] = partition;
        proton::receiver link
            = m_connection.open_receiver(address, partitionReceiverOptions(address, selectorFor(partition), name));
        // Still before the attach frame is written (that happens after this handler returns).
        pn_link_set_max_message_size(RawLink(link).raw(), MaxLinkMessageBytes);
        m_owner.notifyState();
    }

    void onEvent(int partition, const proton::message& m)
    {
        TelemetryEvent e;
        e.hub = m_target.entityPath;
        e.partition = partition;
        decodeAnnotations(m, e, m_texts, m_options.allProperties);
        // Only this thread changes m_states, so it reads without the lock; the writes below take it
        // (once per event) for the Qt side.
        const auto state = m_states.find(partition); // there since openPartition()
        if (state == m_states.end())
            return;
        auto& s = state->second;
        if (e.sequenceNumber >= 0 && e.sequenceNumber <= s.lastSequence)
            return; // a duplicate the service sent again: never passed on
        if (!m_filter.passes(e.deviceId, e.moduleId)) {
            std::lock_guard lock(m_mutex);
            seen(s, e.sequenceNumber);
            filtered++;
            return;
        }
        try {
            decodeContent(m, e, m_texts, m_options.allProperties);
        } catch (const std::exception& ex) {
            // An event whose properties Proton cannot map: keep it, say what could not be read.
            e.applicationProperties.append({ QStringLiteral("iotc-decode-error"), qs(ex.what()) });
        }
        {
            std::lock_guard lock(m_mutex);
            seen(s, e.sequenceNumber);
            if (m_queue.push(std::move(e)))
                dropped++; // the oldest went to make room
        }
        m_pacer.queued();
        notifySoon();
    }

    static void seen(PartitionState& s, qint64 sequenceNumber)
    {
        if (sequenceNumber >= 0)
            s.lastSequence = sequenceNumber;
        s.received++;
    }

    // Wakes the owner as the pacer allows, with a Proton timer for later (no Qt objects here);
    // never twice for the same batch.
    void notifySoon()
    {
        const qint64 wait = m_pacer.waitMs(nowMs());
        if (m_stopping || (wait > 0 && m_notifyScheduled))
            return;
        if (wait <= 0) {
            announce();
            return;
        }
        m_notifyScheduled = true;
        m_container.schedule(proton::duration(wait), [this] {
            m_notifyScheduled = false;
            if (!m_stopping && m_pacer.anyWaiting())
                announce();
        });
    }

    void announce()
    {
        m_pacer.woken(nowMs());
        m_owner.notifyEvents();
    }

    void setState(int partition, PartitionState::State state, const QString& condition, const QString& description)
    {
        {
            std::lock_guard lock(m_mutex);
            auto& s = m_states[partition];
            s.partition = partition;
            s.state = state;
            s.condition = condition;
            s.description = description;
            s.retryInMs = 0;
        }
        m_owner.notifyState();
    }

    // Stops for good with `reason`; the connection is closed unless Proton's loop is already over.
    void fail(const QString& reason, bool closeConnection = true)
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_fatalSet)
                return;
            m_fatalSet = true;
            m_fatal = reason;
            for (auto& [p, s] : m_states) {
                s.state = PartitionState::State::Error;
                s.description = reason;
            }
        }
        if (closeConnection && m_connection)
            m_connection.close();
        QMetaObject::invokeMethod(
            &m_owner, [owner = &m_owner, reason] { Q_EMIT owner->failed(reason); }, Qt::QueuedConnection);
        m_owner.notifyState();
    }

    EventHubConsumer& m_owner;
    EventHubTarget m_target;
    ConsumerOptions m_options;
    proton::container m_container;
    bool m_notifyScheduled = false; // Proton's thread only
    NotifyPacer m_pacer;
    TextInterner m_texts; // Proton's thread only
    std::thread m_thread;
    std::atomic<bool> m_stopping { false };
    EventFilter m_filter { m_options.deviceFilter, m_options.moduleFilter };

    // Proton thread only
    proton::connection m_connection;
    proton::sender m_cbsSender;
    proton::receiver m_cbsReceiver;
    proton::sender m_managementSender;
    proton::receiver m_managementReceiver;
    bool m_tokenPending = false;
    bool m_managementPending = false;
    bool m_cbsOk = false;
    bool m_reconnectScheduled = false;
    bool m_everReceiving = false; // a partition has received: the hub is reachable
    int m_lostBeforeReceiving = 0; // connections lost before then
    static constexpr int RetriesBeforeReceiving = 1;
    qint64 m_startedMs = 0;
    QString m_lastProblem; // the last connection or link failure, in words
    int m_attempt = 0;
    uint64_t m_messageId = 0;
    TokenKeeper m_tokens;
    qint64 m_refusedExpiry = 0; // the ready-made token a receiver last refused
    qint64 m_reconnectAt = 0;
    std::map<int, qint64> m_reattachAt;
    std::vector<int> m_partitionIds;
    std::map<std::string, int> m_receivers; // link name -> partition (names are unique per attach)
    uint64_t m_linkSerial = 0;

    // shared
    mutable std::mutex m_mutex;
    EventQueue m_queue;
    std::map<int, PartitionState> m_states;
    std::map<int, qint64> m_startedAtMs; // when reading from "latest" began, per partition
    QString m_fatal;
    bool m_fatalSet = false;
};

} // namespace iotc
