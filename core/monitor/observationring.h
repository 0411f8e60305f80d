#pragma once

#include "observation.h"

#include <deque>

namespace iotc {

// The most recent observations, up to a cap (default 100,000); what falls out is counted, so a
// view can say "N older messages not kept".
class ObservationRing {
public:
    explicit ObservationRing(size_t cap = 100000)
        : m_cap(cap == 0 ? 1 : cap)
    {
    }

    void append(std::vector<Observation> batch)
    {
        for (auto& o : batch) {
            if (m_items.size() == m_cap) {
                m_items.pop_front();
                ++m_evicted;
            }
            m_items.push_back(std::move(o));
        }
    }
    size_t size() const { return m_items.size(); }
    size_t cap() const { return m_cap; }
    quint64 evicted() const { return m_evicted; }
    const Observation& at(size_t i) const { return m_items.at(i); }

private:
    std::deque<Observation> m_items;
    size_t m_cap;
    quint64 m_evicted = 0;
};

} // namespace iotc
