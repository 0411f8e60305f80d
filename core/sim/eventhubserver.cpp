#include "eventhubserver.h"

#include "amqpdevicelinks.h"
#include "amqpnodes.h"
#include "util/sas.h"
#include "wiresender.h"

#include <QDateTime>
#include <pthread.h>

#include <atomic>
#include <cstdio>

#include <proton/codec/decoder.hpp>
#include <proton/codec/encoder.hpp>
#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/container.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/listen_handler.hpp>
#include <proton/listener.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/sender.hpp>
#include <proton/sender_options.hpp>
#include <proton/source.hpp>
#include <proton/target.hpp>
#include <proton/timestamp.hpp>
#include <proton/transport.hpp>
#include <proton/types.hpp>
#include <proton/work_queue.hpp>

#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace iotc::sim {

namespace {

void openEchoing(proton::sender& s, proton::sender_options options = {})
{
    options.properties(echoedLinkProperties(s));
    s.open(options);
}

} // namespace

class EventHubServer::Impl {
public:
    Impl(EventHubServer& owner, std::vector<Hub> hubs, Options options)
        : m_owner(owner)
        , m_hubs(std::move(hubs))
        , m_options(std::move(options))
        , m_container("iotc-sim-eventhub")
    {
        m_listenHandler.impl = this;
    }

    class Connection;

    struct ListenHandler : proton::listen_handler {
        Impl* impl = nullptr;
        std::promise<uint16_t> opened;
        bool reported = false;
        void on_open(proton::listener& l) override
        {
            if (!reported) {
                reported = true;
                opened.set_value(static_cast<uint16_t>(l.port()));
            }
        }
        proton::connection_options on_accept(proton::listener&) override;
        void on_error(proton::listener&, const std::string& what) override
        {
            if (!reported) {
                reported = true;
                opened.set_exception(std::make_exception_ptr(std::runtime_error("cannot listen: " + what)));
            }
        }
    };

    uint16_t start()
    {
        m_container.auto_stop(false);
        auto future = m_listenHandler.opened.get_future();
        m_listener = m_container.listen(m_options.host + ":" + std::to_string(m_options.port), m_listenHandler);
        m_thread = std::thread([this] {
            pthread_setname_np(pthread_self(), "iotc-sim-amqp");
            // A handler that throws (what a client sent could not be handled) ends that run of the
            // container, not the endpoint: it runs again, and says what happened.
            for (;;) {
                try {
                    m_container.run();
                    return;
                } catch (const std::exception& e) {
                    if (m_stopping)
                        return;
                    std::fprintf(stderr, "simulated event hub: a connection failed: %s\n", e.what());
                }
            }
        });
        return future.get();
    }

    void stop()
    {
        m_stopping = true;
        if (m_thread.joinable()) {
            m_container.stop();
            m_thread.join();
        }
        // Connections the stop aborted without a transport-close event.
        std::set<Connection*> left;
        {
            std::lock_guard lock(m_mutex);
            left.swap(m_connections);
        }
        for (auto* c : left)
            destroy(c);
    }
    static void destroy(Connection* c);

    const Hub* hub(const std::string& entityPath) const
    {
        for (const auto& h : m_hubs) {
            if (h.hub.entityPath.toStdString() == entityPath)
                return &h;
        }
        return nullptr;
    }

    void track(Connection* c)
    {
        std::lock_guard lock(m_mutex);
        m_connections.insert(c);
    }
    void untrack(Connection* c)
    {
        std::lock_guard lock(m_mutex);
        m_connections.erase(c);
    }
    void dropConnections();
    void disconnectDevice(const QString& deviceId, const Connection* except);
    void failPartition(int partition, const std::string& condition, const std::string& description);
    int openConnections() const
    {
        std::lock_guard lock(m_mutex);
        return static_cast<int>(m_connections.size());
    }

