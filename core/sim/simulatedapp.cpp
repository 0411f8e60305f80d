#include "simulatedapp.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "devicetoken.h"
#include "net/tlsthreadstate.h"
#include "simmqttserver.h"
#include "simtls.h"
#include "simtlsfronts.h"
#include "telemetrygenerator.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>
#include <QTemporaryDir>
#include <QThread>

#include <stdexcept>

namespace iotc::sim {

QJsonObject SimEndpoints::toJson() const
{
    QJsonObject out { { QStringLiteral("baseUrl"), baseUrl }, { QStringLiteral("apiToken"), apiToken },
        { QStringLiteral("bearerToken"), bearerToken }, { QStringLiteral("dpsEndpoint"), dpsEndpoint },
        { QStringLiteral("idScope"), idScope },
        { QStringLiteral("eventHubConnectionString"), eventHubConnectionString },
        { QStringLiteral("devices"), devices } };
    if (tls) {
        out.insert(QStringLiteral("tls"), true);
        out.insert(QStringLiteral("caFile"), caFile);
        out.insert(QStringLiteral("amqpsPort"), amqpsPort);
        out.insert(QStringLiteral("websocketPort"), websocketPort);
        out.insert(QStringLiteral("amqpPort"), amqpPort); // the plain one, still served
        out.insert(QStringLiteral("deviceEndpoints"),
            QJsonObject { { QStringLiteral("host"), deviceHubHost }, { QStringLiteral("mqtt"), mqttPort },
                { QStringLiteral("amqp"), deviceAmqpPort }, { QStringLiteral("websocket"), deviceWebSocketPort } });
    }
    if (!network.isEmpty())
        out.insert(QStringLiteral("network"), QJsonArray::fromStringList(network));
    return out;
}

namespace {

// Writes the CA where clients can read it (--ca-file); throws when it cannot.
QString writeCaFile(const QTemporaryDir& dir, const QByteArray& pem)
{
    const QString path = dir.filePath(QStringLiteral("iotc-sim-ca.pem"));
    QFile file(path);
    if (!dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.flush())
        throw std::runtime_error("the simulated app cannot write its CA certificate to " + path.toStdString());
    return path;
}

} // namespace

SimulatedApp::SimulatedApp(SimOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

SimulatedApp::~SimulatedApp()
{
    stop();
}

SimEndpoints SimulatedApp::start()
{
    if (m_thread)
        return m_endpoints;
    m_endpoints = {};
    auto catalog = m_options.scenarioFile.isEmpty() ? ScenarioCatalog::builtIn()
                                                    : ScenarioCatalog::fromFile(m_options.scenarioFile);
    m_state = std::make_shared<SimState>(std::move(catalog), m_options.extraDevices);
    const auto& hubs = m_state->catalog().hubs;
    std::vector<EventHubServer::Hub> served;
    for (const auto& hub : hubs) {
        m_stores.push_back(std::make_shared<EventStore>(hub.partitions, m_options.retentionPerPartition));
        served.push_back({ hub, m_stores.back() });
    }

    const QByteArray hubKey
        = QCryptographicHash::hash(QByteArray(m_state->appId().toUtf8() + "service-policy"), QCryptographicHash::Sha256)
              .toBase64();
    EventHubServer::Options amqp;
    amqp.port = m_options.amqpPort;
    amqp.key = hubKey;
    if (m_options.tls) {
        // IoT Hub's device endpoint for AMQP: on the same port (the TLS and WebSocket fronts pipe to
        // it), for the hub DPS assigns.
        amqp.deviceHubHost = QStringLiteral("localhost");
        amqp.checkDevice = [state = m_state](const QString& deviceId, const QString& token) {
            return checkDeviceToken(*state, QStringLiteral("localhost"), deviceId, token);
        };
        amqp.deviceConnected = [this](const QString& deviceId) {
            // (from the AMQP thread; the MQTT endpoint lives on the HTTP thread)
            if (auto* http = m_http)
                QMetaObject::invokeMethod(http, [this, deviceId] {
                    if (m_mqtt)
                        m_mqtt->disconnectDevice(deviceId);
                });
        };
    }
    m_eventHub = std::make_unique<EventHubServer>(std::move(served), amqp);
    const uint16_t amqpPort = m_eventHub->start();
    std::optional<SimTlsMaterial> tls;
    if (m_options.tls) {
        try {
            tls = makeThrowawayTls();
            m_tlsDir = std::make_unique<QTemporaryDir>();
            m_endpoints.caFile = writeCaFile(*m_tlsDir, tls->caPem);
        } catch (...) {
            stop();
            throw;
        }
    }

    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("iotc-sim-http"));
    m_http = new SimHttpServer(m_state);
    m_http->setPageSize(m_options.pageSize);
    EventHubAccess access;
    access.host = QStringLiteral("127.0.0.1");
    access.port = amqpPort;
    access.hubKey = hubKey;
    access.tokenLifetimeSeconds = m_options.tokenLifetimeSeconds;
    m_http->setEventHubAccess(access);
    m_generator = new TelemetryGenerator(m_state, m_stores.front(), m_options.rateHz, m_options.extraRateHz);
    // Twin changes are routed to the event stream as IoT Hub does: iothub-message-source
    // twinChangeEvents, the patch under properties.desired / properties.reported.
    m_state->setTwinChangeListener(
        [store = m_stores.front()](const QString& deviceId, const QString& side, const QJsonObject& patch) {
            StoredEvent e;
            e.deviceId = deviceId;
            e.messageSource = QStringLiteral("twinChangeEvents");
            e.contentType = QStringLiteral("application/json");
            e.contentEncoding = QStringLiteral("utf-8");
            e.applicationProperties = { { QStringLiteral("opType"), QStringLiteral("updateTwin") },
                { QStringLiteral("iothub-message-schema"), QStringLiteral("twinChangeNotification") },
                { QStringLiteral("deviceId"), deviceId } };
            e.body = QJsonDocument(QJsonObject { { QStringLiteral("properties"), QJsonObject { { side, patch } } } })
                         .toJson(QJsonDocument::Compact);
            store->append(std::move(e));
        });
    m_http->moveToThread(m_thread);
    m_generator->moveToThread(m_thread);
    releaseTlsStateWhenFinished(m_thread);
    connect(m_thread, &QThread::finished, m_http, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, m_generator, &QObject::deleteLater);
    m_thread->start();

    quint16 httpPort = 0;
    QMetaObject::invokeMethod(
        m_http,
        [this, &httpPort, &tls] {
            if (tls)
                m_http->sslSetup(simServerTls(*tls));
            httpPort = m_http->listen(QHostAddress::LocalHost, m_options.httpPort);
        },
        Qt::BlockingQueuedConnection);
    if (httpPort == 0) {
        stop();
        throw std::runtime_error(
            "the simulated app cannot listen for HTTP on port " + std::to_string(m_options.httpPort));
    }
    if (tls) {
        // The secure fronts live on the HTTP thread with the server (which owns them).
        std::string error;
        QMetaObject::invokeMethod(
            m_http,
            [this, &tls, &error, amqpPort, access]() mutable {
                auto* fronts = new SimTlsFronts(*tls, amqpPort, m_http);
                try {
                    fronts->listen(m_options.amqpsPort, m_options.websocketPort);
                } catch (const std::exception& e) {
                    error = e.what();
                    return;
                }
                m_endpoints.amqpsPort = fronts->amqpsPort();
                m_endpoints.websocketPort = fronts->websocketPort();
                // IoT Hub's device endpoint (MQTT over TLS), and DPS assigning devices to it.
                m_endpoints.deviceHubHost = QStringLiteral("localhost");
                m_mqtt = new SimMqttServer(m_state, m_stores.front(), m_endpoints.deviceHubHost, *tls, m_http);
                try {
                    m_mqtt->listen(m_options.mqttPort, m_options.deviceWebSocketPort);
                } catch (const std::exception& e) {
                    error = e.what();
                    return;
                }
                // One connection per device identity across MQTT and AMQP; AMQP over WebSockets on
                // the device WebSocket port too, as IoT Hub's 443 serves both.
                m_mqtt->deviceConnected
                    = [hub = m_eventHub.get()](const QString& deviceId) { hub->disconnectDevice(deviceId); };
                m_mqtt->amqpOverWebSocket = [fronts](QWebSocket* socket) { fronts->pipeWebSocket(socket); };
                m_endpoints.mqttPort = m_mqtt->port();
                m_endpoints.deviceWebSocketPort = m_mqtt->webSocketPort();
                m_http->setDeviceHubHost(m_endpoints.deviceHubHost);
                // The token answer names the TLS endpoint, so that clients read it over TLS.
                access.scheme = QStringLiteral("amqps");
                access.host = QStringLiteral("localhost");
                access.port = m_endpoints.amqpsPort;
                m_http->setEventHubAccess(access);
            },
            Qt::BlockingQueuedConnection);
        if (!error.empty()) {
            stop();
            throw std::runtime_error(error);
        }
        m_endpoints.deviceAmqpPort = m_endpoints.amqpsPort;
    }
    try {
        actOutNetwork(m_state->catalog().network, tls.has_value());
    } catch (...) {
        stop();
        throw;
    }
    const QString base = (tls ? QStringLiteral("https://localhost:") : QStringLiteral("http://127.0.0.1:"))
        + QString::number(httpPort);
    QMetaObject::invokeMethod(
        m_http, [this, base] { m_http->setBaseUrl(base); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_generator, [this] { m_generator->start(); }, Qt::BlockingQueuedConnection);

    const auto& hub = hubs.front();
    m_endpoints.baseUrl = base;
    m_endpoints.apiToken = m_http->apiToken();
    m_endpoints.bearerToken = m_http->bearerToken();
    m_endpoints.dpsEndpoint = base;
    m_endpoints.idScope = m_state->catalog().idScope;
    m_endpoints.eventHubHost = QStringLiteral("127.0.0.1:") + QString::number(amqpPort);
    m_endpoints.amqpPort = amqpPort;
    m_endpoints.tls = tls.has_value();
    const QString endpoint = tls ? QStringLiteral("amqps://localhost:") + QString::number(m_endpoints.amqpsPort)
                                 : QStringLiteral("sb://") + m_endpoints.eventHubHost;
    m_endpoints.eventHubConnectionString = QStringLiteral("Endpoint=") + endpoint
        + QStringLiteral("/;SharedAccessKeyName=service;SharedAccessKey=") + QString::fromLatin1(hubKey)
        + QStringLiteral(";EntityPath=") + hub.entityPath;
    m_endpoints.devices = static_cast<int>(m_state->deviceCount());
    return m_endpoints;
}

void SimulatedApp::actOutNetwork(const ScenarioNetwork& network, bool deviceEndpoints)
{
    auto block = [this, deviceEndpoints](PortBlock how, quint16& port) {
        if (how == PortBlock::Open || !deviceEndpoints)
            return;
        m_blocked.push_back(std::make_unique<BlockedPort>(how));
        port = m_blocked.back()->port();
    };
    block(network.mqtt, m_endpoints.mqttPort);
    block(network.amqp, m_endpoints.deviceAmqpPort);
    block(network.websocket, m_endpoints.deviceWebSocketPort);
    m_http->faults().clockOffsetSeconds = network.clockOffsetSeconds;
    ScenarioNetwork acted = network;
    if (!deviceEndpoints)
        acted.mqtt = acted.amqp = acted.websocket = PortBlock::Open;
    m_endpoints.network
        = acted.describe(m_endpoints.mqttPort, m_endpoints.deviceAmqpPort, m_endpoints.deviceWebSocketPort);
    if (!deviceEndpoints && network.blocksAPort())
        m_endpoints.network << QStringLiteral("the device ports exist with --tls only: none is blocked without it");
}

void SimulatedApp::stop()
{
    if (m_eventHub)
        m_eventHub->stop();
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        m_http = nullptr;
        m_generator = nullptr;
    }
    m_tlsDir.reset();
    m_blocked.clear();
}

int SimulatedApp::injectTelemetry(const QString& deviceId, int count)
{
    if (!m_generator)
        return 0;
    const auto device = m_state->device(deviceId);
    if (!device)
        return 0;
    int sent = 0;
    QMetaObject::invokeMethod(
        m_generator, [this, &sent, d = *device, count] { sent = m_generator->emitNow(d, count); },
        Qt::BlockingQueuedConnection);
    return sent;
}

} // namespace iotc::sim
