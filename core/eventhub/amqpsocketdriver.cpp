#include "amqpsocketdriver.h"

#include "net/tlsfailure.h"

#include "net/networksettings.h"

#include <QMetaObject>
#include <QPointer>
#include <QTimer>

#include <proton/error_condition.hpp>
#include <proton/io/connection_driver.hpp>
#include <proton/timestamp.hpp>

#include <algorithm>
#include <chrono>

namespace iotc {

namespace {

// Proton's idle time-outs only need a monotonic clock in milliseconds.
qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Bytes handed to a socket that has not sent them yet, past which the driver's output waits.
constexpr qint64 MaxUnsentBytes = 4 * 1024 * 1024;
// How long a connection closed on our side waits for the peer's close before the socket is cut.
constexpr int CloseGraceMs = 2000;

} // namespace

class AmqpSocketDriver::Connection : public QObject {
public:
    Connection(const AmqpEndpoint& endpoint, AmqpSocketDriver* parent)
        : QObject(parent)
        , m_endpoint(endpoint)
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { pump(); });
    }

    ~Connection() override
    {
        m_done = true; // no handler is called from here on
        if (m_stream)
            m_stream->abort();
        if (auto* owner = qobject_cast<AmqpSocketDriver*>(parent()))
            std::erase(owner->m_connections, this);
    }

    proton::connection start(const proton::connection_options& options)
    {
        m_driver.connect(options); // the protocol header and Open wait in the driver's output
        m_stream = AmqpByteStream::create(m_endpoint, this);
        m_stream->onReady = [this] { pump(); };
        m_stream->onActivity = [this] { pump(); };
        m_stream->onFailed = [this](QAbstractSocket::SocketError e) { socketFailed(e); };
        m_stream->open();
        m_timer.start(0); // the first dispatch, from the event loop
        return m_driver.connection();
    }

    // Reads what arrived, lets time pass, dispatches, writes what the handler queued, and sets the
    // timer to the driver's next expiry. Re-entered calls (a handler that flushes) run once more.
    void pump()
    {
        if (m_done)
            return;
        if (m_pumping) {
            m_again = true;
            return;
        }
        m_pumping = true;
        const bool ready = m_stream->ready;
        do {
            m_again = false;
            if (ready)
                readIn();
            if (!m_done) {
                m_deadline = m_driver.tick(proton::timestamp(monotonicMs())).milliseconds();
                if (!m_driver.dispatch()) {
                    finish();
                    break;
                }
            }
            if (ready && !m_done)
                writeOut();
            // More arrived than the engine took: round again once dispatching made room.
            if (!m_done && ready && m_stream->available() > 0 && m_driver.read_buffer().size > 0)
                m_again = true;
        } while (m_again && !m_done);
        m_pumping = false;
        if (m_done)
            return;
        closingGrace();
        // Waking early is harmless (tick() says what is next), so a later expiry (the peer's idle
        // time-out moves with every byte) does not re-arm the timer.
        if (m_deadline <= 0) {
            m_timer.stop();
        } else if (!m_timer.isActive() || m_deadline < m_armedFor) {
            m_armedFor = m_deadline;
            m_timer.start(static_cast<int>(std::clamp<qint64>(m_deadline - monotonicMs(), 0, 3600000)));
        }
    }

