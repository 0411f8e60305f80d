#pragma once

#include "propertysnapshot.h"

#include "central/centralerror.h"

#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>

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

// Why polling again cannot mend this failure, or nullopt when a later poll may succeed (a 5xx,
// 408, 429, a timeout, an answer that is not JSON). Final: the device or app is not there (404),
// the credentials are refused (401, 403, none usable), another client error (4xx), or the
// application cannot be reached once the HTTP layer has retried (DNS, connection refused, TLS).
std::optional<QString> finalPollFailure(const CentralError& error);

} // namespace iotc

Q_DECLARE_METATYPE(iotc::PropertySnapshot)
