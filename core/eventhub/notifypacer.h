#pragma once

#include <QtGlobal>

#include <cstddef>

namespace iotc {

// When the owner is woken for new events: at most ~10 times a second while they trickle in, up to
// ~30 when a thousand or more are waiting. Each wake-up costs more than handing over one more
// event, and a view refreshed ten times a second looks live. Bookkeeping only (no clock, no timer).
class NotifyPacer {
public:
    void queued() { ++m_waiting; }
    bool anyWaiting() const { return m_waiting > 0; }
    // How long until the owner may be woken (0 or less: now).
    qint64 waitMs(qint64 nowMs) const { return m_lastMs + (m_waiting >= 1000 ? 33 : 100) - nowMs; }
    void woken(qint64 nowMs)
    {
        m_lastMs = nowMs;
        m_waiting = 0;
    }

private:
    qint64 m_lastMs = 0;
    size_t m_waiting = 0; // queued since the owner was last woken
};

} // namespace iotc
