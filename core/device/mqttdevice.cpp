#include "mqttdevice.h"

#include "net/tcpreach.h"
#include "util/sas.h"

#include <QElapsedTimer>
#include <QUrl>

#include <mqtt/async_client.h>

#include <algorithm>
#include <chrono>

namespace iotc {

namespace {

constexpr const char* ApiVersion = "2021-04-12";
// Where Debian's ca-certificates puts the system's trust anchors, hashed for OpenSSL.
constexpr const char* SystemCaPath = "/etc/ssl/certs";

QString bagPart(const QString& key, const QString& value)
{
    return sasUrlEncode(key) + QLatin1Char('=') + sasUrlEncode(value);
}

} // namespace

QString mqttPropertyBag(const DeviceMessage& m)
{
    QStringList parts;
    if (!m.contentType.isEmpty())
        parts << QStringLiteral("$.ct=") + sasUrlEncode(m.contentType);
    if (!m.contentEncoding.isEmpty())
        parts << QStringLiteral("$.ce=") + sasUrlEncode(m.contentEncoding);
    if (!m.component.isEmpty())
        parts << QStringLiteral("$.sub=") + sasUrlEncode(m.component);
    for (const auto& [key, value] : m.properties)
        parts << bagPart(key, value);
    return parts.join(QLatin1Char('&'));
}

QString mqttUserName(const DeviceMessage& m)
{
    QString user
        = m.hubHost + QLatin1Char('/') + m.deviceId + QStringLiteral("/?api-version=") + QLatin1String(ApiVersion);
    if (!m.modelId.isEmpty())
        user += QStringLiteral("&model-id=") + sasUrlEncode(m.modelId);
    return user;
}

QString connackText(int code)
{
    switch (code) {
    case 1:
        return QStringLiteral("the hub refused the MQTT protocol version (CONNACK 1): IoT Hub speaks MQTT 3.1.1");
    case 2:
        return QStringLiteral("the hub refused the client id (CONNACK 2): it must be the device id");
    case 3:
        return QStringLiteral("the hub is unavailable (CONNACK 3): IoT Hub is busy or the hub is being moved; retry "
                              "later");
    case 4:
        return QStringLiteral("the hub refused the user name or password (CONNACK 4): the user name must be "
                              "{hub}/{deviceId}/?api-version=… and the password a SAS token");
    case 5:
        return QStringLiteral("the hub did not authorize the device (CONNACK 5): the SAS token is not signed with "
                              "the device's key, has expired (check the clock), or the device is disabled or "
                              "blocked");
    default:
        return QStringLiteral("the hub refused the connection (CONNACK %1)").arg(code);
    }
}

DeviceSendResult sendAsDeviceOverMqtt(const DeviceMessage& m)
{
    DeviceSendResult result;
    const bool webSocket = m.protocol == DeviceProtocol::MqttWebSocket;
    const auto timeout = std::chrono::milliseconds(m.timeoutMs);
    const std::string uri = (webSocket ? "wss://" : "ssl://") + m.hubHost.toStdString() + ":" + std::to_string(m.port)
        + (webSocket ? IotHubWebSocketPath : "");
    const QString resource = m.hubHost + QStringLiteral("/devices/") + m.deviceId;
    const QString password
        = makeSasToken(resource, m.deviceKeyBase64, SasKeyKind::Base64Decoded, secondsFromNow(std::chrono::hours(1)));
    try {
        mqtt::async_client client(uri, m.deviceId.toStdString(), mqtt::create_options(MQTTVERSION_3_1_1));
        mqtt::ssl_options tls;
        tls.set_enable_server_cert_auth(true);
        tls.set_verify(true); // the host name too
        tls.ca_path(SystemCaPath);
        if (!m.caFile.isEmpty())
            tls.set_trust_store(m.caFile.toStdString());
        std::string tlsError;
        tls.set_error_handler([&tlsError](const std::string& text) {
            if (tlsError.size() < 400)
                tlsError += text;
        });
        mqtt::connect_options options;
        options.set_mqtt_version(MQTTVERSION_3_1_1);
        options.set_clean_session(true);
        options.set_keep_alive_interval(std::chrono::seconds(60));
        options.set_connect_timeout(
            std::chrono::duration_cast<std::chrono::seconds>(timeout) + std::chrono::seconds(1));
        options.set_automatic_reconnect(false);
        options.set_user_name(mqttUserName(m).toStdString());
        options.set_password(password.toStdString());
        options.set_ssl(tls);
        if (webSocket && m.proxy.type() == QNetworkProxy::HttpProxy) {
            // Paho takes the proxy for wss:// as https_proxy and strips an "https://" prefix only: the
            // proxy itself is still reached over plain TCP, with CONNECT.
            QUrl authority;
            authority.setScheme(QStringLiteral("http"));
            authority.setHost(m.proxy.hostName());
            authority.setPort(m.proxy.port());
            authority.setUserName(m.proxy.user());
            authority.setPassword(m.proxy.password());
            const std::string hostPort = authority.toString(QUrl::FullyEncoded).mid(7).toStdString(); // "http://" off
            options.set_http_proxy("http://" + hostPort);
            options.set_https_proxy("https://" + hostPort);
        }

        // Paho says "TCP/TLS connect failure" (or nothing, until its timeout) for a refusal, silence and
        // TLS alike: a plain TCP attempt on the device's route tells which. Paho goes through a proxy
        // for wss:// only; 8883 is dialled directly, and so is this attempt.
        const bool direct = !(webSocket && m.proxy.type() == QNetworkProxy::HttpProxy);
        auto tcpProblem = [&m, direct]() -> QString {
            if (!direct)
                return {};
            const TcpReach reach = reachTcp(m.hubHost, static_cast<quint16>(m.port), std::min(m.timeoutMs, 3000));
            return reach.outcome == TcpReach::Outcome::Connected ? QString() : reach.text;
        };
        const QString over = webSocket ? QStringLiteral("MQTT over WebSockets") : QStringLiteral("MQTT (TLS)");
        QElapsedTimer clock;
        clock.start();
        try {
            auto token = client.connect(options);
            if (!token->wait_for(timeout)) {
                const QString tcp = tcpProblem();
                result.error = tcp.isEmpty() ? QStringLiteral("no CONNACK from %1:%2 within %3 s")
                                                   .arg(m.hubHost)
                                                   .arg(m.port)
                                                   .arg(m.timeoutMs / 1000.0)
                                             : QStringLiteral("could not connect to %1:%2 over %3: %4")
                                                   .arg(m.hubHost)
                                                   .arg(m.port)
                                                   .arg(over, tcp);
                return result;
            }
        } catch (const mqtt::exception& e) {
            const int rc = e.get_return_code();
            if (rc >= 1 && rc <= 5) {
                result.connackCode = rc;
                result.refusalCode = QStringLiteral("connack-%1").arg(rc);
                result.error = connackText(rc);
            } else {
                QString why
                    = QString::fromStdString(tlsError.empty() ? e.to_string() : tlsError).simplified().left(400);
                if (tlsError.empty()) {
                    if (const QString tcp = tcpProblem(); !tcp.isEmpty())
                        why = tcp;
                }
                result.error = QStringLiteral("could not connect to %1:%2 over %3: %4")
                                   .arg(m.hubHost)
                                   .arg(m.port)
                                   .arg(over, why);
            }
            return result;
        }
        result.connected = true;
        result.connectMs = clock.elapsed();

        clock.restart();
        const std::string topic
            = "devices/" + m.deviceId.toStdString() + "/messages/events/" + mqttPropertyBag(m).toStdString();
        auto message = mqtt::make_message(topic, m.body.constData(), static_cast<size_t>(m.body.size()), 1, false);
        try {
            auto token = client.publish(message);
            if (!token->wait_for(timeout))
                result.error = QStringLiteral("no PUBACK within %1 s: the hub did not take the message")
                                   .arg(m.timeoutMs / 1000.0);
            else {
                result.sent = true;
                result.sendMs = clock.elapsed();
            }
        } catch (const mqtt::exception& e) {
            result.error = QStringLiteral("the hub did not take the message: %1")
                               .arg(QString::fromStdString(e.to_string()).simplified().left(400));
        }
        try {
            client.disconnect()->wait_for(std::chrono::seconds(5));
        } catch (const mqtt::exception&) {
            // (already gone: nothing to release)
        }
    } catch (const std::exception& e) {
        result.error = QStringLiteral("the MQTT client could not start: %1").arg(QString::fromUtf8(e.what()).left(400));
    }
    return result;
}

} // namespace iotc