private:
    void readIn()
    {
        while (!m_done && m_stream->available() > 0) {
            const auto buffer = m_driver.read_buffer();
            if (buffer.size == 0)
                break; // the engine takes no more now: the next dispatch makes room, and pump() comes again
            const qint64 n = m_stream->read(buffer.data, static_cast<qint64>(buffer.size));
            if (n <= 0)
                break;
            m_driver.read_done(static_cast<size_t>(n));
            if (!m_driver.dispatch()) {
                finish();
                return;
            }
        }
    }

    void writeOut()
    {
        while (m_stream->unsent() < MaxUnsentBytes) {
            const auto buffer = m_driver.write_buffer();
            if (buffer.size == 0)
                return;
            const qint64 n = m_stream->write(buffer.data, static_cast<qint64>(buffer.size));
            if (n <= 0)
                return;
            m_driver.write_done(static_cast<size_t>(n));
        }
    }

    // A connection the handler closed waits a while for the peer's close, then the socket is cut.
    void closingGrace()
    {
        const proton::connection c = m_driver.connection();
        if (m_graceStarted || c.active() || c.uninitialized())
            return;
        m_graceStarted = true;
        QTimer::singleShot(CloseGraceMs, this, [this] {
            if (!m_done)
                finish();
        });
    }

    void socketFailed(QAbstractSocket::SocketError error)
    {
        if (m_done || m_disconnected)
            return;
        // What arrived before the end (a Close with the peer's reason) is read first.
        if (m_stream->ready) {
            pump();
            if (m_done)
                return;
        }
        m_disconnected = true;
        m_driver.disconnected(conditionFor(error));
        m_driver.dispatch();
        finish();
    }

    proton::error_condition conditionFor(QAbstractSocket::SocketError error) const
    {
        const QString where = m_endpoint.webSocket ? m_endpoint.url() : m_endpoint.authority();
        const QString qt = m_stream->errorString();
        const QString proxy = proxyDisplay(m_endpoint.proxy);
        auto condition
            = [](const char* name, const QString& words) { return proton::error_condition(name, words.toStdString()); };
        auto handshake = [&] {
            return condition(TlsHandshakeCondition, describeTlsHandshakeFailure(m_endpoint.host, m_endpoint.port, qt));
        };
        if (m_stream->proxyWantsCredentials)
            error = QAbstractSocket::ProxyAuthenticationRequiredError; // (however the socket ended after it)
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            if (m_endpoint.webSocket && m_stream->tcpConnected)
                break;
            if (m_endpoint.webSocket && qt.contains(QLatin1String("andshake")))
                return condition(NetworkCondition,
                    where + QStringLiteral(" refused the WebSocket upgrade (") + qt
                        + QStringLiteral("): it is not an AMQP over WebSockets endpoint"));
            return condition(NetworkCondition,
                m_endpoint.authority()
                    + QStringLiteral(" refused the connection (nothing listens there, or a firewall rejects it)"));
        case QAbstractSocket::HostNotFoundError:
            return condition(HostNotFoundCondition,
                QStringLiteral("the host name ") + m_endpoint.host + QStringLiteral(" does not resolve (DNS)"));
        case QAbstractSocket::SocketTimeoutError:
            return condition(NetworkCondition,
                QStringLiteral("no answer from ") + m_endpoint.authority()
                    + (proxy.isEmpty() ? QString() : QStringLiteral(" through the proxy ") + proxy)
                    + QStringLiteral(" (a firewall may drop the traffic)"));
        case QAbstractSocket::ProxyConnectionRefusedError:
        case QAbstractSocket::ProxyNotFoundError:
        case QAbstractSocket::ProxyConnectionTimeoutError:
            return condition(ProxyCondition,
                QStringLiteral("the proxy ") + proxy + QStringLiteral(" could not be reached (") + qt
                    + QStringLiteral("): check the proxy setting (--proxy, or https_proxy)"));
        case QAbstractSocket::ProxyAuthenticationRequiredError:
            return condition(ProxyAuthCondition,
                QStringLiteral("the proxy ") + proxy
                    + QStringLiteral(" asks for credentials, and none were accepted: give them as "
                                     "--proxy http://USER:PASSWORD@")
                    + proxy);
        case QAbstractSocket::SocketAccessError:
        case QAbstractSocket::ProxyProtocolError:
        case QAbstractSocket::ProxyConnectionClosedError:
            if (!proxy.isEmpty())
                return condition(ProxyCondition,
                    QStringLiteral("the proxy ") + proxy + QStringLiteral(" would not open a tunnel to ")
                        + m_endpoint.authority() + QStringLiteral(" (") + qt + QLatin1Char(')'));
            break;
        case QAbstractSocket::RemoteHostClosedError:
            if (m_endpoint.tls && m_stream->tcpConnected && !m_stream->ready) // closed in the middle of the handshake
                return handshake();
            if (m_endpoint.webSocket && !m_stream->ready)
                return condition(NetworkCondition,
                    where + QStringLiteral(" closed the connection before the WebSocket upgrade completed"));
            return condition(NetworkCondition, where + QStringLiteral(" closed the connection"));
        case QAbstractSocket::SslHandshakeFailedError:
            if (!m_stream->sslErrors.isEmpty())
                return condition(TlsCertificateCondition,
                    describeTlsFailure(m_endpoint.host, m_stream->sslErrors, m_stream->peerCertificateChain()));
            return handshake();
        case QAbstractSocket::SslInternalError:
        case QAbstractSocket::SslInvalidUserDataError:
            return handshake();
        default:
            break;
        }
        if (!m_stream->sslErrors.isEmpty()) // (a WebSocket reports the refused certificate its own way)
            return condition(TlsCertificateCondition,
                describeTlsFailure(m_endpoint.host, m_stream->sslErrors, m_stream->peerCertificateChain()));
        return condition(
            NetworkCondition, QStringLiteral("the connection to ") + where + QStringLiteral(" failed: ") + qt);
    }

    // The driver is done (or the socket is): what it still has to say goes out, then it goes.
    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        m_timer.stop();
        if (m_stream && m_stream->isOpen() && m_stream->ready) {
            writeOut();
            if (m_stream->unsent() > 0) {
                // The last frames (a Close) go out before the socket does, within a second.
                m_stream->onFailed = [this](QAbstractSocket::SocketError) { deleteLater(); };
                QTimer::singleShot(1000, this, &QObject::deleteLater);
                m_stream->close();
                return;
            }
            m_stream->close();
        }
        deleteLater();
    }

    AmqpEndpoint m_endpoint;
    proton::io::connection_driver m_driver;
    AmqpByteStream* m_stream = nullptr; // a child
    QTimer m_timer; // the driver's next expiry
    qint64 m_deadline = 0;
    qint64 m_armedFor = 0; // the expiry the timer is set for
    bool m_pumping = false;
    bool m_again = false;
    bool m_disconnected = false;
    bool m_graceStarted = false;
    bool m_done = false;
};

AmqpSocketDriver::AmqpSocketDriver(QObject* parent)
    : QObject(parent)
{
}

AmqpSocketDriver::~AmqpSocketDriver()
{
    while (!m_connections.empty())
        delete m_connections.back(); // (each takes itself off the list)
}

proton::connection AmqpSocketDriver::open(const AmqpEndpoint& endpoint, const proton::connection_options& options)
{
    auto* c = new Connection(endpoint, this);
    m_connections.push_back(c);
    return c->start(options);
}

void AmqpSocketDriver::flush()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushQueued = false;
            // (A handler may open or end connections meanwhile: a copy, each checked before use.)
            std::vector<QPointer<Connection>> all(m_connections.begin(), m_connections.end());
            for (const auto& c : all) {
                if (c)
                    c->pump();
            }
        },
        Qt::QueuedConnection);
}

int AmqpSocketDriver::connectionCount() const
{
    return static_cast<int>(m_connections.size());
}

} // namespace iotc
