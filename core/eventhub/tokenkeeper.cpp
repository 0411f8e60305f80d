#include "tokenkeeper.h"

#include "util/sas.h"

#include <algorithm>
#include <utility>

namespace iotc {

TokenKeeper::TokenKeeper(EventHubTarget target, int lifetimeSeconds)
    : m_target(std::move(target))
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
    m_newerInHand = false;
    return { m_target.token, m_target.tokenExpiry };
}

void TokenKeeper::accepted(qint64 nowMs)
{
    m_actedAtMs = 0;
    if (m_expiry <= 0) {
        m_renewAtMs = 0;
        return;
    }
    const qint64 leftMs = m_expiry * 1000 - nowMs;
    m_renewAtMs = nowMs + std::max<qint64>(200, std::min<qint64>(leftMs * 8 / 10, leftMs - 2000));
}

void TokenKeeper::newConnection()
{
    // The connection puts its own token first; renewal is scheduled when $cbs takes it.
    m_renewAtMs = 0;
    m_actedAtMs = 0;
}

TokenKeeper::Due TokenKeeper::due(qint64 nowMs)
{
    if (m_renewAtMs == 0 || nowMs < m_renewAtMs)
        return Due::Nothing;
    const qint64 leftMs = m_expiry * 1000 - nowMs;
    const qint64 pauseMs = std::clamp<qint64>(leftMs / 4, 1000, 10000);
    if (m_actedAtMs != 0 && nowMs - m_actedAtMs < pauseMs)
        return Due::Nothing;
    m_actedAtMs = nowMs;
    return makesTokens() || m_newerInHand ? Due::PutNew : Due::AskOwner;
}

bool TokenKeeper::takeOffered()
{
    const auto offered = m_inbox->take();
    if (!offered || offered->second <= m_target.tokenExpiry)
        return false; // not newer than the one in hand
    m_target.token = offered->first;
    m_target.tokenExpiry = offered->second;
    m_newerInHand = true;
    m_actedAtMs = 0; // put it at once
    return true;
}

bool TokenKeeper::holdsValidToken(qint64 nowMs, qint64 marginMs) const
{
    return makesTokens() || m_target.tokenExpiry * 1000 > nowMs + marginMs;
}

} // namespace iotc
