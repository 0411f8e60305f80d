#pragma once

// The AMQP side of EventHubConsumer: one messaging handler on the AMQP thread (AmqpIoThread) that
// owns the connection, CBS, $management and the partition receivers, and hands events to the Qt
// side through a bounded queue. Connections run on AmqpSocketDriver (Qt's sockets, Proton's
// connection driver). Included by eventhubconsumer.cpp and the session's own sources:
// consumersession.cpp (connection, tokens, $management, timers, failures) and
// consumerpartitions.cpp (the partition receivers and their events).

#include "amqpiothread.h"
#include "amqpsocketdriver.h"
#include "eventfilter.h"
#include "eventhubconsumer.h"
#include "eventqueue.h"
#include "notifypacer.h"
#include "textinterner.h"
#include "tokenkeeper.h"

#include <proton/connection.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/message.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/sender.hpp>
#include <proton/transport.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

class QTimer;

namespace iotc {

// The largest event a partition link asks for (max-message-size in its attach): above Event Hubs'
// largest event (20 MB on Dedicated), so nothing the service may send is refused. Proton 0.37 only
// announces it to the peer: it does not enforce it on what arrives (the C++ layer buffers and
// decodes a whole delivery before on_message), so a peer that ignores it is not stopped here; what
// it sends is still rendered within bounds (protondata.h).
inline constexpr uint64_t MaxLinkMessageBytes = 32 * 1024 * 1024;

class EventHubConsumer::Session : public proton::messaging_handler {
public:
    Session(EventHubConsumer& owner, EventHubTarget target, ConsumerOptions options);
    ~Session() override;

    void start();
    void stop(); // waits until the AMQP thread let go of everything of this session

    // ---- shared with the Qt side (under m_mutex) ----
    std::vector<TelemetryEvent> take(size_t max);
    std::vector<PartitionState> partitions() const;
    QString fatal() const;
    QString route() const;
    // Where ready-made tokens are offered, from any thread (it outlives the session); picked up by
    // the AMQP thread's next tick (no Proton object is touched from here).
    std::shared_ptr<TokenInbox> tokenInbox() const { return m_tokens.inbox(); }
    std::atomic<quint64> dropped { 0 };
    std::atomic<quint64> filtered { 0 };
    std::atomic<int> reconnects { 0 };

    // ---- AMQP thread: Proton's events ----
    void on_connection_open(proton::connection& c) override;
    void on_sendable(proton::sender& s) override;
    void on_message(proton::delivery& d, proton::message& m) override;
    void on_receiver_open(proton::receiver& r) override;
    void on_receiver_close(proton::receiver& r) override;
    void on_receiver_error(proton::receiver&) override { }
    void on_sender_error(proton::sender&) override { }
    void on_session_error(proton::session&) override { }
    void on_connection_error(proton::connection& c) override { lost(c, c.error()); }
    void on_transport_error(proton::transport& t) override { lost(t.connection(), t.error()); }
    void on_transport_close(proton::transport& t) override;
    void on_error(const proton::error_condition&) override { }

private:
    // consumersession.cpp
    void begin();
    void end();
    AmqpEndpoint endpoint() const;
    void connect();
    void lost(const proton::connection& c, const proton::error_condition& error);
    void sendToken();
    void onCbsReply(const proton::message& m);
    QString renewalFailure() const;
    void putToken();
    static qint64 nowMs();
    static QString describe(const proton::error_condition& error);
    QString unreachable(const QString& why) const;
    void tick();
    void sendManagementRead();
    void onManagementReply(const proton::message& m);
    void notifySoon();
    void announce();
    void setState(int partition, PartitionState::State state, const QString& condition, const QString& description);
    void fail(const QString& reason, bool closeConnection = true);

    // consumerpartitions.cpp
    void onMessage(proton::delivery& d, proton::message& m);
    std::string selectorFor(int partition);
    void openPartition(int partition);
    void onEvent(int partition, const proton::message& m);
    static void seen(PartitionState& s, qint64 sequenceNumber);

    EventHubConsumer& m_owner;
    EventHubTarget m_target;
    ConsumerOptions m_options;
    NotifyPacer m_pacer;
    TextInterner m_texts; // AMQP thread only
    std::atomic<bool> m_stopping { false };
    EventFilter m_filter { m_options.deviceFilter, m_options.moduleFilter };

    // Owner's thread (start/stop)
    std::shared_ptr<AmqpIoThread> m_io;

    // AMQP thread only
    AmqpSocketDriver* m_driver = nullptr; // the timers below are its children
    QTimer* m_tickTimer = nullptr;
    QTimer* m_notifyTimer = nullptr;
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
    bool m_webSockets = false; // connecting with AMQP over WebSockets (chosen, or auto's fallback)
    bool m_amqpOpened = false; // auto: 5671 worked once, so a later loss does not switch
    qint64 m_amqpOpenBy = 0; // auto: when the first try on 5671 is given up unless it opened
    QString m_amqpProblem; // auto: why 5671 did not work (said when WebSockets fail too)
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
    QString m_route; // how the open connection travels
    bool m_fatalSet = false;
};

} // namespace iotc
