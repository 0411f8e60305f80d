#include "mqttwire.h"

namespace iotc::sim {

namespace {

// Reads MQTT's fields in order from a packet's body; any read past the end sets failed.
class Reader {
public:
    explicit Reader(const QByteArray& bytes)
        : m_bytes(bytes)
    {
    }
    bool failed() const { return m_failed; }
    bool atEnd() const { return m_pos >= m_bytes.size(); }
    int remaining() const { return static_cast<int>(m_bytes.size() - m_pos); }

    uint8_t byte()
    {
        if (m_pos + 1 > m_bytes.size())
            return fail(), 0;
        return static_cast<uint8_t>(m_bytes[m_pos++]);
    }
    uint16_t u16()
    {
        const uint16_t hi = byte();
        const uint16_t lo = byte();
        return static_cast<uint16_t>(hi << 8 | lo);
    }
    QByteArray binary()
    {
        const int n = u16();
        if (m_failed || m_pos + n > m_bytes.size())
            return fail(), QByteArray();
        const QByteArray out = m_bytes.mid(m_pos, n);
        m_pos += n;
        return out;
    }
    QString string() { return QString::fromUtf8(binary()); }
    QByteArray rest()
    {
        const QByteArray out = m_bytes.mid(m_pos);
        m_pos = m_bytes.size();
        return out;
    }

private:
    void fail() { m_failed = true; }
    const QByteArray& m_bytes;
    qsizetype m_pos = 0;
    bool m_failed = false;
};

QByteArray packet(uint8_t typeAndFlags, const QByteArray& body)
{
    QByteArray out;
    out.append(static_cast<char>(typeAndFlags));
    int n = static_cast<int>(body.size());
    do {
        uint8_t digit = n % 128;
        n /= 128;
        if (n > 0)
            digit |= 0x80;
        out.append(static_cast<char>(digit));
    } while (n > 0);
    return out + body;
}

QByteArray u16Bytes(uint16_t v)
{
    QByteArray out;
    out.append(static_cast<char>(v >> 8));
    out.append(static_cast<char>(v & 0xff));
    return out;
}

} // namespace

std::optional<MqttPacket> takeMqttPacket(QByteArray& buffer, QString& error)
{
    if (buffer.size() < 2)
        return std::nullopt;
    int length = 0;
    int multiplier = 1;
    qsizetype pos = 1;
    for (;;) {
        if (pos >= buffer.size())
            return std::nullopt;
        if (pos > 4) {
            error = QStringLiteral("a remaining length of more than four bytes");
            return std::nullopt;
        }
        const auto digit = static_cast<uint8_t>(buffer[pos++]);
        length += (digit & 0x7f) * multiplier;
        multiplier *= 128;
        if (!(digit & 0x80))
            break;
    }
    if (length > MaxMqttPacketBytes) {
        error = QStringLiteral("a packet of %1 bytes (the bound is %2)").arg(length).arg(MaxMqttPacketBytes);
        return std::nullopt;
    }
    if (buffer.size() - pos < length)
        return std::nullopt;
    MqttPacket p;
    p.type = static_cast<uint8_t>(buffer[0]) >> 4;
    p.flags = static_cast<uint8_t>(buffer[0]) & 0x0f;
    p.body = buffer.mid(pos, length);
    buffer.remove(0, pos + length);
    return p;
}

std::optional<MqttConnect> parseConnect(const MqttPacket& p, QString& error)
{
    Reader r(p.body);
    MqttConnect c;
    c.protocolName = r.string();
    c.level = r.byte();
    const uint8_t flags = r.byte();
    c.keepAliveSeconds = r.u16();
    c.cleanSession = flags & 0x02;
    c.clientId = r.string();
    if (flags & 0x04) { // will: topic and message (IoT Hub ignores them; read past them)
        r.binary();
        r.binary();
    }
    if (flags & 0x80)
        c.userName = r.string();
    if (flags & 0x40)
        c.password = r.binary();
    if (r.failed() || (flags & 0x01)) {
        error = QStringLiteral("a malformed CONNECT");
        return std::nullopt;
    }
    return c;
}

std::optional<MqttPublish> parsePublish(const MqttPacket& p, QString& error)
{
    Reader r(p.body);
    MqttPublish m;
    m.qos = (p.flags >> 1) & 0x03;
    m.topic = r.string();
    if (m.qos > 0)
        m.packetId = r.u16();
    m.payload = r.rest();
    if (r.failed() || m.qos == 3 || m.topic.isEmpty()) {
        error = QStringLiteral("a malformed PUBLISH");
        return std::nullopt;
    }
    return m;
}

std::optional<MqttSubscribe> parseSubscribe(const MqttPacket& p, QString& error)
{
    Reader r(p.body);
    MqttSubscribe s;
    s.packetId = r.u16();
    while (!r.failed() && !r.atEnd() && s.filters.size() < 64) {
        const QString filter = r.string();
        const int qos = r.byte();
        s.filters.emplace_back(filter, qos);
    }
    if (r.failed() || s.filters.empty()) {
        error = QStringLiteral("a malformed SUBSCRIBE");
        return std::nullopt;
    }
    return s;
}

QByteArray mqttConnack(bool sessionPresent, uint8_t returnCode)
{
    QByteArray body;
    body.append(static_cast<char>(sessionPresent ? 1 : 0));
    body.append(static_cast<char>(returnCode));
    return packet(0x20, body);
}

QByteArray mqttPuback(uint16_t packetId)
{
    return packet(0x40, u16Bytes(packetId));
}

QByteArray mqttSuback(uint16_t packetId, const std::vector<uint8_t>& grants)
{
    QByteArray body = u16Bytes(packetId);
    for (uint8_t g : grants)
        body.append(static_cast<char>(g));
    return packet(0x90, body);
}

QByteArray mqttPingresp()
{
    return packet(0xd0, {});
}

} // namespace iotc::sim
