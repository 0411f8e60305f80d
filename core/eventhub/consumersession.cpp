#include "consumersession.h"

#include "amqpwire.h"
#include "peertext.h"
#include "requestreply.h"

#include <QDateTime>
#include <QTimer>

#include <proton/message_id.hpp>
#include <proton/timestamp.hpp>

namespace iotc {

EventHubConsumer::Session::Session(EventHubConsumer& owner, EventHubTarget target, ConsumerOptions options)
    : m_owner(owner)
    , m_target(std::move(target))
    , m_options(std::move(options))
    , m_tokens(m_target, m_options.tokenLifetimeSeconds)
    , m_queue(m_options.queueCapacity)
{
    m_webSockets = m_options.network.transport == AmqpTransport::AmqpWebSockets;
}

EventHubConsumer::Session::~Session()
{
    stop();
}

void EventHubConsumer::Session::start()
{
    if (m_io)
        return;
    m_io = AmqpIoThread::acquire();
    m_io->post([this] { begin(); });
}

void EventHubConsumer::Session::stop()
{
    if (m_io) {
        m_stopping = true;
        // Everything Proton and Qt of this session goes on its own thread, and no handler runs
        // after this: the connections are dropped without their events.
        m_io->run([this] { end(); });
        m_io.reset();
    }
    std::lock_guard lock(m_mutex);
    for (auto& [p, s] : m_states)
        s.state = PartitionState::State::Stopped;
}

std::vector<TelemetryEvent> EventHubConsumer::Session::take(size_t max)
{
    std::lock_guard lock(m_mutex);
    return m_queue.take(max);
}

std::vector<PartitionState> EventHubConsumer::Session::partitions() const
{
    std::lock_guard lock(m_mutex);
    std::vector<PartitionState> out;
    for (const auto& [p, s] : m_states)
        out.push_back(s);
    return out;
}

QString EventHubConsumer::Session::fatal() const
{
    std::lock_guard lock(m_mutex);
    return m_fatal;
}

QString EventHubConsumer::Session::route() const
{
    std::lock_guard lock(m_mutex);
    return m_route;
}

// ---- AMQP thread ----

void EventHubConsumer::Session::begin()
{
    if (m_stopping)
        return;
    m_driver = new AmqpSocketDriver;
    // One short periodic timer drives every deadline (renewal, reconnect, reattach, unreachable).
    m_tickTimer = new QTimer(m_driver);
    m_tickTimer->setInterval(200);
    QObject::connect(m_tickTimer, &QTimer::timeout, m_driver, [this] { tick(); });
    m_notifyTimer = new QTimer(m_driver);
    m_notifyTimer->setSingleShot(true);
    QObject::connect(m_notifyTimer, &QTimer::timeout, m_driver, [this] {
        if (!m_stopping && m_pacer.anyWaiting())
            announce();
    });
    m_startedMs = nowMs();
    connect();
    m_tickTimer->start();
    tick();
}

void EventHubConsumer::Session::end()
{
    // The handles first, then the drivers that own the connections under them.
    m_cbsSender = {};
    m_cbsReceiver = {};
    m_managementSender = {};
    m_managementReceiver = {};
    m_connection = {};
    delete m_driver; // its connections and the timers with it
    m_driver = nullptr;
    m_tickTimer = nullptr;
    m_notifyTimer = nullptr;
}

AmqpEndpoint EventHubConsumer::Session::endpoint() const
{
    const NetworkSettings& network = m_options.network;
    AmqpEndpoint e;
    e.host = m_target.hostName();
    e.tls = m_target.tls;
    e.webSocket = m_webSockets;
    e.port = m_webSockets ? network.websocketPort : network.amqpPort > 0 ? network.amqpPort : m_target.port();
    e.proxy = proxyFor(network, e.host, e.port);
    e.extraCaCertificates = network.extraCaCertificates;
    return e;
}

void EventHubConsumer::Session::on_connection_open(proton::connection& c)
{
    if (c != m_connection)
        return;
    m_attempt = 0;
    m_amqpOpenBy = 0;
    if (!m_webSockets)
        m_amqpOpened = true;
    {
        std::lock_guard lock(m_mutex);
        m_route = endpoint().routeText();
    }
    m_owner.notifyState();
    openRequestReply(c, "$cbs", CbsReplyTo, m_cbsSender, m_cbsReceiver);
    m_tokenPending = true;
}

void EventHubConsumer::Session::on_sendable(proton::sender& s)
{
    if (s == m_cbsSender && m_tokenPending)
        sendToken();
    else if (s == m_managementSender && m_managementPending)
        sendManagementRead();
}

void EventHubConsumer::Session::on_transport_close(proton::transport& t)
{
    if (t.connection() == m_connection && !m_stopping && !m_reconnectScheduled && m_fatalSet == false)
        lost(t.connection(), proton::error_condition("amqp:connection:forced", "the connection closed"));
}

void EventHubConsumer::Session::connect()
{
    if (m_stopping || !m_driver)
        return;
    m_reconnectScheduled = false;
    m_cbsOk = false;
    m_tokens.newConnection();
    m_reattachAt.clear();
    m_tokenPending = false;
    m_managementPending = false;
    m_receivers.clear();
    proton::connection_options o;
    o.handler(*this);
    o.sasl_allowed_mechs("ANONYMOUS");
    o.virtual_host(m_target.hostName().toStdString()); // the Open's hostname (TLS has SNI from the socket)
    o.idle_timeout(proton::duration(60000));
    o.container_id("iotc-workbench");
    {
        std::lock_guard lock(m_mutex);
        for (auto& [p, s] : m_states) {
            if (s.state != PartitionState::State::Error)
                s.state = PartitionState::State::Connecting;
        }
    }
    m_owner.notifyState();
    // Auto's first try on 5671 is short: a firewall that drops or stalls it must not hold up
    // WebSockets (tick() gives up on it when the peer's Open has not come by then).
    if (m_options.network.transport == AmqpTransport::Auto && !m_webSockets && !m_amqpOpened)
        m_amqpOpenBy = nowMs() + m_options.autoAmqpTimeoutMs;
    m_connection = m_driver->open(endpoint(), o);
}

void EventHubConsumer::Session::lost(const proton::connection& c, const proton::error_condition& error)
{
    if (c != m_connection || m_stopping || m_reconnectScheduled || m_fatalSet)
        return;
    if (error.name() == TlsCertificateCondition || error.name() == ProxyAuthCondition) {
        // The same certificate (or the same demand for credentials) comes again: retrying cannot
        // help, and nothing is ignored.
        fail(QStringLiteral("The event hub at %1 could not be read: %2.")
                 .arg(m_target.hostName(), qs(error.description())),
            false);
        return;
    }
    if (m_options.network.transport == AmqpTransport::Auto && !m_webSockets && !m_amqpOpened
        && error.name() != HostNotFoundCondition && error.name() != ProxyAuthCondition) {
        // Auto: 5671 refused, timed out, reset or not tunnelled: AMQP over WebSockets on 443 at
        // once, and from then on (this is not one of the retries).
        m_webSockets = true;
        m_amqpProblem = describe(error);
        m_lastProblem = m_amqpProblem;
        m_reconnectScheduled = true;
        if (proton::connection old = m_connection; old.active())
            old.close();
        m_reconnectAt = nowMs();
        return;
    }
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

void EventHubConsumer::Session::sendToken()
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

void EventHubConsumer::Session::onCbsReply(const proton::message& m)
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
                    : QStringLiteral("Check the SharedAccessKeyName and SharedAccessKey of the connection string.")));
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

