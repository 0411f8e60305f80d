#include "amqpbytestream.h"

#include "net/networksettings.h"

#include <QAuthenticator>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <cstring>

namespace iotc {

namespace {

QSslConfiguration tlsFor(const AmqpEndpoint& e)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!e.extraCaCertificates.isEmpty()) // (setting any turns off the system's, so both)
        tls.setCaCertificates(trustAnchors(e.extraCaCertificates));
    return tls;
}

// AMQP straight on a TCP socket, encrypted (QSslSocket) or not.
class SocketStream final : public AmqpByteStream {
public:
    SocketStream(const AmqpEndpoint& e, QObject* parent)
        : AmqpByteStream(parent)
        , m_endpoint(e)
    {
        if (e.tls) {
            auto* socket = new QSslSocket(this);
            socket->setSslConfiguration(tlsFor(e));
            QObject::connect(socket, &QSslSocket::connected, this, [this] { connectedTcp(); });
            QObject::connect(socket, &QSslSocket::encrypted, this, [this] { becameReady(); });
            QObject::connect(socket, &QSslSocket::sslErrors, this,
                [this](const QList<QSslError>& errors) { sslErrors = errors; }); // never ignored
            m_socket = socket;
        } else {
            m_socket = new QTcpSocket(this);
            QObject::connect(m_socket, &QTcpSocket::connected, this, [this] {
                connectedTcp();
                becameReady();
            });
        }
        m_socket->setProxy(e.proxy);
        // Credentials go in the proxy setting; a demand for others ends the connection (in words).
        QObject::connect(m_socket, &QTcpSocket::proxyAuthenticationRequired, this,
            [this](const QNetworkProxy&, QAuthenticator*) { proxyWantsCredentials = true; });
        QObject::connect(m_socket, &QTcpSocket::readyRead, this, [this] { activity(); });
        QObject::connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { activity(); });
        QObject::connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (onFailed)
                onFailed(error);
        });
        QObject::connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            if (onFailed)
                onFailed(QAbstractSocket::RemoteHostClosedError);
        });
    }

    void open() override
    {
        if (auto* socket = qobject_cast<QSslSocket*>(m_socket))
            socket->connectToHostEncrypted(m_endpoint.host, static_cast<quint16>(m_endpoint.port));
        else
            m_socket->connectToHost(m_endpoint.host, static_cast<quint16>(m_endpoint.port));
    }
    qint64 available() const override { return m_socket->bytesAvailable(); }
    qint64 read(char* data, qint64 max) override { return m_socket->read(data, max); }
    qint64 write(const char* data, qint64 size) override { return m_socket->write(data, size); }
    qint64 unsent() const override { return m_socket->bytesToWrite(); }
    bool isOpen() const override { return m_socket->state() == QAbstractSocket::ConnectedState; }
    void close() override { m_socket->disconnectFromHost(); }
    void abort() override
    {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    QString errorString() const override { return m_socket->errorString(); }
    QList<QSslCertificate> peerCertificateChain() const override
    {
        const auto* socket = qobject_cast<const QSslSocket*>(m_socket);
        return socket ? socket->peerCertificateChain() : QList<QSslCertificate>();
    }

private:
    void connectedTcp()
    {
        tcpConnected = true;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // (only once connected)
    }
    void becameReady()
    {
        ready = true;
        if (onReady)
            onReady();
    }
    void activity()
    {
        if (onActivity)
            onActivity();
    }

    AmqpEndpoint m_endpoint;
    QTcpSocket* m_socket = nullptr;
};

