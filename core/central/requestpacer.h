#pragma once

#include <QtGlobal>

#include <chrono>
#include <mutex>
#include <optional>

namespace iotc {

// Spaces out the starts of requests so that, together, they stay within a rate (IoT Central's
// REST API allows 20 requests a second per application, its query API 1). Shared by every client
// that should count against the same budget; thread-safe. A request asks reserve() before each
// attempt and waits what it answers.
class RequestPacer {
public:
    explicit RequestPacer(double requestsPerSecond);

    // Books the next free slot and returns how long until it (zero when it is now). With within,
    // a slot further away than that is not booked: nullopt.
    std::optional<std::chrono::milliseconds> reserve(std::optional<std::chrono::milliseconds> within = std::nullopt);
    double requestsPerSecond() const { return m_rate; }
    quint64 booked() const; // slots handed out so far

private:
    using Clock = std::chrono::steady_clock;
    mutable std::mutex m_mutex;
    double m_rate;
    Clock::duration m_interval;
    Clock::time_point m_next {};
    quint64 m_booked = 0;
};

} // namespace iotc
