#pragma once

#include <chrono>
#include <mutex>

namespace iotc {

// Spaces out the starts of requests so that, together, they stay within a rate (IoT Central's
// REST API allows 20 requests a second per application, its query API 1). Shared by every client
// that should count against the same budget; thread-safe. A request asks reserve() before each
// attempt and waits what it answers.
class RequestPacer {
public:
    explicit RequestPacer(double requestsPerSecond);

    // Books the next free slot and returns how long until it (zero when it is now).
    std::chrono::milliseconds reserve();
    double requestsPerSecond() const { return m_rate; }

private:
    using Clock = std::chrono::steady_clock;
    std::mutex m_mutex;
    double m_rate;
    Clock::duration m_interval;
    Clock::time_point m_next {};
};

} // namespace iotc
