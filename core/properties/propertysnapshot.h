#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace iotc {

// Where a writable property stands between what an operator asked for and what the device said.
enum class SyncState {
    None, // not a writable property with a desired value
    Pending, // desired, not (yet) acknowledged for this version
    Accepted, // acknowledged for this version with a 2xx code
    Rejected, // acknowledged with a code of 400 or more
    Stale, // pending for longer than the threshold: the device probably never answers
};
const char* syncStateName(SyncState s);

struct PropertyState {
    QString component; // empty for the root
    QString name;
    bool hasReported = false;
    QJsonValue reported;
    std::optional<QJsonValue> desired;
    std::optional<int> desiredVersion;
    std::optional<int> ackVersion;
    std::optional<int> ackCode;
    QString ackDescription;
    QString lastUpdateTime;
    SyncState sync = SyncState::None;

    QString key() const { return component.isEmpty() ? name : component + QLatin1Char('.') + name; }
    QJsonObject toJson() const;
};

// The device's properties as IoT Central's REST API returns them (GET /devices/{id}/properties:
// values without ack wrappers, components as nested objects, $metadata per level).
struct PropertySnapshot {
    QList<PropertyState> properties;

    static PropertySnapshot fromRest(const QJsonObject& response, const QStringList& componentNames = {});
    const PropertyState* find(const QString& key) const;
    // The reported side as a device would send it, for the payload validator.
    QJsonObject reportedPayload() const;
};

struct PropertyChange {
    enum class Kind { Added, Changed, Removed, SyncChanged };
    Kind kind;
    PropertyState before;
    PropertyState after;
    QJsonObject toJson() const;
};

QList<PropertyChange> diffSnapshots(const PropertySnapshot& before, const PropertySnapshot& after);

// Sync state from versions and ack code; pendingSinceMs (when the monitor first saw it pending)
// turns Pending into Stale after staleAfterMs.
SyncState syncStateOf(const PropertyState& p, qint64 pendingSinceMs = 0, qint64 nowMs = 0, qint64 staleAfterMs = 60000);

} // namespace iotc
