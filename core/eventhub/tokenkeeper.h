#pragma once

#include "eventhubtarget.h"

#include <QString>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace iotc {

// Where new ready-made tokens are left for a consumer, from any thread: shared, so an answer that
// arrives after the consumer is gone harms nothing.
class TokenInbox {
public:
    void offer(const QString& token, qint64 expiry)
    {
        std::lock_guard lock(m_mutex);
        m_token = std::make_pair(token, expiry);
    }
    // Why the last request for one failed (shown if the token then lapses); empty clears it.
    void failed(const QString& why)
    {
        std::lock_guard lock(m_mutex);
        m_failure = why;
    }
    std::optional<std::pair<QString, qint64>> take()
    {
        std::lock_guard lock(m_mutex);
        std::optional<std::pair<QString, qint64>> out;
        out.swap(m_token);
        return out;
    }
    QString failure() const
    {
        std::lock_guard lock(m_mutex);
        return m_failure;
    }

private:
    mutable std::mutex m_mutex;
    std::optional<std::pair<QString, qint64>> m_token;
    QString m_failure;
};

// The CBS tokens of one event hub connection: made here from a key (and made again before they
// lapse), or ready-made ones (IoT Central's) for which the owner is asked in time. The AMQP thread;
// the inbox takes offers from any thread.
class TokenKeeper {
public:
    TokenKeeper(EventHubTarget target, int lifetimeSeconds);

    bool makesTokens() const { return !m_target.key.isEmpty(); }
    const std::shared_ptr<TokenInbox>& inbox() const { return m_inbox; }
    // The token to put now, and its expiry (seconds since the epoch), remembered for renewal.
    std::pair<QString, qint64> current();
    // $cbs took the current token: renewal falls due at 80% of its life, 2 s before it lapses at
    // the latest.
    void accepted(qint64 nowMs);
    void newConnection();

    enum class Due { Nothing, PutNew, AskOwner };
    // What the renewal needs now: put a token (made here, or a newer one that was offered) or ask
    // the owner for one. It stays due until $cbs accepts one, and is acted on again after a pause
    // (10 s, less when the token has less than 40 s left).
    Due due(qint64 nowMs);

    // Moves an offered token that is newer than the one in hand into use; true when it did.
    bool takeOffered();
    qint64 expiryInHand() const { return makesTokens() ? m_expiry : m_target.tokenExpiry; }
    // Whether the token in hand stays valid a while longer (a reconnect can use it).
    bool holdsValidToken(qint64 nowMs, qint64 marginMs) const;

private:
    EventHubTarget m_target;
    int m_lifetimeSeconds;
    std::shared_ptr<TokenInbox> m_inbox = std::make_shared<TokenInbox>();
    qint64 m_expiry = 0; // of the token put last
    qint64 m_renewAtMs = 0; // 0 = none due
    qint64 m_actedAtMs = 0; // when due() last said to put or ask
    bool m_newerInHand = false; // an offered token not yet put
};

} // namespace iotc
