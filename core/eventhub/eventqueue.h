#pragma once

#include "telemetryevent.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace iotc {

// The bounded queue between the AMQP thread and whoever takes the events: past its capacity the
// oldest event goes (the caller counts it). A vector read from a head index, so a push is a move
// and taking everything hands the whole vector over. Not locked: its owner guards it.
class EventQueue {
public:
    explicit EventQueue(size_t capacity)
        : m_capacity(std::max<size_t>(1, capacity))
    {
    }

    // Adds the event; true when the oldest one had to go to make room.
    bool push(TelemetryEvent&& event)
    {
        bool dropped = false;
        if (size() >= m_capacity) {
            m_events[m_head++] = TelemetryEvent();
            dropped = true;
            compact();
        }
        m_events.push_back(std::move(event));
        return dropped;
    }

    // Up to max of the oldest events, in order.
    std::vector<TelemetryEvent> take(size_t max)
    {
        std::vector<TelemetryEvent> out;
        const size_t n = std::min(max, size());
        if (n == 0)
            return out;
        if (m_head == 0 && n == m_events.size()) {
            out.swap(m_events);
            m_events.reserve(std::clamp<size_t>(2 * n, 1024, 32768)); // room for what the next take() finds
            return out;
        }
        const auto first = m_events.begin() + static_cast<std::ptrdiff_t>(m_head);
        out.assign(std::make_move_iterator(first), std::make_move_iterator(first + static_cast<std::ptrdiff_t>(n)));
        m_head += n;
        compact();
        return out;
    }

    size_t size() const { return m_events.size() - m_head; }
    size_t held() const { return m_events.size(); } // waiting ones and taken ones not yet forgotten

private:
    // Forgets the taken or dropped events in front once they are half of the vector.
    void compact()
    {
        if (m_head == m_events.size()) {
            m_events.clear();
            m_head = 0;
        } else if (m_head >= 64 && m_head * 2 >= m_events.size()) {
            m_events.erase(m_events.begin(), m_events.begin() + static_cast<std::ptrdiff_t>(m_head));
            m_head = 0;
        }
    }

    size_t m_capacity;
    std::vector<TelemetryEvent> m_events; // from m_head on: waiting
    size_t m_head = 0;
};

} // namespace iotc
