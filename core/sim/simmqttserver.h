#pragma once

#include "eventstore.h"
#include "mqttwire.h"
#include "simtls.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

class QSslServer;
class QWebSocket;
class QWebSocketServer;

namespace iotc::sim {

class SimState;

// IoT Hub's device endpoint for MQTT 3.1.1 over TLS, on loopback: the counterpart of the probe's
// client (Paho), not the product. CONNECT is checked as IoT Hub checks it: client id = device id,
// user name {hub}/{deviceId}/?api-version=..., password a SAS token for {hub}/devices/{deviceId}
// signed with the device's key (CONNACK 4 for a malformed user name, 5 for a refused token or a
// disabled device, 3 when told to be unavailable). Telemetry published to
// devices/{deviceId}/messages/events/{property bag} enters the hub's event store with IoT Hub's
// annotations ($.ct and $.ce become the content type and encoding, the rest application
// properties, the model id of the user name dt-dataschema); QoS 1 is acknowledged. One
// connection per device: a second one with the same id closes the first, as IoT Hub does.
// MQTT over WebSockets too, as on IoT Hub's 443: wss://HOST:P/$iothub/websocket, subprotocol mqtt,
// the MQTT bytes in binary frames; the same path with the subprotocol AMQPWSB10 is AMQP, handed on.
class SimMqttServer : public QObject {
    Q_OBJECT
public:
    SimMqttServer(std::shared_ptr<SimState> state, std::shared_ptr<EventStore> store, QString hubHost,
        const SimTlsMaterial& tls, QObject* parent = nullptr);
    ~SimMqttServer() override;

    static inline const QString WebSocketPath = QStringLiteral("/$iothub/websocket");

    // Listens on loopback (0: any free port): MQTT over TLS and MQTT over WebSockets (TLS);
    // throws std::runtime_error when it cannot.
    void listen(quint16 port, quint16 webSocketPort = 0);
    quint16 port() const;
    quint16 webSocketPort() const;

    // AMQP over WebSockets on the same port (subprotocol AMQPWSB10), as IoT Hub's 443 serves both
    // protocols: an accepted client is handed to this (unset: refused).
    std::function<void(QWebSocket*)> amqpOverWebSocket;
    // Told when a device's CONNECT is accepted (its connections over other protocols end).
    std::function<void(const QString& deviceId)> deviceConnected;
    // One connection per device identity: drops the device's MQTT connection, if any.
    void disconnectDevice(const QString& deviceId);

    std::atomic<bool> unavailable { false }; // CONNACK 3 to every CONNECT
    std::atomic<int> connectsAccepted { 0 };
    std::atomic<int> messagesReceived { 0 };

private:
    struct Client;
    void accept();
    void acceptWebSocket();
    void received(const std::shared_ptr<Client>& client, const QByteArray& bytes);
    void handle(Client& client, const MqttPacket& packet);
    void forget(QObject* connection);
    uint8_t authorize(const MqttConnect& connect, QString& modelId) const;

    std::shared_ptr<SimState> m_state;
    std::shared_ptr<EventStore> m_store;
    QString m_hubHost;
    QSslServer* m_server;
    QWebSocketServer* m_webSocket;
    QHash<QObject*, std::shared_ptr<Client>> m_clients; // by their socket
    QHash<QString, std::weak_ptr<Client>> m_byDevice;
};

} // namespace iotc::sim
