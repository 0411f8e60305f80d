#include "simmqttserver.h"

#include "devicetoken.h"
#include "mqttwire.h"
#include "simstate.h"
#include "simtlsfronts.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslServer>
#include <QSslSocket>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <stdexcept>

namespace iotc::sim {

namespace {

constexpr uint8_t Accepted = 0;
constexpr uint8_t UnacceptableProtocol = 1;
constexpr uint8_t ServerUnavailable = 3;
constexpr uint8_t BadUserNameOrPassword = 4;
constexpr uint8_t NotAuthorized = 5;

// "$.ct=application%2Fjson&$.ce=utf-8&iotc-probe=..." -> (key, value) pairs, percent-decoded.
std::vector<std::pair<QString, QString>> propertyBag(const QString& bag)
{
    std::vector<std::pair<QString, QString>> out;
    for (const auto& part : bag.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString key = QUrl::fromPercentEncoding(part.left(eq < 0 ? part.size() : eq).toUtf8());
        const QString value = eq < 0 ? QString() : QUrl::fromPercentEncoding(part.mid(eq + 1).toUtf8());
        if (out.size() < 64)
            out.emplace_back(key, value);
    }
    return out;
}

} // namespace

struct SimMqttServer::Client {
    QByteArray buffer;
    bool connected = false;
    bool gone = false; // closed or aborted: nothing more is read
    QString deviceId;
    QString modelId;
    std::function<void(const QByteArray&)> send;
    std::function<void()> close; // after the answer is out
    std::function<void()> abort; // at once
    std::weak_ptr<Client> self;
};

SimMqttServer::SimMqttServer(std::shared_ptr<SimState> state, std::shared_ptr<EventStore> store, QString hubHost,
    const SimTlsMaterial& tls, QObject* parent)
    : QObject(parent)
    , m_state(std::move(state))
    , m_store(std::move(store))
    , m_hubHost(std::move(hubHost))
    , m_server(new QSslServer(this))
    , m_webSocket(new QWebSocketServer(QStringLiteral("iotc-diag sim IoT hub"), QWebSocketServer::SecureMode, this))
{
    m_server->setSslConfiguration(simServerTls(tls));
    connect(m_server, &QSslServer::pendingConnectionAvailable, this, &SimMqttServer::accept);
    m_webSocket->setSslConfiguration(simServerTls(tls));
    m_webSocket->setSupportedSubprotocols({ QStringLiteral("mqtt"), SimTlsFronts::WebSocketSubprotocol });
    connect(m_webSocket, &QWebSocketServer::newConnection, this, &SimMqttServer::acceptWebSocket);
}

SimMqttServer::~SimMqttServer() = default;

void SimMqttServer::listen(quint16 port, quint16 webSocketPort)
{
    if (!m_server->listen(QHostAddress::LocalHost, port))
        throw std::runtime_error("the simulated IoT hub cannot listen for MQTT on port " + std::to_string(port) + ": "
            + m_server->errorString().toStdString());
    if (!m_webSocket->listen(QHostAddress::LocalHost, webSocketPort))
        throw std::runtime_error("the simulated IoT hub cannot listen for MQTT over WebSockets on port "
            + std::to_string(webSocketPort) + ": " + m_webSocket->errorString().toStdString());
}

quint16 SimMqttServer::port() const
{
    return m_server->serverPort();
}

quint16 SimMqttServer::webSocketPort() const
{
    return m_webSocket->serverPort();
}

void SimMqttServer::accept()
{
    while (m_server->hasPendingConnections()) {
        auto* socket = qobject_cast<QSslSocket*>(m_server->nextPendingConnection());
        if (!socket)
            continue;
        auto client = std::make_shared<Client>();
        client->self = client;
        client->send = [socket](const QByteArray& bytes) { socket->write(bytes); };
        client->close = [socket] { socket->disconnectFromHost(); };
        client->abort = [socket] { socket->abort(); };
        m_clients.insert(socket, client);
        connect(socket, &QSslSocket::readyRead, this, [this, socket, client] { received(client, socket->readAll()); });
        connect(socket, &QSslSocket::disconnected, this, [this, socket] {
            forget(socket);
            socket->deleteLater();
        });
    }
}

void SimMqttServer::acceptWebSocket()
{
    while (QWebSocket* socket = m_webSocket->nextPendingConnection()) {
        socket->setParent(this);
        if (socket->requestUrl().path() == WebSocketPath && socket->subprotocol() == SimTlsFronts::WebSocketSubprotocol
            && amqpOverWebSocket) {
            amqpOverWebSocket(socket);
            continue;
        }
        if (socket->requestUrl().path() != WebSocketPath || socket->subprotocol() != QLatin1String("mqtt")) {
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                QStringLiteral("MQTT over WebSockets is served at ") + WebSocketPath
                    + QStringLiteral(" with the subprotocol mqtt or AMQPWSB10"));
            continue;
        }
        auto client = std::make_shared<Client>();
        client->self = client;
        client->send = [socket](const QByteArray& bytes) { socket->sendBinaryMessage(bytes); };
        client->close = [socket] { socket->close(); };
        client->abort = [socket] { socket->abort(); };
        m_clients.insert(socket, client);
        connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, client](const QByteArray& bytes) { received(client, bytes); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            forget(socket);
            socket->deleteLater();
        });
    }
}

