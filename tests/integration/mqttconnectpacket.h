#pragma once

#include "net/networksettings.h"
#include "util/sas.h"

#include <QByteArray>
#include <QSslConfiguration>
#include <QSslSocket>

#include <chrono>

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

// Connects socket to the simulated hub (localhost:port, TLS trusting ca) as the device over MQTT,
// the way IoT Hub's devices do; what the hub answered (CONNACK 0 is 20 02 00 00), or why not.
inline QByteArray connectRawMqttDevice(
    QSslSocket& socket, quint16 port, const QList<QSslCertificate>& ca, const QString& id, const QByteArray& key)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(iotc::trustAnchors(ca));
    socket.setSslConfiguration(tls);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), port);
    if (!socket.waitForEncrypted(10000))
        return "no TLS: " + socket.errorString().toUtf8();
    const QString token = iotc::makeSasToken(QStringLiteral("localhost/devices/") + id, key,
        iotc::SasKeyKind::Base64Decoded, iotc::secondsFromNow(std::chrono::minutes(10)));
    socket.write(mqttConnectPacket(
        id.toUtf8(), QStringLiteral("localhost/%1/?api-version=2021-04-12").arg(id).toUtf8(), token.toUtf8()));
    if (!socket.waitForReadyRead(10000))
        return "no CONNACK";
    return socket.readAll();
}

} // namespace iotc::test
