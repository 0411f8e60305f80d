#pragma once

#include <QByteArray>

namespace iotc::test {

// MQTT's CONNECT as a device sends it (3.1.1, clean session, user name and password).
inline QByteArray mqttConnectPacket(const QByteArray& clientId, const QByteArray& user, const QByteArray& password)
{
    auto field = [](const QByteArray& b) {
        QByteArray out;
        out.append(static_cast<char>(b.size() >> 8));
        out.append(static_cast<char>(b.size() & 0xff));
        return out + b;
    };
    QByteArray body = field("MQTT");
    body.append(char(4));
    body.append(char(0xC2)); // user name, password, clean session
    body.append(char(0));
    body.append(char(60));
    body += field(clientId) + field(user) + field(password);
    QByteArray packet(1, char(0x10));
    for (int n = static_cast<int>(body.size());;) { // the remaining length, 7 bits a byte
        char digit = static_cast<char>(n % 128);
        n /= 128;
        packet.append(static_cast<char>(n > 0 ? digit | 0x80 : digit));
        if (n == 0)
            break;
    }
    return packet + body;
}

} // namespace iotc::test
