#pragma once

#include "blockedport.h"
#include "eventhubserver.h"
#include "eventstore.h"
#include "simhttpserver.h"
#include "simstate.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QTemporaryDir;
class QThread;

namespace iotc::sim {

struct SimOptions {
    quint16 httpPort = 0; // 0 = ephemeral
    quint16 amqpPort = 0;
    int extraDevices = 0; // healthy devices beyond the scenario catalogue
    double rateHz = 1.0; // messages per second per scenario device (0 = only injected events)
    double extraRateHz = 0.1; // per extra device
    QString scenarioFile; // empty = the built-in catalogue
    int pageSize = 100;
    int tokenLifetimeSeconds = 3600;
    size_t retentionPerPartition = 500000;
    // Also serve over TLS with a throwaway CA (simtls.h): REST and DPS over https, the event hub
    // over amqps (amqpsPort) and wss (websocketPort); the plain AMQP port stays open.
    bool tls = false;
    quint16 amqpsPort = 0; // 0 = ephemeral (tls only)
    quint16 websocketPort = 0; // 0 = ephemeral (tls only)
    // With tls: IoT Hub's device endpoint for MQTT over TLS (simmqttserver.h); DPS then assigns
    // devices the hub "localhost".
    quint16 mqttPort = 0; // 0 = ephemeral (tls only)
    quint16 deviceWebSocketPort = 0; // MQTT over WebSockets (/$iothub/websocket); 0 = ephemeral (tls only)
};

// How to reach a running simulated app; secrets are the simulator's own, made up at start.
struct SimEndpoints {
    QString baseUrl;
    QString apiToken;
    QString bearerToken;
    QString dpsEndpoint;
    QString idScope;
    QString eventHubConnectionString; // Endpoint=amqps://localhost:<amqpsPort>/ with tls
    QString eventHubHost; // the plain AMQP endpoint, 127.0.0.1:<amqpPort>
    quint16 amqpPort = 0; // plain AMQP, also with tls
    int devices = 0;
    // With SimOptions::tls: the CA to trust (a PEM file that lives while the app runs) and the
    // secure ports of the event hub (AMQP over TLS; AMQP over WebSockets at /$servicebus/websocket).
    bool tls = false;
    QString caFile;
    quint16 amqpsPort = 0;
    quint16 websocketPort = 0;
    // With tls: "localhost", the hub DPS assigns, and the ports its devices use. A port the scenario's
    // network blocks (ScenarioNetwork) is a BlockedPort's instead of the served one; the event
    // stream's amqpsPort and websocketPort stay reachable (the cloud side is not on that network).
    QString deviceHubHost;
    quint16 mqttPort = 0;
    quint16 deviceAmqpPort = 0; // amqpsPort unless blocked
    quint16 deviceWebSocketPort = 0; // wss://localhost:P/$iothub/websocket, subprotocol mqtt or AMQPWSB10
    QStringList network; // what the scenario's network does, one line each (empty: nothing)

    QJsonObject toJson() const;
};

class TelemetryGenerator;
class SimMqttServer;

// The simulated IoT Central application: REST + DPS over HTTP (its own thread), the Event Hubs-
// compatible AMQP endpoint (Proton's thread) and scenario devices generating telemetry. With tls,
// REST and DPS are https and TLS and WebSocket fronts (simtlsfronts.h, on the HTTP thread) pipe to
// the AMQP endpoint.
class SimulatedApp : public QObject {
    Q_OBJECT
public:
    explicit SimulatedApp(SimOptions options = {}, QObject* parent = nullptr);
    ~SimulatedApp() override;

    // Throws std::runtime_error (catalogue unusable, port taken ...).
    SimEndpoints start();
    void stop();
    const SimEndpoints& endpoints() const { return m_endpoints; }

    SimState& state() { return *m_state; }
    EventStore& store(int hub = 0) { return *m_stores.at(static_cast<size_t>(hub)); }
    HttpFaults& httpFaults() { return m_http->faults(); }
    // With tls: IoT Hub's MQTT device endpoint (lives on the HTTP thread; its atomics are safe anywhere).
    SimMqttServer* mqtt() const { return m_mqtt; }
    quint64 httpRequests() const { return m_http ? m_http->requestCount() : 0; }
    EventHubServer& eventHub() { return *m_eventHub; }

    // Appends count messages of the device's scenario now (tests, benchmarks); returns how many
    // (0 for an unknown device or one without messages).
    int injectTelemetry(const QString& deviceId, int count);

private:
    // Blocks the device ports (with tls: they exist only then) and skews the Date header as the scenario's network
    // says.
    void actOutNetwork(const ScenarioNetwork& network, bool deviceEndpoints);

    SimOptions m_options;
    std::shared_ptr<SimState> m_state;
    std::vector<std::shared_ptr<EventStore>> m_stores;
    std::unique_ptr<EventHubServer> m_eventHub;
    SimHttpServer* m_http = nullptr; // lives in m_thread
    SimMqttServer* m_mqtt = nullptr; // owned by m_http
    TelemetryGenerator* m_generator = nullptr; // lives in m_thread
    QThread* m_thread = nullptr;
    std::unique_ptr<QTemporaryDir> m_tlsDir; // holds the CA file while running with tls
    SimEndpoints m_endpoints;
    std::vector<std::unique_ptr<BlockedPort>> m_blocked; // the scenario network's blocked device ports
};

} // namespace iotc::sim
