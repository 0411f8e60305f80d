#pragma once

// A WebSocket front for a plain AMQP endpoint in tests, as Event Hubs offers AMQP over WebSockets
// (wss://host/$servicebus/websocket, subprotocol AMQPWSB10): the binary frames of each WebSocket
// connection are piped to a plain TCP port (the simulator's event hub) and that port's bytes come
// back as binary messages. ws:// without a certificate name, wss:// with one of tests/data/tls's.

#include "tlsrelay.h"

#include <QNetworkProxy>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>
#include <utility>

namespace iotc::test {

class WsRelay : public QObject {
public:
    static inline const QString kPath = QStringLiteral("/$servicebus/websocket");

    // `tlsName` empty: ws://; otherwise wss:// presenting tests/data/tls/<tlsName>.pem (chain: it
    // and the test CA, as TlsRelay sends it).
    explicit WsRelay(quint16 upstreamPort, const QString& tlsName = {})
        : m_server(QStringLiteral("iotc-test-ws"),
            tlsName.isEmpty() ? QWebSocketServer::NonSecureMode : QWebSocketServer::SecureMode)
        , m_upstreamPort(upstreamPort)
        , m_secure(!tlsName.isEmpty())
    {
        if (m_secure) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setLocalCertificateChain(
                { QSslCertificate(readTlsFile(tlsName + QStringLiteral(".pem")), QSsl::Pem), testCa() });
            tls.setPrivateKey(QSslKey(readTlsFile(tlsName + QStringLiteral(".key")), QSsl::Ec, QSsl::Pem));
            tls.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
            m_server.setSslConfiguration(tls);
        }
        m_server.setSupportedSubprotocols({ QStringLiteral("AMQPWSB10") });
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] { accept(); });
        m_server.listen(QHostAddress::LocalHost);
    }

    bool valid() const
    {
        return m_server.isListening() && (!m_secure || !m_server.sslConfiguration().privateKey().isNull());
    }
    quint16 port() const { return m_server.serverPort(); }
    int relayed() const { return m_relayed; } // WebSocket connections piped to the upstream port
    QString lastPath() const { return m_lastPath; } // the request path of the last connection
    QString lastSubprotocol() const { return m_lastSubprotocol; } // negotiated for the last one
    // Drops every connection (both sides), as a broken network would.
    void dropAll()
    {
        for (auto* ws : findChildren<QWebSocket*>())
            ws->abort();
        for (auto* s : findChildren<QTcpSocket*>())
            s->abort();
    }

private:
    void accept()
    {
        while (QWebSocket* down = m_server.nextPendingConnection()) {
            down->setParent(this);
            QObject::connect(down, &QWebSocket::disconnected, down, &QObject::deleteLater);
            m_lastPath = down->requestUrl().path();
            m_lastSubprotocol = down->subprotocol();
            if (m_lastPath != kPath) {
                down->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("no such path"));
                continue;
            }
            ++m_relayed;
            auto* up = new QTcpSocket(this);
            up->setProxy(QNetworkProxy::NoProxy); // never a proxy of the environment
            auto pending = std::make_shared<QByteArray>(); // client bytes until the upstream connects
            QObject::connect(down, &QWebSocket::binaryFrameReceived, up, [up, pending](const QByteArray& bytes) {
                if (up->state() == QAbstractSocket::ConnectedState)
                    up->write(bytes);
                else
                    pending->append(bytes);
            });
            QObject::connect(up, &QTcpSocket::connected, up, [up, pending] {
                if (!pending->isEmpty())
                    up->write(std::exchange(*pending, {}));
            });
            QObject::connect(up, &QTcpSocket::readyRead, down, [down, up] { down->sendBinaryMessage(up->readAll()); });
            QObject::connect(down, &QWebSocket::disconnected, up, &QTcpSocket::disconnectFromHost);
            QObject::connect(up, &QTcpSocket::disconnected, down, [down] {
                if (down->state() == QAbstractSocket::ConnectedState)
                    down->close();
            });
            QObject::connect(up, &QTcpSocket::errorOccurred, down, [down, up] {
                if (up->state() == QAbstractSocket::UnconnectedState
                    && down->state() == QAbstractSocket::ConnectedState)
                    down->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("upstream unreachable"));
            });
            QObject::connect(up, &QTcpSocket::disconnected, up, &QObject::deleteLater);
            up->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        }
    }

    QWebSocketServer m_server;
    quint16 m_upstreamPort;
    bool m_secure;
    int m_relayed = 0;
    QString m_lastPath;
    QString m_lastSubprotocol;
};

} // namespace iotc::test
