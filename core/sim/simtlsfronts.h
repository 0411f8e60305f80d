#pragma once

#include "simtls.h"

#include <QObject>
#include <QSslConfiguration>
#include <QString>

class QSslServer;
class QWebSocket;
class QWebSocketServer;

namespace iotc::sim {

// TLS configuration of every simulator front: the leaf and the CA as its chain, TLS 1.2 or later,
// no client certificates.
QSslConfiguration simServerTls(const SimTlsMaterial& material);

// The simulator's secure faces of its plain AMQP port (EventHubServer), as Event Hubs offers them:
// AMQP over TLS (amqps://localhost:P) and AMQP over WebSockets (wss://localhost:P/$servicebus/
// websocket, subprotocol AMQPWSB10, AMQP bytes in binary frames). Each accepted connection gets
// its own plain connection to the upstream port and the bytes are piped both ways; when either
// side closes, the other is closed too, so EventHubServer::dropConnections() drops TLS and
// WebSocket clients as well. Lives on (and is used from) one thread with an event loop.
class SimTlsFronts : public QObject {
    Q_OBJECT
public:
    static inline const QString WebSocketPath = QStringLiteral("/$servicebus/websocket");
    static inline const QString WebSocketSubprotocol = QStringLiteral("AMQPWSB10");

    SimTlsFronts(const SimTlsMaterial& material, quint16 upstreamPort, QObject* parent = nullptr);
    ~SimTlsFronts() override;

    // Listens on loopback (0: any free port). Throws std::runtime_error naming the front and port.
    void listen(quint16 amqpsPort, quint16 websocketPort);
    quint16 amqpsPort() const;
    quint16 websocketPort() const;

    // Takes over an accepted AMQP-over-WebSockets client (another endpoint's WebSocket server,
    // e.g. IoT Hub's /$iothub/websocket) and pipes it to the upstream port.
    void pipeWebSocket(QWebSocket* client);

private:
    void acceptTls();
    void acceptWebSocket();

    quint16 m_upstreamPort;
    QSslServer* m_tls;
    QWebSocketServer* m_webSocket;
};

} // namespace iotc::sim
