#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace iotc {

// Hands work from one thread to another in order, holding at most `capacity` items: push() waits
// while it is full (so a fast producer cannot run ahead without bound), pop() waits for the next
// item and returns nullopt once close() was called and everything before it was taken.
template <class T> class Handoff {
public:
    explicit Handoff(size_t capacity)
        : m_capacity(capacity ? capacity : 1)
    {
    }

    void push(T item)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_items.size() < m_capacity || m_closed; });
        if (m_closed)
            return; // (the taker is gone: nothing would take it)
        m_items.push_back(std::move(item));
        m_notEmpty.notify_one();
    }

    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return !m_items.empty() || m_closed; });
        if (m_items.empty())
            return std::nullopt;
        T item = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return item;
    }

    // No more items: pop() returns what is left, then nullopt; push() takes nothing more.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_notEmpty.notify_all();
        m_notFull.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<T> m_items;
    size_t m_capacity;
    bool m_closed = false;
};

} // namespace iotc