QString EventHubConsumer::Session::renewalFailure() const
{
    const QString why = m_tokens.inbox()->failure();
    return why.isEmpty() ? QString() : QStringLiteral(" (asking for one: ") + why + QLatin1Char(')');
}

// Puts the current token on $cbs, now or as soon as it has credit.
void EventHubConsumer::Session::putToken()
{
    if (!m_cbsOk || !m_cbsSender.active())
        return;
    if (m_cbsSender.credit() > 0)
        sendToken();
    else
        m_tokenPending = true;
}

qint64 EventHubConsumer::Session::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString EventHubConsumer::Session::describe(const proton::error_condition& error)
{
    const QString name = qs(error.name());
    const QString description = qs(error.description());
    // The socket driver's own conditions say everything in their description.
    if (description.isEmpty() || name.startsWith(QLatin1String("iotc:")))
        return description.isEmpty() ? name : description;
    return name.isEmpty() ? description : name + QStringLiteral(": ") + description;
}

// Why the hub could not be read, with what to check (the host name, never the key), naming the
// transports tried.
QString EventHubConsumer::Session::unreachable(const QString& why) const
{
    const NetworkSettings& network = m_options.network;
    const int amqpPort = network.amqpPort > 0 ? network.amqpPort : m_target.port();
    QString text = QStringLiteral("The event hub at %1 could not be read: %2").arg(m_target.hostName(), why);
    if (!m_amqpProblem.isEmpty())
        text += QStringLiteral(" (over AMQP on port %1 before that: %2)").arg(amqpPort).arg(m_amqpProblem);
    text += QStringLiteral(". Check the connection string's endpoint (the hub's host name), that the name resolves "
                           "(DNS), and that ");
    if (m_webSockets && !m_amqpProblem.isEmpty())
        text += QStringLiteral("outbound TCP port %1 (AMQP over TLS) or %2 (AMQP over WebSockets) is open, or a proxy "
                               "tunnels port %2 (--proxy).")
                    .arg(amqpPort)
                    .arg(network.websocketPort);
    else if (m_webSockets)
        text += QStringLiteral("outbound TCP port %1 (AMQP over WebSockets) is open or a proxy tunnels it (--proxy).")
                    .arg(network.websocketPort);
    else
        text += QStringLiteral("outbound TCP port %1 is open (Event Hubs use 5671, AMQP over TLS) or a proxy lets it "
                               "through; where only 443 is open, use --transport amqp-ws (or auto).")
                    .arg(amqpPort);
    return text;
}

