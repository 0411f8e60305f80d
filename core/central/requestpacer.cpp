#include "requestpacer.h"

#include <algorithm>
#include <stdexcept>

namespace iotc {

RequestPacer::RequestPacer(double requestsPerSecond)
    : m_rate(requestsPerSecond)
{
    if (!(requestsPerSecond > 0) || requestsPerSecond > 1e6)
        throw std::invalid_argument("a request pacer needs a rate above 0 and up to a million a second");
    m_interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / requestsPerSecond));
}

std::optional<std::chrono::milliseconds> RequestPacer::reserve(std::optional<std::chrono::milliseconds> within)
{
    const std::lock_guard lock(m_mutex);
    const auto now = Clock::now();
    const auto slot = std::max(now, m_next);
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(slot - now);
    if (within && wait > *within)
        return std::nullopt;
    m_next = slot + m_interval;
    ++m_booked;
    return wait;
}

quint64 RequestPacer::booked() const
{
    const std::lock_guard lock(m_mutex);
    return m_booked;
}

} // namespace iotc
