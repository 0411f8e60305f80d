#pragma once

#include "eventhubtarget.h"

#include <QString>

#include <mutex>
#include <optional>
#include <utility>

namespace iotc {

// The CBS tokens of one event hub connection: made here from a key (and made again before they
// lapse), or ready-made ones (IoT Central's) for which the owner is asked in time. Proton's
// thread, except offer().
class TokenKeeper {
public:
    TokenKeeper(const EventHubTarget& target, int lifetimeSeconds);

    bool makesTokens() const { return !m_target.key.isEmpty(); }
    // The token to put now, and its expiry (seconds since the epoch), remembered for renewal.
    std::pair<QString, qint64> current();
    // $cbs took the current token: renewal falls due at 80% of its life, 2 s before it lapses at
    // the latest.
    void accepted(qint64 nowMs);
    void newConnection() { m_renewAtMs = 0; }

    enum class Due { Nothing, PutNew, AskOwner };
    // What the renewal needs now. A ready-made token is asked for again every 10 s until one is
    // offered.
    Due due(qint64 nowMs);

    // A ready-made token from the owner (any thread).
    void offer(const QString& token, qint64 expiry);
    // Uses an offered token that is newer than the one in hand; true when there is one to put.
    bool takeOffered();
    // Whether the token in hand stays valid a while longer (a reconnect can use it).
    bool holdsValidToken(qint64 nowMs, qint64 marginMs) const;

private:
    EventHubTarget m_target;
    int m_lifetimeSeconds;
    qint64 m_expiry = 0; // of the token put last
    qint64 m_renewAtMs = 0; // 0 = none due
    qint64 m_askedAtMs = 0;
    std::mutex m_offerMutex;
    std::optional<std::pair<QString, qint64>> m_offered;
};

} // namespace iotc
