#include "eventstore.h"

#include <QDateTime>

#include <algorithm>
#include <regex>

namespace iotc::sim {

std::optional<StartPosition> parseSelector(const std::string& expression)
{
    static const std::regex pattern(
        R"(^\s*amqp\.annotation\.(x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time|x-opt-enqueuedtimeutc)\s*(>=|>)\s*'?([^']*)'?\s*$)");
    std::smatch m;
    if (!std::regex_match(expression, m, pattern))
        return std::nullopt;
    StartPosition p;
    p.inclusive = m[2] == ">=";
    const std::string field = m[1];
    const std::string value = m[3];
    if (field == "x-opt-offset") {
        if (value == "@latest") {
            p.kind = StartPosition::Latest;
            return p;
        }
        if (value == "-1") {
            p.kind = StartPosition::Beginning;
            return p;
        }
        p.kind = StartPosition::Offset;
    } else if (field == "x-opt-sequence-number") {
        p.kind = StartPosition::SequenceNumber;
    } else {
        p.kind = StartPosition::EnqueuedTime;
    }
    try {
        size_t used = 0;
        p.value = std::stoll(value, &used);
        if (used != value.size())
            return std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
    return p;
}

EventStore::EventStore(int partitions, size_t retentionPerPartition)
    : m_partitions(static_cast<size_t>(std::max(1, partitions)))
    , m_retention(std::max<size_t>(1, retentionPerPartition))
{
}

int EventStore::partitionFor(const QString& deviceId, int partitions)
{
    // FNV-1a over the UTF-8 id: stable across runs and platforms.
    uint32_t h = 2166136261u;
    for (const char c : deviceId.toUtf8()) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return static_cast<int>(h % static_cast<uint32_t>(std::max(1, partitions)));
}

EventPtr EventStore::append(StoredEvent event, std::optional<int64_t> enqueuedMs)
{
    const int partition = partitionFor(event.deviceId, partitionCount());
    EventPtr stored;
    std::vector<std::function<void(int)>> listeners;
    {
        std::lock_guard lock(m_mutex);
        auto& p = m_partitions[static_cast<size_t>(partition)];
        event.sequenceNumber = p.nextSequence++;
        event.offset = p.nextOffset;
        p.nextOffset += event.body.size() + 64; // offsets grow by the stored size, as on Event Hubs
        event.enqueuedMs = enqueuedMs.value_or(QDateTime::currentMSecsSinceEpoch());
        stored = std::make_shared<const StoredEvent>(std::move(event));
        p.events.push_back(stored);
        while (p.events.size() > m_retention)
            p.events.pop_front();
        for (const auto& l : m_listeners)
            listeners.push_back(l.second);
    }
    for (const auto& l : listeners)
        l(partition);
    return stored;
}

int64_t EventStore::firstSequenceFor(int partition, const StartPosition& start) const
{
    std::lock_guard lock(m_mutex);
    const auto& p = m_partitions.at(static_cast<size_t>(partition));
    const int64_t begin = p.events.empty() ? p.nextSequence : p.events.front()->sequenceNumber;
    switch (start.kind) {
    case StartPosition::Latest:
        return p.nextSequence;
    case StartPosition::Beginning:
        return begin;
    case StartPosition::SequenceNumber:
        return std::max(begin, start.inclusive ? start.value : start.value + 1);
    case StartPosition::Offset:
    case StartPosition::EnqueuedTime: {
        const bool byOffset = start.kind == StartPosition::Offset;
        auto it = std::find_if(p.events.begin(), p.events.end(), [&](const EventPtr& e) {
            const int64_t v = byOffset ? e->offset : e->enqueuedMs;
            return start.inclusive ? v >= start.value : v > start.value;
        });
        return it == p.events.end() ? p.nextSequence : (*it)->sequenceNumber;
    }
    }
    return p.nextSequence;
}

std::vector<EventPtr> EventStore::read(int partition, int64_t from, size_t max) const
{
    std::vector<EventPtr> out;
    std::lock_guard lock(m_mutex);
    const auto& p = m_partitions.at(static_cast<size_t>(partition));
    if (p.events.empty() || from >= p.nextSequence)
        return out;
    const int64_t first = p.events.front()->sequenceNumber;
    size_t index = from <= first ? 0 : static_cast<size_t>(from - first);
    for (; index < p.events.size() && out.size() < max; ++index)
        out.push_back(p.events[index]);
    return out;
}

EventStore::PartitionInfo EventStore::info(int partition) const
{
    std::lock_guard lock(m_mutex);
    const auto& p = m_partitions.at(static_cast<size_t>(partition));
    PartitionInfo i;
    i.beginSequence = p.events.empty() ? p.nextSequence : p.events.front()->sequenceNumber;
    i.lastSequence = p.nextSequence - 1;
    i.empty = p.events.empty();
    if (!p.events.empty()) {
        i.lastOffset = p.events.back()->offset;
        i.lastEnqueuedMs = p.events.back()->enqueuedMs;
    }
    return i;
}

int EventStore::addListener(std::function<void(int)> listener)
{
    std::lock_guard lock(m_mutex);
    const int id = m_nextListener++;
    m_listeners.emplace_back(id, std::move(listener));
    return id;
}

void EventStore::removeListener(int id)
{
    std::lock_guard lock(m_mutex);
    m_listeners.erase(
        std::remove_if(m_listeners.begin(), m_listeners.end(), [id](const auto& l) { return l.first == id; }),
        m_listeners.end());
}

} // namespace iotc::sim
