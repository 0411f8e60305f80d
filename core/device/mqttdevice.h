#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace iotc {

// One telemetry message sent to IoT Hub over MQTT exactly as a device sends it, with Eclipse Paho
// (MQTT 3.1.1 over TLS, or over WebSockets on TLS): client id = device id, user name
// {hub}/{deviceId}/?api-version=2021-04-12
// (&model-id= when the device has one), password = a SAS token for {hub}/devices/{deviceId} signed
// with the device's key, QoS 1 to devices/{deviceId}/messages/events/{property bag}. Blocking
// (Paho's own threads do the I/O): call it off the GUI thread. The key is not kept.
struct MqttDeviceMessage {
    QString hubHost;
    int port = 8883;
    // MQTT over WebSockets (TLS), as devices behind port-443-only networks connect:
    // wss://{hub}:{port}/$iothub/websocket, subprotocol mqtt.
    bool webSocket = false;
    QString deviceId;
    QByteArray deviceKeyBase64;
    QString modelId;
    QString caFile; // trusted besides the system's CAs (a TLS-inspecting proxy's; the simulator's)
    // An HTTP proxy (http://[user:password@]host:port) for MQTT over WebSockets, which tunnels
    // through it with CONNECT; MQTT on 8883 cannot use one. Empty: direct.
    QString webSocketProxy;
    QByteArray body;
    QString contentType = QStringLiteral("application/json");
    QString contentEncoding = QStringLiteral("utf-8");
    QString component; // $.sub, for a component's telemetry
    QList<QPair<QString, QString>> properties; // application properties
    int timeoutMs = 15000;
};

struct MqttDeviceResult {
    bool connected = false;
    bool sent = false; // PUBACK received
    int connackCode = -1; // MQTT 3.1.1 CONNACK return code when the hub refused (1 to 5)
    QString error; // in words, when not sent
    qint64 connectMs = -1;
    qint64 sendMs = -1;
};

// The topic's property bag: "$.ct=application%2Fjson&$.ce=utf-8&iotc-probe=…", each part encoded.
QString mqttPropertyBag(const MqttDeviceMessage& m);
// The user name IoT Hub expects.
QString mqttUserName(const MqttDeviceMessage& m);
// What a CONNACK refusal means, in words a technician can act on.
QString connackText(int code);

MqttDeviceResult sendAsDeviceOverMqtt(const MqttDeviceMessage& m);

} // namespace iotc
