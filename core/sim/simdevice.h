#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace iotc::sim {

// One message a simulated device sends, as written in the scenario catalogue. The body is a
// text template ({t1} {t2} {ws} {id} are filled per message) turned into bytes by bodyEncoding
// (utf-8, latin1, utf-16le-bom) so encoding failures are real bytes on the wire.
struct SimMessage {
    QString component; // dt-subject
    QString module; // iothub-connection-module-id
    std::optional<QString> contentType;
    std::optional<QString> contentEncoding;
    QString body;
    QString bodyEncoding = QStringLiteral("utf-8");
    QString source = QStringLiteral("Telemetry"); // iothub-message-source
};

// A past the device had before the simulated app started: count messages, intervalSeconds apart,
// the last endedSecondsAgo before the start, as if it had been sending and then stopped. Written
// when the app generates telemetry (a rate above 0), with those enqueued times.
struct SimHistory {
    int count = 0; // at most MaxHistory
    double intervalSeconds = 1;
    double endedSecondsAgo = 0;
    static constexpr int MaxHistory = 100000;
};

// What DPS answers for the device: "assigned" or an error scenario (401002, 400209, 404, 429, 500).
using DpsBehaviour = QString;

struct SimDevice {
    QString id;
    QString displayName;
    QString templateId; // empty = unassigned
    QString modelId; // dt-dataschema; empty = not IoT Plug and Play
    QString scenario;
    QString description;
    bool enabled = true;
    bool provisioned = true;
    bool simulated = false;
    QByteArray primaryKey; // base64
    QByteArray secondaryKey;
    std::vector<SimMessage> messages; // sent in turn
    QJsonObject reported; // reported properties as the device sends them (components with __t, acks)
    QJsonObject desired; // {component?: {name: {value, version}}} or {name: {value, version}}
    // Values of the template's cloud properties, set in the application (never by the device):
    // {name: value} at the root, returned with the device's properties as IoT Central does.
    QJsonObject cloud;
    DpsBehaviour dps = QStringLiteral("assigned");
    QStringList log; // device-side log lines ({hub} {model} filled in)
    QString edgeRuntimeVersion;
    int silentAfterSeconds = -1;
    SimHistory history;
    qint64 lastSeenMs = 0;
};

} // namespace iotc::sim