    EventHubServer& m_owner;
    std::vector<Hub> m_hubs;
    Options m_options;
    std::atomic<bool> m_stopping { false };
    ListenHandler m_listenHandler;
    proton::container m_container;
    proton::listener m_listener;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::set<Connection*> m_connections;
};

// One client connection: its CBS state, request/response links and partition receivers.
class EventHubServer::Impl::Connection : public proton::messaging_handler {
public:
    explicit Connection(Impl& impl)
        : m_impl(impl)
        , m_wake(std::make_shared<Wake>())
    {
    }

    struct Wake {
        std::mutex mutex;
        proton::work_queue* queue = nullptr;
        std::atomic<bool> pending { false };
    };

    void on_connection_open(proton::connection& c) override
    {
        m_connection = c;
        {
            std::lock_guard lock(m_wake->mutex);
            m_wake->queue = &c.work_queue();
        }
        m_impl.track(this);
        auto wake = m_wake;
        for (const auto& h : m_impl.m_hubs) {
            m_listeners.emplace_back(h.store.get(), h.store->addListener([wake, this](int) {
                if (wake->pending.exchange(true))
                    return;
                std::lock_guard lock(wake->mutex);
                if (wake->queue)
                    wake->queue->add([this] {
                        m_wake->pending = false;
                        pumpAll();
                    });
            }));
        }
        c.open();
        scheduleExpiryCheck();
    }

    void on_receiver_open(proton::receiver& r) override
    {
        if (auto device = deviceOfEventsAddress(r.target().address()); device && deviceSide()) {
            openDeviceLink(r, *device);
            return;
        }
        // A client sender: requests to $cbs or $management.
        proton::receiver_options ro;
        ro.credit_window(50);
        ro.properties(echoedLinkProperties(r));
        r.open(ro);
    }

    void on_sender_open(proton::sender& s) override
    {
        const std::string address = s.source().address();
        if (address == "$cbs" || address == "$management") {
            m_replyLinks[s.target().address()] = s;
            m_replyLinksByNode[address] = s;
            openEchoing(s);
            return;
        }
        const auto parts = addressParts(address);
        // {entityPath}/ConsumerGroups/{cg}/Partitions/{n}
        if (parts.size() != 5 || parts[1] != "ConsumerGroups" || parts[3] != "Partitions") {
            openEchoing(s);
            s.close(proton::error_condition(
                "amqp:not-found", "The messaging entity '" + address + "' could not be found."));
            return;
        }
        const Hub* hub = m_impl.hub(parts[0]);
        if (!hub) {
            openEchoing(s);
            s.close(proton::error_condition(
                "amqp:not-found", "The messaging entity '" + parts[0] + "' could not be found."));
            return;
        }
        if (!authorized(parts[0])) {
            openEchoing(s);
            s.close(proton::error_condition("amqp:unauthorized-access",
                "Unauthorized access. 'Listen' claim(s) are required to perform this operation. Put a token on $cbs "
                "first."));
            return;
        }
        int partition = -1;
        try {
            partition = std::stoi(parts[4]);
        } catch (...) {
        }
        if (partition < 0 || partition >= hub->store->partitionCount()) {
            openEchoing(s);
            s.close(proton::error_condition("com.microsoft:argument-out-of-range",
                "The specified partition is invalid for an EventHub partition sender or receiver. It should be between "
                "0 and "
                    + std::to_string(hub->store->partitionCount() - 1) + "."));
            return;
        }
        StartPosition start;
        if (auto selector = selectorOf(s.source())) {
            auto parsed = parseSelector(*selector);
            if (!parsed) {
                openEchoing(s);
                s.close(proton::error_condition(
                    "amqp:invalid-field", "The selector filter '" + *selector + "' is not supported."));
                return;
            }
            start = *parsed;
        }
        PartitionLink link { s, hub, partition, hub->store->firstSequenceFor(partition, start), parts[0] };
        m_partitionLinks.push_back(link);
        // Events go out pre-settled: the retained log, not the delivery state, is what a
        // reconnecting consumer resumes from (by sequence number or offset), as on Event Hubs.
        proton::sender_options so;
        so.delivery_mode(proton::delivery_mode::AT_MOST_ONCE);
        openEchoing(s, so);
    }

