#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace iotc::sim {

// How the device's network treats one of the hub's device ports.
enum class PortBlock {
    Open,
    Refuse, // a firewall that rejects: the connection is refused at once
    BlackHole, // a firewall that drops: the connection attempt never gets an answer
};

// The network a scenario acts out between the devices and the simulated IoT hub, and the
// simulator's clock as its HTTPS Date header shows it. The scenario file's "network" object:
//   {"mqtt": "open|refuse|black-hole", "amqp": ..., "websocket": ..., "clockOffsetSeconds": -600}
// mqtt is the device MQTT port (8883), amqp the device AMQP port (5671), websocket the device
// WebSocket port (443: MQTT and AMQP over WebSockets). The cloud side (REST, DPS, the event stream)
// stays reachable: it is not on the device's network.
struct ScenarioNetwork {
    PortBlock mqtt = PortBlock::Open;
    PortBlock amqp = PortBlock::Open;
    PortBlock websocket = PortBlock::Open;
    int clockOffsetSeconds = 0; // the Date header this far from the real time

    bool acted() const;
    bool blocksAPort() const;
    // One line per fault for the simulator's banner ("MQTT (port 41234) refuses connections").
    QStringList describe(quint16 mqttPort, quint16 amqpPort, quint16 websocketPort) const;

    // Throws std::runtime_error naming the field when the object is unusable.
    static ScenarioNetwork fromJson(const QJsonObject& network);
};

QString portBlockName(PortBlock block);

} // namespace iotc::sim
