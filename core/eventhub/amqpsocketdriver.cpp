#include "amqpsocketdriver.h"

#include "tlsfailure.h"

#include <QMetaObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
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

QString authorityOf(const AmqpEndpoint& e)
{
    const QString host = e.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + e.host + QLatin1Char(']') : e.host;
    return host + QLatin1Char(':') + QString::number(e.port);
}

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
        if (m_socket) {
            m_socket->disconnect(this);
            m_socket->abort();
        }
        if (auto* owner = qobject_cast<AmqpSocketDriver*>(parent()))
            std::erase(owner->m_connections, this);
    }

    proton::connection start(const proton::connection_options& options)
    {
        m_driver.connect(options); // the protocol header and Open wait in the driver's output
        if (m_endpoint.tls) {
            auto* socket = new QSslSocket(this);
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setProtocol(QSsl::TlsV1_2OrLater);
            tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
            if (!m_endpoint.extraCaCertificates.isEmpty()) // (setting any turns off the system's, so both)
                tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + m_endpoint.extraCaCertificates);
            socket->setSslConfiguration(tls);
            QObject::connect(socket, &QSslSocket::connected, this, [this] {
                m_tcpConnected = true;
                m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            });
            QObject::connect(socket, &QSslSocket::encrypted, this, [this] { ready(); });
            QObject::connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
                m_sslErrors = errors; // never ignored: the handshake fails after this
            });
            m_socket = socket;
        } else {
            m_socket = new QTcpSocket(this);
            QObject::connect(m_socket, &QTcpSocket::connected, this, [this] {
                m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // (only once connected)
                ready();
            });
        }
        QObject::connect(m_socket, &QTcpSocket::readyRead, this, [this] { pump(); });
        QObject::connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { pump(); });
        QObject::connect(
            m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) { socketFailed(e); });
        QObject::connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { socketFailed(QAbstractSocket::RemoteHostClosedError); });
        if (auto* socket = qobject_cast<QSslSocket*>(m_socket))
            socket->connectToHostEncrypted(m_endpoint.host, static_cast<quint16>(m_endpoint.port));
        else
            m_socket->connectToHost(m_endpoint.host, static_cast<quint16>(m_endpoint.port));
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
        do {
            m_again = false;
            if (m_ready)
                readIn();
            if (!m_done) {
                m_deadline = m_driver.tick(proton::timestamp(monotonicMs())).milliseconds();
                if (!m_driver.dispatch()) {
                    finish();
                    break;
                }
            }
            if (m_ready && !m_done)
                writeOut();
            // More arrived than the engine took: round again once dispatching made room.
            if (!m_done && m_ready && m_socket->bytesAvailable() > 0 && m_driver.read_buffer().size > 0)
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
    void ready()
    {
        m_ready = true;
        pump();
    }

    void readIn()
    {
        while (!m_done && m_socket->bytesAvailable() > 0) {
            const auto buffer = m_driver.read_buffer();
            if (buffer.size == 0)
                break; // the engine takes no more now: the next dispatch makes room, and pump() comes again
            const qint64 n = m_socket->read(buffer.data, static_cast<qint64>(buffer.size));
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
        while (m_socket->bytesToWrite() < MaxUnsentBytes) {
            const auto buffer = m_driver.write_buffer();
            if (buffer.size == 0)
                return;
            const qint64 n = m_socket->write(buffer.data, static_cast<qint64>(buffer.size));
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
        if (m_ready) {
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
        const QString where = authorityOf(m_endpoint);
        const QString qt = m_socket ? m_socket->errorString() : QString();
        auto network
            = [](const QString& words) { return proton::error_condition(NetworkCondition, words.toStdString()); };
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            return network(where
                + QStringLiteral(" refused the connection (nothing listens there, or a firewall "
                                 "rejects it)"));
        case QAbstractSocket::HostNotFoundError:
            return network(
                QStringLiteral("the host name ") + m_endpoint.host + QStringLiteral(" does not resolve (DNS)"));
        case QAbstractSocket::SocketTimeoutError:
            return network(
                QStringLiteral("no answer from ") + where + QStringLiteral(" (a firewall may drop the traffic)"));
        case QAbstractSocket::RemoteHostClosedError:
            if (m_endpoint.tls && m_tcpConnected && !m_ready) // closed in the middle of the handshake
                return proton::error_condition(TlsHandshakeCondition,
                    describeTlsHandshakeFailure(m_endpoint.host, m_endpoint.port, qt).toStdString());
            return network(where + QStringLiteral(" closed the connection"));
        case QAbstractSocket::SslHandshakeFailedError:
            if (!m_sslErrors.isEmpty()) {
                const auto* socket = qobject_cast<const QSslSocket*>(m_socket);
                const auto chain = socket ? socket->peerCertificateChain() : QList<QSslCertificate>();
                return proton::error_condition(
                    TlsCertificateCondition, describeTlsFailure(m_endpoint.host, m_sslErrors, chain).toStdString());
            }
            return proton::error_condition(
                TlsHandshakeCondition, describeTlsHandshakeFailure(m_endpoint.host, m_endpoint.port, qt).toStdString());
        case QAbstractSocket::SslInternalError:
        case QAbstractSocket::SslInvalidUserDataError:
            return proton::error_condition(
                TlsHandshakeCondition, describeTlsHandshakeFailure(m_endpoint.host, m_endpoint.port, qt).toStdString());
        default:
            return network(QStringLiteral("the connection to ") + where + QStringLiteral(" failed: ") + qt);
        }
    }

    // The driver is done (or the socket is): what it still has to say goes out, then it goes.
    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        m_timer.stop();
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState && m_ready) {
            writeOut();
            if (m_socket->bytesToWrite() > 0) {
                // The last frames (a Close) go out before the socket does, within a second.
                QObject::connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
                QTimer::singleShot(1000, this, &QObject::deleteLater);
                m_socket->disconnectFromHost();
                return;
            }
            m_socket->disconnectFromHost();
        }
        deleteLater();
    }

    AmqpEndpoint m_endpoint;
    proton::io::connection_driver m_driver;
    QTcpSocket* m_socket = nullptr; // a QSslSocket for TLS
    QTimer m_timer; // the driver's next expiry
    QList<QSslError> m_sslErrors;
    qint64 m_deadline = 0;
    qint64 m_armedFor = 0; // the expiry the timer is set for
    bool m_tcpConnected = false;
    bool m_ready = false; // connected (and encrypted): bytes may move
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