    void on_sendable(proton::sender& s) override
    {
        for (auto& link : m_partitionLinks) {
            if (link.sender == s)
                pump(link);
        }
    }

    void on_sender_close(proton::sender& s) override { forget(s); }
    void on_receiver_close(proton::receiver& r) override { m_devices.forget(r); }
    void on_sender_error(proton::sender& s) override { forget(s); }

    void on_message(proton::delivery& d, proton::message& m) override
    {
        if (auto event = m_devices.received(d.receiver(), m)) {
            m_impl.m_hubs.front().store->append(std::move(*event));
            ++m_impl.m_owner.deviceMessagesReceived;
            d.accept();
            return;
        }
        const std::string node = d.receiver().target().address();
        if (node == "$cbs")
            handleCbs(m);
        else if (node == "$management")
            handleManagement(m);
        d.accept();
    }

    void on_transport_close(proton::transport&) override
    {
        m_impl.untrack(this);
        detach();
        delete this;
    }

    // Stops event notifications reaching this connection (its work queue is going away).
    void detach()
    {
        {
            std::lock_guard lock(m_wake->mutex);
            m_wake->queue = nullptr;
        }
        for (const auto& [store, id] : m_listeners)
            store->removeListener(id);
        m_listeners.clear();
    }

    // Errors are expected (clients vanish, tests drop connections): never let Proton throw them.
    void on_transport_error(proton::transport&) override { }
    void on_connection_error(proton::connection&) override { }
    void on_session_error(proton::session&) override { }
    void on_receiver_error(proton::receiver& r) override { m_devices.forget(r); }
    void on_error(const proton::error_condition&) override { }

    void failPartition(int partition, const std::string& condition, const std::string& description)
    {
        std::lock_guard lock(m_wake->mutex);
        if (m_wake->queue)
            m_wake->queue->add([this, partition, condition, description] {
                for (auto& link : m_partitionLinks) {
                    if (link.partition == partition)
                        link.sender.close(proton::error_condition(condition, description));
                }
            });
    }

    // Runs on this connection's thread: closes it when it sends as the device.
    void disconnectDevice(const QString& deviceId)
    {
        std::lock_guard lock(m_wake->mutex);
        if (m_wake->queue)
            m_wake->queue->add([this, deviceId] {
                if (m_devices.holds(deviceId))
                    m_connection.close(proton::error_condition("amqp:connection:forced",
                        "Another connection is now using the identity of device '" + deviceId.toStdString() + "'."));
            });
    }

    void forceClose()
    {
        std::lock_guard lock(m_wake->mutex);
        if (m_wake->queue)
            m_wake->queue->add([this] {
                m_connection.close(
                    proton::error_condition("amqp:connection:forced", "The connection was closed (test hook)."));
            });
    }

private:
    struct PartitionLink {
        proton::sender sender;
        const Hub* hub;
        int partition;
        int64_t next;
        std::string entity;
    };

    bool deviceSide() const { return !m_impl.m_options.deviceHubHost.isEmpty() && m_impl.m_options.checkDevice; }

    void openDeviceLink(proton::receiver& r, const QString& deviceId)
    {
        proton::receiver_options ro;
        ro.credit_window(50);
        ro.properties(echoedLinkProperties(r));
        r.open(ro);
        if (!m_devices.attach(r, deviceId, m_impl.m_options.deviceHubHost))
            return;
        // One connection per device identity: the newer one wins, over any protocol.
        m_impl.disconnectDevice(deviceId, this);
        if (m_impl.m_options.deviceConnected)
            m_impl.m_options.deviceConnected(deviceId);
    }

