#include "propertysnapshot.h"

#include <QJsonArray>

namespace iotc {

const char* syncStateName(SyncState s)
{
    switch (s) {
    case SyncState::None:
        return "none";
    case SyncState::Pending:
        return "pending";
    case SyncState::Accepted:
        return "accepted";
    case SyncState::Rejected:
        return "rejected";
    case SyncState::Stale:
        return "stale";
    }
    return "none";
}

namespace {

std::optional<int> optionalInt(const QJsonObject& o, const char* key)
{
    const auto v = o.value(QLatin1String(key));
    if (v.isDouble())
        return v.toInt();
    return std::nullopt;
}

void readLevel(const QJsonObject& level, const QString& component, QList<PropertyState>& out)
{
    const QJsonObject meta = level.value(QStringLiteral("$metadata")).toObject();
    QStringList names;
    for (auto it = level.begin(); it != level.end(); ++it) {
        if (!it.key().startsWith(QLatin1Char('$')))
            names << it.key();
    }
    for (auto it = meta.begin(); it != meta.end(); ++it) {
        if (!names.contains(it.key()))
            names << it.key(); // desired but never reported
    }
    for (const auto& name : names) {
        PropertyState p;
        p.component = component;
        p.name = name;
        if (level.contains(name)) {
            p.hasReported = true;
            p.reported = level.value(name);
        }
        const auto m = meta.value(name).toObject();
        if (m.contains(QStringLiteral("desiredValue")))
            p.desired = m.value(QStringLiteral("desiredValue"));
        p.desiredVersion = optionalInt(m, "desiredVersion");
        p.ackVersion = optionalInt(m, "ackVersion");
        p.ackCode = optionalInt(m, "ackCode");
        p.ackDescription = m.value(QStringLiteral("ackDescription")).toString();
        p.lastUpdateTime = m.value(QStringLiteral("lastUpdateTime")).toString();
        p.sync = syncStateOf(p);
        out.append(p);
    }
}

} // namespace

SyncState syncStateOf(const PropertyState& p, qint64 pendingSinceMs, qint64 nowMs, qint64 staleAfterMs)
{
    if (!p.desiredVersion)
        return SyncState::None;
    if (p.ackVersion && *p.ackVersion == *p.desiredVersion && p.ackCode) {
        if (*p.ackCode >= 400)
            return SyncState::Rejected;
        if (*p.ackCode >= 200 && *p.ackCode < 300 && *p.ackCode != 202)
            return SyncState::Accepted;
    }
    if (pendingSinceMs > 0 && nowMs - pendingSinceMs >= staleAfterMs)
        return SyncState::Stale;
    return SyncState::Pending;
}

QJsonObject PropertyState::toJson() const
{
    QJsonObject o { { QStringLiteral("component"), component.isEmpty() ? QJsonValue() : QJsonValue(component) },
        { QStringLiteral("name"), name }, { QStringLiteral("reported"), hasReported ? reported : QJsonValue() },
        { QStringLiteral("sync"), QString::fromLatin1(syncStateName(sync)) } };
    if (desired)
        o.insert(QStringLiteral("desired"), *desired);
    if (desiredVersion)
        o.insert(QStringLiteral("desiredVersion"), *desiredVersion);
    if (ackVersion)
        o.insert(QStringLiteral("ackVersion"), *ackVersion);
    if (ackCode)
        o.insert(QStringLiteral("ackCode"), *ackCode);
    if (!ackDescription.isEmpty())
        o.insert(QStringLiteral("ackDescription"), ackDescription);
    if (!lastUpdateTime.isEmpty())
        o.insert(QStringLiteral("lastUpdateTime"), lastUpdateTime);
    return o;
}

PropertySnapshot PropertySnapshot::fromRest(const QJsonObject& response, const QStringList& componentNames)
{
    PropertySnapshot s;
    QJsonObject root;
    for (auto it = response.begin(); it != response.end(); ++it) {
        // A component section is an object with its own $metadata (or a known component name);
        // an Object-typed property is an object without one.
        const bool component = it.value().isObject()
            && (componentNames.contains(it.key()) || it.value().toObject().contains(QStringLiteral("$metadata")))
            && !response.value(QStringLiteral("$metadata")).toObject().contains(it.key());
        if (component)
            readLevel(it.value().toObject(), it.key(), s.properties);
        else
            root.insert(it.key(), it.value());
    }
    readLevel(root, QString(), s.properties);
    return s;
}

const PropertyState* PropertySnapshot::find(const QString& key) const
{
    for (const auto& p : properties) {
        if (p.key() == key)
            return &p;
    }
    return nullptr;
}

QJsonObject PropertySnapshot::reportedPayload() const
{
    QJsonObject out;
    for (const auto& p : properties) {
        if (!p.hasReported)
            continue;
        if (p.component.isEmpty()) {
            out.insert(p.name, p.reported);
        } else {
            QJsonObject section = out.value(p.component).toObject();
            section.insert(QStringLiteral("__t"), QStringLiteral("c")); // REST strips the marker the device sent
            section.insert(p.name, p.reported);
            out.insert(p.component, section);
        }
    }
    return out;
}

QJsonObject PropertyChange::toJson() const
{
    static const char* kinds[] = { "added", "changed", "removed", "sync-changed" };
    QJsonObject o { { QStringLiteral("kind"), QString::fromLatin1(kinds[static_cast<int>(kind)]) },
        { QStringLiteral("property"), (kind == Kind::Removed ? before : after).key() } };
    if (kind != Kind::Added)
        o.insert(QStringLiteral("before"), before.toJson());
    if (kind != Kind::Removed)
        o.insert(QStringLiteral("after"), after.toJson());
    return o;
}

QList<PropertyChange> diffSnapshots(const PropertySnapshot& before, const PropertySnapshot& after)
{
    QList<PropertyChange> changes;
    for (const auto& a : after.properties) {
        const PropertyState* b = before.find(a.key());
        if (!b) {
            changes.append({ PropertyChange::Kind::Added, {}, a });
            continue;
        }
        const bool valueChanged = a.hasReported != b->hasReported || a.reported != b->reported
            || a.desired != b->desired || a.desiredVersion != b->desiredVersion || a.ackVersion != b->ackVersion
            || a.ackCode != b->ackCode;
        if (valueChanged)
            changes.append({ PropertyChange::Kind::Changed, *b, a });
        else if (a.sync != b->sync)
            changes.append({ PropertyChange::Kind::SyncChanged, *b, a });
    }
    for (const auto& b : before.properties) {
        if (!after.find(b.key()))
            changes.append({ PropertyChange::Kind::Removed, b, {} });
    }
    return changes;
}

} // namespace iotc
