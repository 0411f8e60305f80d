#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace iotc::sim {

// MQTT 3.1.1 on the server side, as much as IoT Hub's device endpoint uses: CONNECT, PUBLISH
// (QoS 0 and 1), SUBSCRIBE, PINGREQ and DISCONNECT in; CONNACK, PUBACK, SUBACK and PINGRESP out.
// Bounded: a packet over MaxPacketBytes (IoT Hub's 256 KB message and its topic) is an error.

constexpr int MaxMqttPacketBytes = 262144 + 4096;

enum class MqttType : uint8_t {
    Connect = 1,
    Connack = 2,
    Publish = 3,
    Puback = 4,
    Subscribe = 8,
    Suback = 9,
    Pingreq = 12,
    Pingresp = 13,
    Disconnect = 14,
};

struct MqttPacket {
    uint8_t type = 0; // the fixed header's high nibble
    uint8_t flags = 0; // its low nibble
    QByteArray body; // the variable header and payload
};

// Takes one whole packet off the front of `buffer`: nullopt when more bytes are needed; error set
// (and nullopt) when the bytes cannot be MQTT (a remaining length over the bound or malformed).
std::optional<MqttPacket> takeMqttPacket(QByteArray& buffer, QString& error);

struct MqttConnect {
    QString protocolName; // "MQTT"
    uint8_t level = 0; // 4 for 3.1.1
    bool cleanSession = false;
    uint16_t keepAliveSeconds = 0;
    QString clientId;
    std::optional<QString> userName;
    std::optional<QByteArray> password;
};
std::optional<MqttConnect> parseConnect(const MqttPacket& p, QString& error);

struct MqttPublish {
    QString topic;
    int qos = 0;
    uint16_t packetId = 0; // QoS 1 and 2
    QByteArray payload;
};
std::optional<MqttPublish> parsePublish(const MqttPacket& p, QString& error);

struct MqttSubscribe {
    uint16_t packetId = 0;
    std::vector<std::pair<QString, int>> filters; // topic filter, requested QoS
};
std::optional<MqttSubscribe> parseSubscribe(const MqttPacket& p, QString& error);

QByteArray mqttConnack(bool sessionPresent, uint8_t returnCode);
QByteArray mqttPuback(uint16_t packetId);
QByteArray mqttSuback(uint16_t packetId, const std::vector<uint8_t>& grants);
QByteArray mqttPingresp();

} // namespace iotc::sim
