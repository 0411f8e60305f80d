#include "scenarionetwork.h"

#include <QJsonValue>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace iotc::sim {

namespace {

constexpr int MaxClockOffsetSeconds = 366 * 24 * 3600;

PortBlock blockFrom(const QJsonObject& network, const QString& port)
{
    const QJsonValue v = network.value(port);
    if (v.isUndefined() || v.isNull())
        return PortBlock::Open;
    const QString text = v.toString();
    if (text == QLatin1String("open"))
        return PortBlock::Open;
    if (text == QLatin1String("refuse"))
        return PortBlock::Refuse;
    if (text == QLatin1String("black-hole"))
        return PortBlock::BlackHole;
    throw std::runtime_error(
        "scenario catalogue: network." + port.toStdString() + " must be \"open\", \"refuse\" or \"black-hole\"");
}

} // namespace

QString portBlockName(PortBlock block)
{
    switch (block) {
    case PortBlock::Open:
        return QStringLiteral("open");
    case PortBlock::Refuse:
        return QStringLiteral("refuse");
    case PortBlock::BlackHole:
        return QStringLiteral("black-hole");
    }
    return {};
}

bool ScenarioNetwork::blocksAPort() const
{
    return mqtt != PortBlock::Open || amqp != PortBlock::Open || websocket != PortBlock::Open;
}

bool ScenarioNetwork::acted() const
{
    return blocksAPort() || clockOffsetSeconds != 0;
}

QStringList ScenarioNetwork::describe(quint16 mqttPort, quint16 amqpPort, quint16 websocketPort) const
{
    QStringList lines;
    auto port = [&lines](const char* what, PortBlock block, quint16 number) {
        if (block == PortBlock::Refuse)
            lines << QStringLiteral("%1 (port %2) refuses connections").arg(QLatin1String(what)).arg(number);
        else if (block == PortBlock::BlackHole)
            lines << QStringLiteral("%1 (port %2) never answers a connection attempt")
                         .arg(QLatin1String(what))
                         .arg(number);
    };
    port("the device MQTT port", mqtt, mqttPort);
    port("the device AMQP port", amqp, amqpPort);
    port("the device WebSocket port", websocket, websocketPort);
    if (clockOffsetSeconds != 0)
        lines << QStringLiteral("the Date header is %1 s %2 the real time")
                     .arg(std::abs(clockOffsetSeconds))
                     .arg(clockOffsetSeconds < 0 ? QStringLiteral("behind") : QStringLiteral("ahead of"));
    return lines;
}

ScenarioNetwork ScenarioNetwork::fromJson(const QJsonObject& network)
{
    static const QStringList known { QStringLiteral("mqtt"), QStringLiteral("amqp"), QStringLiteral("websocket"),
        QStringLiteral("clockOffsetSeconds") };
    for (const auto& key : network.keys()) {
        if (!known.contains(key))
            throw std::runtime_error("scenario catalogue: network." + key.toStdString()
                + " is not known (mqtt, amqp, websocket, clockOffsetSeconds)");
    }
    ScenarioNetwork n;
    n.mqtt = blockFrom(network, QStringLiteral("mqtt"));
    n.amqp = blockFrom(network, QStringLiteral("amqp"));
    n.websocket = blockFrom(network, QStringLiteral("websocket"));
    const QJsonValue offset = network.value(QStringLiteral("clockOffsetSeconds"));
    if (!offset.isUndefined()) {
        const double seconds = offset.toDouble(MaxClockOffsetSeconds + 1.0);
        if (!offset.isDouble() || std::abs(seconds) > MaxClockOffsetSeconds || seconds != std::trunc(seconds))
            throw std::runtime_error("scenario catalogue: network.clockOffsetSeconds must be a whole number of "
                                     "seconds within a year");
        n.clockOffsetSeconds = static_cast<int>(seconds);
    }
    return n;
}

} // namespace iotc::sim
