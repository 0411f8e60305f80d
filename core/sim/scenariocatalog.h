#pragma once

#include "scenarionetwork.h"
#include "simdevice.h"

#include <QJsonArray>
#include <QJsonObject>

#include <vector>

namespace iotc::sim {

struct SimHub {
    QString name; // iotc-....
    QString entityPath; // the event hub name of its built-in endpoint
    int partitions = 4;
};

// The scenario catalogue: the app, its hubs, templates and one device per situation in the
// troubleshooting guide, plus the recipe for extra healthy devices. Data, not code:
// resources/sim/scenarios.json (built in) or a file given with --scenario.
struct ScenarioCatalog {
    QString appName;
    QString subdomain;
    QString idScope;
    std::vector<SimHub> hubs;
    std::vector<QJsonObject> templates; // REST shape, keyed by "@id"
    std::vector<SimDevice> devices;
    SimDevice extraDevice; // recipe; id/displayName are patterns with {n}
    QString extraIdPrefix;
    ScenarioNetwork network; // what the devices' network does (blocked ports, a skewed clock)

    // Parses the catalogue; throws std::runtime_error with a clear message when it is unusable.
    static ScenarioCatalog fromJson(const QByteArray& json);
    static ScenarioCatalog builtIn();
    static ScenarioCatalog fromFile(const QString& path);
};

// A device's simulated symmetric key ("primary" or "secondary"), base64.
QByteArray deviceKey(const QString& deviceId, const char* which);

// The bytes of a message body: placeholders filled, encoded as the scenario says.
QByteArray renderBody(const SimMessage& message, const QString& deviceId, quint64 counter);

} // namespace iotc::sim
