#include "simtlsfronts.h"

#include "amqpframepad.h"

#include <QHostAddress>
#include <QNetworkProxy>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>
#include <stdexcept>
#include <utility>

namespace iotc::sim {

namespace {

// A client that will not finish a close handshake is let go after this long.
constexpr int CloseGraceMs = 5000;

// One client connection (TLS or WebSocket) and the plain connection to the AMQP port it is piped
// to. Owns both sockets; goes away when the client does, and closes the client when the upstream
// connection ends (a dropped or refused AMQP connection). The client's bytes wait until the
// upstream connection is open.
class Pipe : public QObject {
public:
    using Send = std::function<void(const QByteArray&)>;
    using Close = std::function<void()>;

    Pipe(QObject* client, Send send, Close close, quint16 upstreamPort, QObject* parent)
        : QObject(parent)
        , m_send(std::move(send))
        , m_close(std::move(close))
        , m_upstream(new QTcpSocket(this))
    {
        client->setParent(this);
        m_upstream->setProxy(QNetworkProxy::NoProxy); // loopback, never the environment's proxy
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            if (!m_pending.isEmpty())
                m_upstream->write(std::exchange(m_pending, {}));
        });
        // Every performative with all its fields, as Azure's (amqpframepad.h).
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] {
            if (const QByteArray out = m_padder.feed(m_upstream->readAll()); !out.isEmpty())
                m_send(out);
        });
        connect(m_upstream, &QTcpSocket::disconnected, this, &Pipe::closeClient);
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this] {
            if (m_upstream->state() == QAbstractSocket::UnconnectedState)
                closeClient(); // refused: never connected, so no disconnected()
        });
        m_upstream->connectToHost(QHostAddress::LocalHost, upstreamPort);
    }

    void fromClient(const QByteArray& bytes)
    {
        if (m_upstream->state() == QAbstractSocket::ConnectedState)
            m_upstream->write(bytes);
        else
            m_pending.append(bytes);
    }

    void clientGone() { deleteLater(); } // (deleting the upstream socket closes it)

private:
    void closeClient()
    {
        if (m_closing)
            return;
        m_closing = true;
        m_close();
        QTimer::singleShot(CloseGraceMs, this, [this] { deleteLater(); });
    }

    Send m_send;
    Close m_close;
    AmqpFramePadder m_padder;
    QTcpSocket* m_upstream;
    QByteArray m_pending;
    bool m_closing = false;
};

} // namespace

QSslConfiguration simServerTls(const SimTlsMaterial& material)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain({ material.leaf, material.ca });
    tls.setPrivateKey(material.key);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    return tls;
}

SimTlsFronts::SimTlsFronts(const SimTlsMaterial& material, quint16 upstreamPort, QObject* parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
    , m_tls(new QSslServer(this))
    , m_webSocket(new QWebSocketServer(QStringLiteral("iotc-diag sim"), QWebSocketServer::SecureMode, this))
{
    const QSslConfiguration tls = simServerTls(material);
    m_tls->setSslConfiguration(tls);
    m_tls->setProxy(QNetworkProxy::NoProxy);
    connect(m_tls, &QSslServer::pendingConnectionAvailable, this, &SimTlsFronts::acceptTls);
    m_webSocket->setSslConfiguration(tls);
    m_webSocket->setProxy(QNetworkProxy::NoProxy);
    m_webSocket->setSupportedSubprotocols({ WebSocketSubprotocol });
    connect(m_webSocket, &QWebSocketServer::newConnection, this, &SimTlsFronts::acceptWebSocket);
}

SimTlsFronts::~SimTlsFronts() = default;

void SimTlsFronts::listen(quint16 amqpsPort, quint16 websocketPort)
{
    if (!m_tls->listen(QHostAddress::LocalHost, amqpsPort))
        throw std::runtime_error("the simulated app cannot listen for AMQP over TLS on port "
            + std::to_string(amqpsPort) + ": " + m_tls->errorString().toStdString());
    if (!m_webSocket->listen(QHostAddress::LocalHost, websocketPort))
        throw std::runtime_error("the simulated app cannot listen for AMQP over WebSockets on port "
            + std::to_string(websocketPort) + ": " + m_webSocket->errorString().toStdString());
}

quint16 SimTlsFronts::amqpsPort() const
{
    return m_tls->serverPort();
}

quint16 SimTlsFronts::websocketPort() const
{
    return m_webSocket->serverPort();
}

void SimTlsFronts::acceptTls()
{
    // (QSslServer hands a connection over once its handshake is done.)
    while (QTcpSocket* client = m_tls->nextPendingConnection()) {
        auto* pipe = new Pipe(
            client, [client](const QByteArray& bytes) { client->write(bytes); },
            [client] { client->disconnectFromHost(); }, m_upstreamPort, this);
        connect(client, &QTcpSocket::readyRead, pipe, [pipe, client] { pipe->fromClient(client->readAll()); });
        connect(client, &QTcpSocket::disconnected, pipe, &Pipe::clientGone);
        if (client->bytesAvailable() > 0)
            pipe->fromClient(client->readAll());
        if (client->state() != QAbstractSocket::ConnectedState)
            pipe->clientGone();
    }
}

void SimTlsFronts::acceptWebSocket()
{
    while (QWebSocket* client = m_webSocket->nextPendingConnection()) {
        QString refusal;
        if (client->requestUrl().path() != WebSocketPath)
            refusal = QStringLiteral("AMQP over WebSockets is served at ") + WebSocketPath + QStringLiteral(" only");
        else if (client->subprotocol() != WebSocketSubprotocol)
            refusal = QStringLiteral("AMQP over WebSockets needs the subprotocol ") + WebSocketSubprotocol;
        if (!refusal.isEmpty()) {
            client->setParent(this);
            connect(client, &QWebSocket::disconnected, client, &QObject::deleteLater);
            QTimer::singleShot(CloseGraceMs, client, &QObject::deleteLater);
            client->close(QWebSocketProtocol::CloseCodePolicyViolated, refusal);
            continue;
        }
        pipeWebSocket(client);
    }
}

void SimTlsFronts::pipeWebSocket(QWebSocket* client)
{
    auto* pipe = new Pipe(
        client, [client](const QByteArray& bytes) { client->sendBinaryMessage(bytes); },
        [client] {
            client->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("the AMQP connection ended"));
        },
        m_upstreamPort, this);
    connect(client, &QWebSocket::binaryFrameReceived, pipe,
        [pipe](const QByteArray& bytes, bool) { pipe->fromClient(bytes); });
    connect(client, &QWebSocket::textMessageReceived, client, [client] {
        client->close(
            QWebSocketProtocol::CloseCodeDatatypeNotSupported, QStringLiteral("AMQP travels in binary frames"));
    });
    connect(client, &QWebSocket::disconnected, pipe, &Pipe::clientGone);
    if (client->state() != QAbstractSocket::ConnectedState)
        pipe->clientGone();
}

} // namespace iotc::sim
