#pragma once

#include "devicemessage.h"
#include "net/networksettings.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace iotc {

class CentralClient;
struct DeviceTemplate;

// One step of the probe, in the order they run: dns, tcp, tls, clock (the DPS endpoint's 443, as
// the device reaches it), dps-register, hub-connect, send, arrived, validated.
struct ProbeStep {
    QString name;
    QString protocol; // "https" (DPS), then the hub's: "mqtt", "mqtt-ws", "amqp", "amqp-ws"
    QString status; // passed, failed, skipped
    QString detail;
    QString code;
    QString mitigation;
    qint64 ms = -1;
};

struct ProbeReport {
    QString deviceId;
    QString probeId; // the iotc-probe application property of the (first) message sent
    QString assignedHub;
    QByteArray payload;
    std::vector<ProbeStep> steps;
    bool couldNotRun = false; // the device or its credentials could not be read (exit 2)
    QString whyNot;
    bool ok() const;
    QString failedStep() const; // the first failed step's name, empty when none failed
};

struct ProbeOptions {
    QString deviceId;
    // The hub's protocols, in turn: the network and DPS steps once, then hub-connect, send, arrived
    // and validated for each, with its own message.
    std::vector<DeviceProtocol> protocols { DeviceProtocol::Mqtt };
    int mqttPort = 8883;
    int amqpPort = 5671;
    int websocketPort = 443; // MQTT and AMQP over WebSockets: /$iothub/websocket
    int stepTimeoutMs = 15000;
    int arrivalTimeoutMs = 60000; // how long to watch the event stream for the message
    std::optional<QByteArray> payload; // else a few modelled telemetry values from the template
    QString component;
    QString caFile; // trusted besides the system's, for TLS everywhere (the hub's MQTT too)
    std::function<void(const ProbeStep&)> stepDone; // called as each step ends (any thread)
};

// A telemetry message of modelled values: up to three of the template's telemetry fields of a
// primitive schema (the root's, or the component's), each with a plausible value.
QByteArray modelledTelemetry(const DeviceTemplate& t, const QString& component);

// Acts as the device: its credentials from the application (a SAS key; an X.509 device is
// skipped, saying the probe needs the device's certificate), DPS registration as the device does
// it, an MQTT connection to the assigned hub as the device (which disconnects the real device while
// it lasts), one telemetry message with content type application/json, encoding utf-8 and
// iotc-probe: <uuid>, then the application's event stream until that message arrives and its
// validation. Blocking (REST, DPS, MQTT, AMQP): off the GUI thread. Keys are never kept.
ProbeReport runDeviceProbe(const std::shared_ptr<CentralClient>& client, const ProbeOptions& options);

} // namespace iotc
