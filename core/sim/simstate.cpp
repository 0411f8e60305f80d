#include "simstate.h"

#include <QCryptographicHash>

namespace iotc::sim {

SimState::SimState(ScenarioCatalog catalog, int extraDevices)
    : m_catalog(std::move(catalog))
    , m_appId(QStringLiteral("5f3b2c1e-8d4a-4e21-9c7b-0a1b2c3d4e5f"))
    , m_devices(m_catalog.devices)
    , m_extra(static_cast<size_t>(std::max(0, extraDevices)))
{
    for (size_t i = 0; i < m_devices.size(); ++i)
        m_index.emplace(m_devices[i].id, i);
}

size_t SimState::deviceCount() const
{
    return m_devices.size() + m_extra;
}

SimDevice SimState::extraDevice(size_t n) const
{
    // Extra devices are made on demand: 100,000 of them cost nothing until listed.
    if (auto it = m_extraOverrides.find(n); it != m_extraOverrides.end())
        return it->second;
    SimDevice d = m_catalog.extraDevice;
    const QString number = QStringLiteral("%1").arg(n + 1, 6, 10, QLatin1Char('0'));
    d.id = m_catalog.extraIdPrefix + number;
    d.displayName = QString(d.displayName).replace(QStringLiteral("{n}"), number);
    d.primaryKey = deviceKey(d.id, "primary");
    d.secondaryKey = deviceKey(d.id, "secondary");
    return d;
}

std::optional<size_t> SimState::indexOf(const QString& id) const
{
    if (auto it = m_index.find(id); it != m_index.end())
        return it->second;
    const QString& prefix = m_catalog.extraIdPrefix;
    if (id.startsWith(prefix)) {
        bool ok = false;
        const auto n = id.mid(prefix.size()).toULongLong(&ok);
        if (ok && n >= 1 && n <= m_extra && extraDevice(n - 1).id == id)
            return m_devices.size() + (n - 1);
    }
    return std::nullopt;
}

SimDevice SimState::deviceAt(size_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_devices.size() ? m_devices[index] : extraDevice(index - m_devices.size());
}

std::optional<SimDevice> SimState::device(const QString& id) const
{
    std::lock_guard lock(m_mutex);
    const auto i = indexOf(id);
    if (!i)
        return std::nullopt;
    return *i < m_devices.size() ? m_devices[*i] : extraDevice(*i - m_devices.size());
}

std::vector<SimDevice> SimState::devices(size_t skip, size_t top) const
{
    std::lock_guard lock(m_mutex);
    std::vector<SimDevice> out;
    const size_t total = m_devices.size() + m_extra;
    for (size_t i = skip; i < total && out.size() < top; ++i)
        out.push_back(i < m_devices.size() ? m_devices[i] : extraDevice(i - m_devices.size()));
    return out;
}

std::optional<SimDevice> SimState::patchDevice(const QString& id, const QJsonObject& patch)
{
    std::lock_guard lock(m_mutex);
    const auto i = indexOf(id);
    if (!i)
        return std::nullopt;
    SimDevice d = *i < m_devices.size() ? m_devices[*i] : extraDevice(*i - m_devices.size());
    if (patch.contains(QStringLiteral("enabled")))
        d.enabled = patch.value(QStringLiteral("enabled")).toBool(d.enabled);
    if (patch.contains(QStringLiteral("displayName")))
        d.displayName = patch.value(QStringLiteral("displayName")).toString(d.displayName);
    if (patch.contains(QStringLiteral("template")))
        d.templateId = patch.value(QStringLiteral("template")).toString();
    if (*i < m_devices.size())
        m_devices[*i] = d;
    else
        m_extraOverrides[*i - m_devices.size()] = d;
    return d;
}

void SimState::storeDevice(size_t index, const SimDevice& d)
{
    if (index < m_devices.size())
        m_devices[index] = d;
    else
        m_extraOverrides[index - m_devices.size()] = d;
}

std::optional<SimDevice> SimState::setDesired(
    const QString& id, const QString& component, const QJsonObject& values, qint64 nowMs, qint64 ackDelayMs)
{
    std::unique_lock lock(m_mutex);
    const auto i = indexOf(id);
    if (!i)
        return std::nullopt;
    SimDevice d = *i < m_devices.size() ? m_devices[*i] : extraDevice(*i - m_devices.size());
    QJsonObject section = component.isEmpty() ? d.desired : d.desired.value(component).toObject();
    for (auto it = values.begin(); it != values.end(); ++it) {
        const int version = section.value(it.key()).toObject().value(QStringLiteral("version")).toInt(0) + 1;
        section.insert(
            it.key(), QJsonObject { { QStringLiteral("value"), it.value() }, { QStringLiteral("version"), version } });
        if (d.scenario != QLatin1String("writable-not-acknowledged"))
            m_pendingAcks[id].push_back(PendingAck { component, it.key(), it.value(), version, nowMs + ackDelayMs });
    }
    if (component.isEmpty())
        d.desired = section;
    else
        d.desired.insert(component, section);
    storeDevice(*i, d);
    auto listener = m_twinChanged;
    lock.unlock();
    if (listener)
        listener(id, QStringLiteral("desired"), component.isEmpty() ? values : QJsonObject { { component, values } });
    return d;
}

void SimState::acknowledgeDue(const QString& id, qint64 nowMs)
{
    std::unique_lock lock(m_mutex);
    auto pending = m_pendingAcks.find(id);
    if (pending == m_pendingAcks.end())
        return;
    const auto i = indexOf(id);
    if (!i)
        return;
    SimDevice d = *i < m_devices.size() ? m_devices[*i] : extraDevice(*i - m_devices.size());
    auto& acks = pending->second;
    QJsonObject patch; // what changed on the reported side, as a twin change notification says it
    for (auto it = acks.begin(); it != acks.end();) {
        if (it->dueMs > nowMs) {
            ++it;
            continue;
        }
        const bool reject = d.scenario == QLatin1String("writable-rejected");
        QJsonObject section = it->component.isEmpty() ? d.reported : d.reported.value(it->component).toObject();
        if (!it->component.isEmpty())
            section.insert(QStringLiteral("__t"), QStringLiteral("c"));
        QJsonObject ack { { QStringLiteral("value"),
                              reject ? section.value(it->name).toObject().value(QStringLiteral("value")) : it->value },
            { QStringLiteral("ac"), reject ? 400 : 200 }, { QStringLiteral("av"), it->version },
            { QStringLiteral("ad"), reject ? QStringLiteral("value out of range") : QStringLiteral("completed") } };
        section.insert(it->name, ack);
        if (it->component.isEmpty()) {
            d.reported = section;
            patch.insert(it->name, ack);
        } else {
            d.reported.insert(it->component, section);
            QJsonObject c = patch.value(it->component).toObject();
            c.insert(QStringLiteral("__t"), QStringLiteral("c"));
            c.insert(it->name, ack);
            patch.insert(it->component, c);
        }
        it = acks.erase(it);
    }
    if (acks.empty())
        m_pendingAcks.erase(pending);
    storeDevice(*i, d);
    auto listener = m_twinChanged;
    lock.unlock();
    if (listener && !patch.isEmpty())
        listener(id, QStringLiteral("reported"), patch);
}

void SimState::acknowledgeAllDue(qint64 nowMs)
{
    QStringList ids;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, acks] : m_pendingAcks)
            ids << id;
    }
    for (const auto& id : ids)
        acknowledgeDue(id, nowMs);
}