    bool authorized(const std::string& entity) const
    {
        auto it = m_tokens.find(entity);
        return it != m_tokens.end() && it->second > nowSeconds();
    }

    void forget(const proton::sender& s)
    {
        m_partitionLinks.erase(std::remove_if(m_partitionLinks.begin(), m_partitionLinks.end(),
                                   [&](const PartitionLink& l) { return l.sender == s; }),
            m_partitionLinks.end());
    }

    void pumpAll()
    {
        for (auto& link : m_partitionLinks)
            pump(link);
    }

    void pump(PartitionLink& link)
    {
        if (!link.sender.active())
            return;
        while (link.sender.credit() > 0) {
            const auto events = link.hub->store->read(
                link.partition, link.next, static_cast<size_t>(std::min(link.sender.credit(), 512)));
            if (events.empty())
                return;
            size_t sent = 0;
            for (const auto& e : events) {
                if (!m_wire.send(link.sender, *e))
                    break;
                link.next = e->sequenceNumber + 1;
                ++sent;
            }
            m_impl.m_owner.m_eventsSent += sent;
            if (sent < events.size())
                return;
        }
    }

    void reply(const proton::message& request, const std::string& node, int status, const std::string& description,
        const proton::value& body = proton::value())
    {
        const proton::sender* found = nullptr;
        if (auto it = m_replyLinks.find(request.reply_to()); !request.reply_to().empty() && it != m_replyLinks.end())
            found = &it->second;
        else if (auto n = m_replyLinksByNode.find(node); n != m_replyLinksByNode.end())
            found = &n->second;
        if (!found || !found->active())
            return;
        proton::sender target = *found;
        proton::message response;
        response.correlation_id(request.id());
        response.properties().put("status-code", int32_t(status));
        response.properties().put("status-description", description);
        if (!body.empty())
            response.body(body);
        target.send(response);
    }

    void handleCbs(const proton::message& m)
    {
        const auto operation = propertyOr<std::string>(m, "operation", "");
        const auto audience = propertyOr<std::string>(m, "name", "");
        if (operation != "put-token") {
            reply(m, "$cbs", 400, "Unsupported CBS operation '" + operation + "'.");
            return;
        }
        std::string token;
        try {
            token = proton::get<std::string>(m.body());
        } catch (const std::exception&) {
            reply(m, "$cbs", 400, "The token must be an AMQP string.");
            return;
        }
        if (deviceSide()) {
            if (auto device = deviceOfAudience(audience, m_impl.m_options.deviceHubHost)) {
                const auto [status, description] = m_devices.putToken(*device, token, m_impl.m_options.checkDevice);
                reply(m, "$cbs", status, description);
                return;
            }
        }
        const CbsAnswer answer = judgeEventHubToken(audience, token, m_impl.m_options.key, m_impl.m_options.keyName,
            [this](const std::string& entity) { return m_impl.hub(entity) != nullptr; });
        if (answer.status == 202) {
            auto& expiry = m_tokens[answer.entity];
            expiry = std::max<int64_t>(expiry, answer.expiry);
        }
        reply(m, "$cbs", answer.status, answer.description);
    }

    void handleManagement(const proton::message& m)
    {
        const auto operation = propertyOr<std::string>(m, "operation", "");
        const auto type = propertyOr<std::string>(m, "type", "");
        const auto name = propertyOr<std::string>(m, "name", "");
        if (operation != "READ") {
            reply(m, "$management", 400, "Unsupported operation '" + operation + "'.");
            return;
        }
        const Hub* hub = m_impl.hub(name);
        if (!hub) {
            reply(m, "$management", 404, "The messaging entity '" + name + "' could not be found.");
            return;
        }
        if (!authorized(name)) {
            reply(m, "$management", 401, "Unauthorized access: put a token on $cbs first.");
            return;
        }
        const auto answer = readManagement(*hub->store, name, type, propertyOr<std::string>(m, "partition", ""));
        if (answer.status != 200) {
            reply(m, "$management", answer.status, answer.description);
            return;
        }
        const auto& body = answer.body;
        proton::value v;
        v = body;
        reply(m, "$management", 200, "OK", v);
    }

