#include "tokenkeeper.h"

#include "provisioning/sas.h"

#include <algorithm>

namespace iotc {

TokenKeeper::TokenKeeper(const EventHubTarget& target, int lifetimeSeconds)
    : m_target(target)
    , m_lifetimeSeconds(lifetimeSeconds)
{
}

std::pair<QString, qint64> TokenKeeper::current()
{
    if (makesTokens()) {
        m_expiry = secondsFromNow(std::chrono::seconds(m_lifetimeSeconds));
        return { makeSasToken(m_target.audience(), m_target.key, SasKeyKind::RawText, m_expiry,
                     m_target.keyName.isEmpty() ? QStringLiteral("service") : m_target.keyName),
            m_expiry };
    }
    m_expiry = m_target.tokenExpiry;
    return { m_target.token, m_target.tokenExpiry };
}

void TokenKeeper::accepted(qint64 nowMs)
{
    if (m_expiry <= 0)
        return;
    const qint64 leftMs = m_expiry * 1000 - nowMs;
    m_renewAtMs = nowMs + std::max<qint64>(200, std::min<qint64>(leftMs * 8 / 10, leftMs - 2000));
}

TokenKeeper::Due TokenKeeper::due(qint64 nowMs)
{
    if (m_renewAtMs == 0 || nowMs < m_renewAtMs)
        return Due::Nothing;
    if (makesTokens()) {
        m_renewAtMs = 0;
        return Due::PutNew;
    }
    if (m_askedAtMs != 0 && nowMs - m_askedAtMs < 10000)
        return Due::Nothing;
    m_askedAtMs = nowMs;
    return Due::AskOwner;
}

void TokenKeeper::offer(const QString& token, qint64 expiry)
{
    std::lock_guard lock(m_offerMutex);
    m_offered = std::make_pair(token, expiry);
}

bool TokenKeeper::takeOffered()
{
    std::optional<std::pair<QString, qint64>> offered;
    {
        std::lock_guard lock(m_offerMutex);
        offered.swap(m_offered);
    }
    if (!offered || offered->second <= m_target.tokenExpiry)
        return false; // not newer than the one in hand
    m_target.token = offered->first;
    m_target.tokenExpiry = offered->second;
    m_askedAtMs = 0;
    m_renewAtMs = 0; // due again once $cbs has taken this one
    return true;
}

bool TokenKeeper::holdsValidToken(qint64 nowMs, qint64 marginMs) const
{
    return makesTokens() || m_target.tokenExpiry * 1000 > nowMs + marginMs;
}

} // namespace iotc