// AMQP in binary WebSocket frames: each frame's payload is the next bytes of the stream.
class WebSocketStream final : public AmqpByteStream {
public:
    WebSocketStream(const AmqpEndpoint& e, QObject* parent)
        : AmqpByteStream(parent)
        , m_endpoint(e)
        , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    {
        m_socket->setProxy(e.proxy);
        QObject::connect(m_socket, &QWebSocket::proxyAuthenticationRequired, this,
            [this](const QNetworkProxy&, QAuthenticator*) { proxyWantsCredentials = true; });
        if (e.tls)
            m_socket->setSslConfiguration(tlsFor(e));
        QObject::connect(m_socket, &QWebSocket::connected, this, [this] {
            tcpConnected = true;
            ready = true;
            if (onReady)
                onReady();
        });
        QObject::connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& bytes) {
            m_in.append(bytes);
            if (onActivity)
                onActivity();
        });
        QObject::connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString&) {
            // AMQP is only ever binary: a text frame means this is not AMQP over WebSockets.
            m_protocolError = QStringLiteral("the server sent a text WebSocket message where AMQP's binary frames "
                                             "belong");
            m_socket->abort();
        });
        QObject::connect(m_socket, &QWebSocket::bytesWritten, this, [this](qint64 n) {
            m_unsent = std::max<qint64>(0, m_unsent - n); // (n counts the frames' headers too)
            if (onActivity)
                onActivity();
        });
        QObject::connect(m_socket, &QWebSocket::sslErrors, this,
            [this](const QList<QSslError>& errors) { sslErrors = errors; }); // never ignored
        // (Qt 6.4 names the signal error(); 6.5 added errorOccurred.)
        QObject::connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                if (onFailed)
                    onFailed(m_protocolError.isEmpty() ? error : QAbstractSocket::UnknownSocketError);
            });
        QObject::connect(m_socket, &QWebSocket::disconnected, this, [this] {
            // (It may come before the error that caused it: the error, when there is one, says more.)
            const auto error = m_socket->error();
            if (onFailed)
                onFailed(!m_protocolError.isEmpty()                    ? QAbstractSocket::UnknownSocketError
                        : error != QAbstractSocket::UnknownSocketError ? error
                                                                       : QAbstractSocket::RemoteHostClosedError);
        });
    }

    void open() override
    {
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({ QString::fromLatin1(AmqpWebSocketSubprotocol) });
        m_socket->open(QNetworkRequest(QUrl(m_endpoint.url())), options);
    }
    qint64 available() const override { return m_in.size() - m_inPos; }
    qint64 read(char* data, qint64 max) override
    {
        const qint64 n = std::min(max, available());
        if (n <= 0)
            return 0;
        std::memcpy(data, m_in.constData() + m_inPos, static_cast<size_t>(n));
        m_inPos += n;
        if (m_inPos == m_in.size()) {
            m_in.clear();
            m_inPos = 0;
        } else if (m_inPos > 64 * 1024 && m_inPos * 2 > m_in.size()) {
            m_in.remove(0, m_inPos);
            m_inPos = 0;
        }
        return n;
    }
    qint64 write(const char* data, qint64 size) override
    {
        // (Framed and handed to the socket before it returns: the bytes are not kept.)
        const qint64 n = m_socket->sendBinaryMessage(QByteArray::fromRawData(data, static_cast<qsizetype>(size)));
        if (n > 0)
            m_unsent += n;
        return n;
    }
    qint64 unsent() const override { return m_unsent; }
    bool isOpen() const override { return m_socket->state() == QAbstractSocket::ConnectedState; }
    void close() override { m_socket->close(QWebSocketProtocol::CloseCodeNormal); }
    void abort() override
    {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    QString errorString() const override
    {
        return m_protocolError.isEmpty() ? m_socket->errorString() : m_protocolError;
    }
    QList<QSslCertificate> peerCertificateChain() const override
    {
        return m_socket->sslConfiguration().peerCertificateChain();
    }

private:
    AmqpEndpoint m_endpoint;
    QWebSocket* m_socket;
    QByteArray m_in; // what arrived and the driver has not taken yet, from m_inPos
    qint64 m_inPos = 0;
    qint64 m_unsent = 0;
    QString m_protocolError;
};

} // namespace

QString AmqpEndpoint::authority() const
{
    const QString h = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return h + QLatin1Char(':') + QString::number(port);
}

QString AmqpEndpoint::url() const
{
    if (webSocket)
        return (tls ? QStringLiteral("wss://") : QStringLiteral("ws://")) + authority() + webSocketPath;
    return (tls ? QStringLiteral("amqps://") : QStringLiteral("amqp://")) + authority();
}

QString AmqpEndpoint::routeText() const
{
    QString text = webSocket
        ? (tls ? QStringLiteral("AMQP over WebSockets (%1)") : QStringLiteral("AMQP over plain WebSockets (%1)"))
        : (tls ? QStringLiteral("AMQP over TLS (%1)") : QStringLiteral("plain AMQP (%1)"));
    text = text.arg(port);
    const QString through = proxyDisplay(proxy);
    if (!through.isEmpty())
        text += QStringLiteral(" through ") + through;
    return text;
}

AmqpByteStream* AmqpByteStream::create(const AmqpEndpoint& endpoint, QObject* parent)
{
    if (endpoint.webSocket)
        return new WebSocketStream(endpoint, parent);
    return new SocketStream(endpoint, parent);
}

} // namespace iotc
