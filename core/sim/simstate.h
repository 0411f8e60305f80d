#pragma once

#include "scenariocatalog.h"

#include <QJsonObject>

#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace iotc::sim {

// The simulated application's data: devices (scenario ones first, then extra healthy ones),
// templates, credentials. Thread-safe: the HTTP server, the generator and tests share it.
class SimState {
public:
    SimState(ScenarioCatalog catalog, int extraDevices);

    const ScenarioCatalog& catalog() const { return m_catalog; }
    QString appId() const { return m_appId; }

    size_t deviceCount() const;
    std::optional<SimDevice> device(const QString& id) const;
    std::vector<SimDevice> devices(size_t skip, size_t top) const;
    // Applies a PATCH: enabled / displayName / template. Returns the device after it, or nullopt.
    std::optional<SimDevice> patchDevice(const QString& id, const QJsonObject& patch);
    void markSeen(const QString& id, qint64 ms);

    // PATCH .../properties: new desired values (component = "" for the root), each with the next
    // version. The simulated device acknowledges them ackDelayMs later as its scenario says
    // (completed 200; 400 for writable-rejected; never for writable-not-acknowledged).
    std::optional<SimDevice> setDesired(
        const QString& id, const QString& component, const QJsonObject& values, qint64 nowMs, qint64 ackDelayMs = 1500);
    // Applies the acknowledgements that are due by nowMs (called before properties are read).
    void acknowledgeDue(const QString& id, qint64 nowMs);
    // The same for every device with acknowledgements pending (the generator's timer).
    void acknowledgeAllDue(qint64 nowMs);

    // Told (outside the lock) of every twin change: the device, which side ("desired" or
    // "reported") and the patch, so the app can route it as a twinChangeEvents message.
    void setTwinChangeListener(std::function<void(const QString&, const QString&, const QJsonObject&)> listener);

    std::optional<QJsonObject> deviceTemplate(const QString& id) const;

    // Last telemetry values per device/module/component, for GET .../telemetry/{name}.
    void recordTelemetry(
        const QString& deviceId, const QString& module, const QString& component, const QJsonObject& values, qint64 ms);
    std::optional<std::pair<QJsonValue, qint64>> lastTelemetry(
        const QString& deviceId, const QString& module, const QString& component, const QString& name) const;

    // The scenario device at index i (i < scenario count) or an extra device, by position.
    SimDevice deviceAt(size_t index) const;

private:
    SimDevice extraDevice(size_t n) const;
    std::optional<size_t> indexOf(const QString& id) const;

    mutable std::mutex m_mutex;
    ScenarioCatalog m_catalog;
    QString m_appId;
    std::vector<SimDevice> m_devices; // scenario devices
    std::unordered_map<QString, size_t> m_index;
    size_t m_extra;
    std::unordered_map<size_t, SimDevice> m_extraOverrides; // extra devices someone patched
    std::unordered_map<QString, std::pair<QJsonObject, qint64>> m_lastTelemetry;
    struct PendingAck {
        QString component;
        QString name;
        QJsonValue value;
        int version;
        qint64 dueMs;
    };
    std::unordered_map<QString, std::vector<PendingAck>> m_pendingAcks;
    void storeDevice(size_t index, const SimDevice& d);
    std::function<void(const QString&, const QString&, const QJsonObject&)> m_twinChanged;
};

} // namespace iotc::sim
