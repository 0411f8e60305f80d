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

std::optional<QString> finalPollFailure(const CentralError& e)
{
    switch (e.kind) {
    case CentralError::Kind::None:
    case CentralError::Kind::Timeout:
    case CentralError::Kind::Cancelled:
    case CentralError::Kind::InvalidResponse: // a proxy's error page now says nothing of the next poll
        return std::nullopt;
    case CentralError::Kind::Credentials:
        return QStringLiteral("no usable credentials");
    case CentralError::Kind::Network:
        return QStringLiteral("the application cannot be reached");
    case CentralError::Kind::Http:
        break;
    }
    if (e.httpStatus == 404)
        return QStringLiteral("not found in this application");
    if (e.httpStatus == 401 || e.httpStatus == 403)
        return QStringLiteral("the credentials were refused");
    if (e.httpStatus >= 400 && e.httpStatus < 500 && e.httpStatus != 408 && e.httpStatus != 429)
        return QStringLiteral("the application refused the request");
    return std::nullopt; // 5xx, 408, 429: a later poll may be answered
}

} // namespace iotc