void SimState::setTwinChangeListener(std::function<void(const QString&, const QString&, const QJsonObject&)> listener)
{
    std::lock_guard lock(m_mutex);
    m_twinChanged = std::move(listener);
}

void SimState::markSeen(const QString& id, qint64 ms)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_index.find(id); it != m_index.end())
        m_devices[it->second].lastSeenMs = ms;
}

std::optional<QJsonObject> SimState::deviceTemplate(const QString& id) const
{
    for (const auto& t : m_catalog.templates) {
        if (t.value(QStringLiteral("@id")).toString() == id)
            return t;
    }
    return std::nullopt;
}

void SimState::recordTelemetry(
    const QString& deviceId, const QString& module, const QString& component, const QJsonObject& values, qint64 ms)
{
    const QString key = deviceId + QLatin1Char('/') + module + QLatin1Char('/') + component;
    std::lock_guard lock(m_mutex);
    auto& entry = m_lastTelemetry[key];
    for (auto it = values.begin(); it != values.end(); ++it)
        entry.first.insert(it.key(), it.value());
    entry.second = ms;
}

std::optional<std::pair<QJsonValue, qint64>> SimState::lastTelemetry(
    const QString& deviceId, const QString& module, const QString& component, const QString& name) const
{
    const QString key = deviceId + QLatin1Char('/') + module + QLatin1Char('/') + component;
    std::lock_guard lock(m_mutex);
    auto it = m_lastTelemetry.find(key);
    if (it == m_lastTelemetry.end() || !it->second.first.contains(name))
        return std::nullopt;
    return std::make_pair(it->second.first.value(name), it->second.second);
}

} // namespace iotc::sim
