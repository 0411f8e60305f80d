#include "propertymonitor.h"

#include "central/centralclient.h"

#include <QDateTime>

namespace iotc {

PropertyMonitor::PropertyMonitor(std::shared_ptr<CentralClient> client, QString deviceId, QObject* parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_deviceId(std::move(deviceId))
    , m_timer(this)
{
    qRegisterMetaType<PropertySnapshot>();
    m_timer.setInterval(5000);
    connect(&m_timer, &QTimer::timeout, this, &PropertyMonitor::poll);
}

void PropertyMonitor::start()
{
    poll();
    m_timer.start();
}

void PropertyMonitor::stop()
{
    m_timer.stop();
}

void PropertyMonitor::poll()
{
    if (m_inFlight)
        return; // a slow answer is not stacked up behind
    m_inFlight = true;
    auto future = m_client->properties(m_deviceId);
    future.then(this, [this](const Result<QJsonObject>& r) {
        m_inFlight = false;
        ++m_polls;
        if (!r.ok()) {
            Q_EMIT pollFailed(r.error);
            return;
        }
        PropertySnapshot next = PropertySnapshot::fromRest(*r.value, m_components);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (auto& p : next.properties) {
            if (p.sync == SyncState::Pending) {
                auto& since = m_pendingSince[p.key()];
                if (since.first != p.desiredVersion.value_or(-1))
                    since = { p.desiredVersion.value_or(-1), now };
                p.sync = syncStateOf(p, since.second, now, m_staleAfterMs);
            } else {
                m_pendingSince.erase(p.key());
            }
        }
        auto changes = m_first ? QList<PropertyChange> {} : diffSnapshots(m_snapshot, next);
        if (m_first) {
            for (const auto& p : next.properties)
                changes.append({ PropertyChange::Kind::Added, {}, p });
        }
        m_first = false;
        m_snapshot = std::move(next);
        if (!changes.isEmpty())
            Q_EMIT updated(m_snapshot, changes);
    });
}

} // namespace iotc
