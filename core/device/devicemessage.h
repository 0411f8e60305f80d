#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QPair>
#include <QString>

#include <optional>

namespace iotc {

// How a device reaches its IoT hub: MQTT 3.1.1 on 8883, MQTT over WebSockets on 443
// (/$iothub/websocket, subprotocol mqtt), AMQP 1.0 on 5671, AMQP over WebSockets on 443 (the same
// path, subprotocol AMQPWSB10). Always over TLS.
enum class DeviceProtocol { Mqtt, MqttWebSocket, Amqp, AmqpWebSocket };

QString deviceProtocolName(DeviceProtocol p); // mqtt, mqtt-ws, amqp, amqp-ws
std::optional<DeviceProtocol> deviceProtocolFromName(const QString& name);
bool overWebSockets(DeviceProtocol p);
QString deviceProtocolText(DeviceProtocol p); // "MQTT (TLS)", "AMQP over WebSockets" ...

// The WebSocket path of IoT Hub's device endpoint, for MQTT and AMQP alike.
inline constexpr const char* IotHubWebSocketPath = "/$iothub/websocket";

// One telemetry message sent to IoT Hub exactly as a device sends it, with the device's own
// identity: a SAS token for {hub}/devices/{deviceId} signed with its key (kept only while sending).
struct DeviceMessage {
    DeviceProtocol protocol = DeviceProtocol::Mqtt;
    QString hubHost;
    int port = 8883;
    QString deviceId;
    QByteArray deviceKeyBase64;
    QString modelId; // announced as IoT Hub expects it per protocol; empty: none
    QString caFile; // trusted besides the system's CAs (a TLS-inspecting proxy's; the simulator's)
    // The network's HTTP proxy (CONNECT): only WebSockets go through it, as the device SDKs do;
    // MQTT on 8883 and AMQP on 5671 are dialled directly.
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    QByteArray body;
    QString contentType = QStringLiteral("application/json");
    QString contentEncoding = QStringLiteral("utf-8");
    QString component; // the component the telemetry belongs to
    QList<QPair<QString, QString>> properties; // application properties
    QString messageId;
    int timeoutMs = 15000;
};

struct DeviceSendResult {
    bool connected = false; // the hub accepted the device's identity
    bool sent = false; // the hub acknowledged the message (PUBACK; AMQP accepted)
    int connackCode = -1; // MQTT 3.1.1 CONNACK return code when the hub refused (1 to 5)
    QString refusalCode; // "connack-5", "cbs-401", "amqp:unauthorized-access" ...: the hub's own refusal
    QString error; // in words, when not sent
    qint64 connectMs = -1;
    qint64 sendMs = -1;
};

// Sends over m.protocol (mqttdevice.h, amqpdevice.h). Blocking: off the GUI thread.
DeviceSendResult sendAsDevice(const DeviceMessage& m);

} // namespace iotc