    void scheduleExpiryCheck()
    {
        // Scheduled on the container, delivered through the Wake token: a connection closed in
        // the meantime has cleared it, so nothing reaches a deleted handler.
        auto wake = m_wake;
        m_impl.m_container.schedule(proton::duration(1000), [wake, this] {
            std::lock_guard lock(wake->mutex);
            if (wake->queue)
                wake->queue->add([this] { checkExpiry(); });
        });
    }

    void checkExpiry()
    {
        // A link whose entity's token lapsed without a new put-token: Event Hubs closes it.
        for (const auto& link : m_partitionLinks) {
            if (!authorized(link.entity)) {
                m_connection.close(proton::error_condition(
                    "amqp:unauthorized-access", "The token for '" + link.entity + "' has expired."));
                return;
            }
        }
        scheduleExpiryCheck();
    }

    Impl& m_impl;
    std::shared_ptr<Wake> m_wake;
    proton::connection m_connection;
    std::map<std::string, proton::sender> m_replyLinks;
    std::map<std::string, proton::sender> m_replyLinksByNode;
    std::vector<PartitionLink> m_partitionLinks;
    std::map<std::string, int64_t> m_tokens; // entity -> expiry (s)
    DeviceLinks m_devices; // IoT Hub's device side on this connection
    std::vector<std::pair<EventStore*, int>> m_listeners;
    WireSender m_wire;
};

void EventHubServer::Impl::destroy(Connection* c)
{
    c->detach();
    delete c;
}

proton::connection_options EventHubServer::Impl::ListenHandler::on_accept(proton::listener&)
{
    proton::connection_options o;
    o.handler(*new Connection(*impl)); // deletes itself when its transport closes
    o.sasl_allowed_mechs("ANONYMOUS");
    // The Open says what Azure's says, explicitly: clients such as the Event Hubs SDK for Python
    // (pure-Python AMQP) compare the peer's max-frame-size and refuse an Open that leaves it out.
    o.max_frame_size(65536);
    o.max_sessions(4999); // channel-max
    o.idle_timeout(proton::duration(120000));
    return o;
}

void EventHubServer::Impl::failPartition(int partition, const std::string& condition, const std::string& description)
{
    std::lock_guard lock(m_mutex);
    for (auto* c : m_connections)
        c->failPartition(partition, condition, description);
}

void EventHubServer::Impl::disconnectDevice(const QString& deviceId, const Connection* except)
{
    std::lock_guard lock(m_mutex);
    for (auto* c : m_connections) {
        if (c != except)
            c->disconnectDevice(deviceId);
    }
}

void EventHubServer::Impl::dropConnections()
{
    std::lock_guard lock(m_mutex);
    for (auto* c : m_connections)
        c->forceClose();
}

EventHubServer::EventHubServer(std::vector<Hub> hubs, Options options)
    : m_impl(std::make_unique<Impl>(*this, std::move(hubs), std::move(options)))
{
}

EventHubServer::~EventHubServer()
{
    stop();
}

uint16_t EventHubServer::start()
{
    m_port = m_impl->start();
    return m_port;
}

void EventHubServer::stop()
{
    m_impl->stop();
}

void EventHubServer::dropConnections()
{
    m_impl->dropConnections();
}

void EventHubServer::disconnectDevice(const QString& deviceId)
{
    m_impl->disconnectDevice(deviceId, nullptr);
}

void EventHubServer::failPartition(int partition, const std::string& condition, const std::string& description)
{
    m_impl->failPartition(partition, condition, description);
}

int EventHubServer::openConnections() const
{
    return m_impl->openConnections();
}

} // namespace iotc::sim