// Every deadline (renewal, reconnect, reattach, the time to reach the hub), five times a second.
void EventHubConsumer::Session::tick()
{
    if (m_stopping || !m_driver)
        return;
    const qint64 now = nowMs();
    if (!m_everReceiving && !m_fatalSet && m_options.unreachableAfterMs > 0
        && now - m_startedMs >= m_options.unreachableAfterMs) {
        fail(unreachable(
            QStringLiteral("no partition started receiving within %1 s").arg(m_options.unreachableAfterMs / 1000.0)
            + (m_lastProblem.isEmpty() ? QString() : QStringLiteral(" (last: ") + m_lastProblem + QLatin1Char(')'))));
        m_driver->flush();
        return;
    }
    if (m_amqpOpenBy && now >= m_amqpOpenBy) {
        m_amqpOpenBy = 0;
        const AmqpEndpoint e = endpoint();
        lost(m_connection,
            proton::error_condition(NetworkCondition,
                QStringLiteral("no AMQP answer from %1 within %2 s (a firewall may drop or hold the traffic)")
                    .arg(e.authority())
                    .arg(m_options.autoAmqpTimeoutMs / 1000.0)
                    .toStdString()));
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
    m_driver->flush(); // what was sent or opened here goes out
}

void EventHubConsumer::Session::sendManagementRead()
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

void EventHubConsumer::Session::onManagementReply(const proton::message& m)
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

// Wakes the owner as the pacer allows, with a timer for later; never twice for the same batch.
void EventHubConsumer::Session::notifySoon()
{
    const qint64 wait = m_pacer.waitMs(nowMs());
    if (m_stopping || !m_notifyTimer || (wait > 0 && m_notifyTimer->isActive()))
        return;
    if (wait <= 0) {
        announce();
        return;
    }
    m_notifyTimer->start(static_cast<int>(wait));
}

void EventHubConsumer::Session::announce()
{
    m_pacer.woken(nowMs());
    m_owner.notifyEvents();
}

void EventHubConsumer::Session::setState(
    int partition, PartitionState::State state, const QString& condition, const QString& description)
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

// Stops for good with `reason`; the connection is closed unless it is over already.
void EventHubConsumer::Session::fail(const QString& reason, bool closeConnection)
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
    if (closeConnection && m_connection && m_connection.active())
        m_connection.close();
    QMetaObject::invokeMethod(
        &m_owner, [owner = &m_owner, reason] { Q_EMIT owner->failed(reason); }, Qt::QueuedConnection);
    m_owner.notifyState();
}

} // namespace iotc
