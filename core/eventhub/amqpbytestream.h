#pragma once

#include <QAbstractSocket>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

#include <functional>

namespace iotc {

// Where an AMQP connection goes and how: TLS (system CAs plus extraCaCertificates, SNI and
// host-name verification on `host`, TLS 1.2 or later) or plain TCP (loopback only; the caller
// decides), each either straight on the socket or in binary WebSocket frames (wss:// or ws:// to
// /$servicebus/websocket, subprotocol AMQPWSB10), through `proxy` (HTTP CONNECT) or not.
struct AmqpEndpoint {
    QString host; // a name or an address, without brackets
    int port = 5671;
    bool tls = true;
    bool webSocket = false;
    QString webSocketPath
        = QStringLiteral("/$servicebus/websocket"); // Event Hubs'; IoT Hub's devices: /$iothub/websocket
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    QList<QSslCertificate> extraCaCertificates; // trusted besides the system's (a TLS-inspecting proxy's CA)

    QString authority() const; // host:port, an IPv6 address bracketed
    QString url() const; // wss://host:443/$servicebus/websocket, amqps://host:5671 ...
    // "AMQP over TLS (5671)", "AMQP over WebSockets (443) through proxy.example:8080", "plain AMQP (5672)".
    QString routeText() const;
};

// The WebSocket path and subprotocol of AMQP over WebSockets (Event Hubs, IoT Hub).
inline constexpr const char* AmqpWebSocketPath = "/$servicebus/websocket";
inline constexpr const char* AmqpWebSocketSubprotocol = "AMQPWSB10";

// The bytes under one AMQP connection: a QTcpSocket, a QSslSocket or a QWebSocket, seen as one
// ordered byte stream. The callbacks come from the owner's thread's event loop.
class AmqpByteStream : public QObject {
public:
    static AmqpByteStream* create(const AmqpEndpoint& endpoint, QObject* parent);

    std::function<void()> onReady; // bytes may move (connected, encrypted, upgraded)
    std::function<void()> onActivity; // bytes arrived or were sent
    std::function<void(QAbstractSocket::SocketError)> onFailed; // the end, whatever it was

    virtual void open() = 0;
    virtual qint64 available() const = 0;
    virtual qint64 read(char* data, qint64 max) = 0;
    virtual qint64 write(const char* data, qint64 size) = 0;
    virtual qint64 unsent() const = 0;
    virtual bool isOpen() const = 0;
    virtual void close() = 0; // after what was written went out
    virtual void abort() = 0; // at once, without another callback
    virtual QString errorString() const = 0;
    virtual QList<QSslCertificate> peerCertificateChain() const = 0;

    // What the stream learned on the way, for explaining a failure.
    QList<QSslError> sslErrors;
    bool tcpConnected = false; // TCP (or the proxy's tunnel) is up; TLS or the upgrade may still fail
    bool proxyWantsCredentials = false; // the proxy asked for credentials (none given, or refused)
    bool ready = false;

protected:
    using QObject::QObject;
};

} // namespace iotc
