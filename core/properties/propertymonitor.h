#pragma once

#include "propertysnapshot.h"

#include "central/centralerror.h"

#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace iotc {

class CentralClient;

// Polls a device's properties (REST, every few seconds), diffs successive snapshots, and tracks
// each writable property's sync state: Pending until acknowledged for its desired version,
// Accepted / Rejected by the ack code, Stale when an acknowledgement does not come in time.
class PropertyMonitor : public QObject {
    Q_OBJECT
public:
    PropertyMonitor(std::shared_ptr<CentralClient> client, QString deviceId, QObject* parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    void setStaleAfter(qint64 ms) { m_staleAfterMs = ms; }
    void setComponentNames(QStringList names) { m_components = std::move(names); }
    void start();
    void stop();

    const PropertySnapshot& snapshot() const { return m_snapshot; }
    int polls() const { return m_polls; }

Q_SIGNALS:
    void updated(const iotc::PropertySnapshot& snapshot, const QList<iotc::PropertyChange>& changes);
    void pollFailed(const iotc::CentralError& error);

private:
    void poll();

    std::shared_ptr<CentralClient> m_client;
    QString m_deviceId;
    QStringList m_components;
    QTimer m_timer;
    bool m_inFlight = false;
    PropertySnapshot m_snapshot;
    bool m_first = true;
    int m_polls = 0;
    qint64 m_staleAfterMs = 60000;
    std::map<QString, std::pair<int, qint64>> m_pendingSince; // key -> (desired version, first seen pending)
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::PropertySnapshot)