void SimMqttServer::disconnectDevice(const QString& deviceId)
{
    if (auto client = m_byDevice.value(deviceId).lock()) {
        client->gone = true;
        client->close();
        m_byDevice.remove(deviceId);
    }
}

void SimMqttServer::forget(QObject* connection)
{
    const auto client = m_clients.take(connection);
    if (!client)
        return;
    client->gone = true;
    if (const auto current = m_byDevice.value(client->deviceId).lock(); current == client)
        m_byDevice.remove(client->deviceId);
}

void SimMqttServer::received(const std::shared_ptr<Client>& client, const QByteArray& bytes)
{
    if (client->gone)
        return;
    client->buffer += bytes;
    for (;;) {
        QString error;
        auto packet = takeMqttPacket(client->buffer, error);
        if (!error.isEmpty()) {
            client->gone = true;
            client->abort(); // not MQTT, or over the bound: IoT Hub closes the connection
            return;
        }
        if (!packet)
            return;
        handle(*client, *packet);
        if (client->gone)
            return;
    }
}

uint8_t SimMqttServer::authorize(const MqttConnect& c, QString& modelId) const
{
    if (unavailable)
        return ServerUnavailable;
    if (!c.userName || !c.password)
        return BadUserNameOrPassword;
    // {hub}/{deviceId}/?api-version=2021-04-12[&model-id=...]
    const QString expected = m_hubHost + QLatin1Char('/') + c.clientId + QStringLiteral("/?");
    if (!c.userName->startsWith(expected, Qt::CaseInsensitive))
        return BadUserNameOrPassword;
    const QUrlQuery query(c.userName->mid(expected.size()));
    if (!query.hasQueryItem(QStringLiteral("api-version")))
        return BadUserNameOrPassword;
    modelId = query.queryItemValue(QStringLiteral("model-id"), QUrl::FullyDecoded);
    if (checkDeviceToken(*m_state, m_hubHost, c.clientId, QString::fromUtf8(*c.password))
        != DeviceTokenVerdict::Accepted)
        return NotAuthorized;
    return Accepted;
}

void SimMqttServer::handle(Client& client, const MqttPacket& packet)
{
    QString error;
    if (!client.connected) {
        const auto c = packet.type == uint8_t(MqttType::Connect) ? parseConnect(packet, error) : std::nullopt;
        if (!c) {
            client.gone = true;
            client.abort();
            return;
        }
        const uint8_t code = c->level != 4 ? UnacceptableProtocol : authorize(*c, client.modelId);
        client.send(mqttConnack(false, code));
        if (code != Accepted) {
            client.gone = true;
            client.close();
            return;
        }
        client.connected = true;
        client.deviceId = c->clientId;
        ++connectsAccepted;
        // One connection per device identity: the newer one wins.
        if (auto older = m_byDevice.value(c->clientId).lock(); older && older.get() != &client) {
            older->gone = true;
            older->close();
        }
        m_byDevice.insert(c->clientId, client.self);
        if (deviceConnected)
            deviceConnected(c->clientId);
        return;
    }
    switch (static_cast<MqttType>(packet.type)) {
    case MqttType::Publish: {
        const auto p = parsePublish(packet, error);
        const QString prefix = QStringLiteral("devices/") + client.deviceId + QStringLiteral("/messages/events/");
        if (!p || !p->topic.startsWith(prefix) || p->qos > 1) {
            client.gone = true;
            client.abort(); // IoT Hub disconnects a device that publishes elsewhere
            return;
        }
        StoredEvent e;
        e.deviceId = client.deviceId;
        e.modelId = client.modelId;
        e.authMethod
            = QStringLiteral(R"({"scope":"device","type":"sas","issuer":"iothub","acceptingIpFilterRule":null})");
        for (auto& [key, value] : propertyBag(p->topic.mid(prefix.size()))) {
            if (key == QLatin1String("$.ct"))
                e.contentType = value;
            else if (key == QLatin1String("$.ce"))
                e.contentEncoding = value;
            else if (key == QLatin1String("$.sub"))
                e.component = value;
            else if (!key.startsWith(QLatin1String("$.")))
                e.applicationProperties.emplace_back(key, value);
        }
        e.body = p->payload;
        m_store->append(std::move(e));
        ++messagesReceived;
        if (p->qos == 1)
            client.send(mqttPuback(p->packetId));
        return;
    }
    case MqttType::Subscribe: {
        const auto s = parseSubscribe(packet, error);
        if (!s) {
            client.gone = true;
            client.abort();
            return;
        }
        std::vector<uint8_t> grants;
        for (const auto& [filter, qos] : s->filters) {
            const bool ours = filter.startsWith(QStringLiteral("devices/") + client.deviceId + QLatin1Char('/'))
                || filter.startsWith(QLatin1String("$iothub/"));
            grants.push_back(ours ? static_cast<uint8_t>(std::min(qos, 1)) : uint8_t(0x80));
        }
        client.send(mqttSuback(s->packetId, grants));
        return;
    }
    case MqttType::Pingreq:
        client.send(mqttPingresp());
        return;
    case MqttType::Disconnect:
        client.gone = true;
        client.close();
        return;
    default:
        client.gone = true;
        client.abort();
        return;
    }
}

} // namespace iotc::sim
