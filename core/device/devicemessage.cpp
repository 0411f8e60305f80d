#include "devicemessage.h"

#include "amqpdevice.h"
#include "mqttdevice.h"

namespace iotc {

QString deviceProtocolName(DeviceProtocol p)
{
    switch (p) {
    case DeviceProtocol::Mqtt:
        return QStringLiteral("mqtt");
    case DeviceProtocol::MqttWebSocket:
        return QStringLiteral("mqtt-ws");
    case DeviceProtocol::Amqp:
        return QStringLiteral("amqp");
    case DeviceProtocol::AmqpWebSocket:
        return QStringLiteral("amqp-ws");
    }
    return {};
}

std::optional<DeviceProtocol> deviceProtocolFromName(const QString& name)
{
    for (auto p :
        { DeviceProtocol::Mqtt, DeviceProtocol::MqttWebSocket, DeviceProtocol::Amqp, DeviceProtocol::AmqpWebSocket }) {
        if (deviceProtocolName(p) == name)
            return p;
    }
    return std::nullopt;
}

bool overWebSockets(DeviceProtocol p)
{
    return p == DeviceProtocol::MqttWebSocket || p == DeviceProtocol::AmqpWebSocket;
}

QString deviceProtocolText(DeviceProtocol p)
{
    switch (p) {
    case DeviceProtocol::Mqtt:
        return QStringLiteral("MQTT (TLS)");
    case DeviceProtocol::MqttWebSocket:
        return QStringLiteral("MQTT over WebSockets");
    case DeviceProtocol::Amqp:
        return QStringLiteral("AMQP (TLS)");
    case DeviceProtocol::AmqpWebSocket:
        return QStringLiteral("AMQP over WebSockets");
    }
    return {};
}

DeviceSendResult sendAsDevice(const DeviceMessage& m)
{
    if (m.protocol == DeviceProtocol::Amqp || m.protocol == DeviceProtocol::AmqpWebSocket)
        return sendAsDeviceOverAmqp(m);
    return sendAsDeviceOverMqtt(m);
}

} // namespace iotc
