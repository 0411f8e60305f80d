#pragma once

// Test helpers: the events a consumer delivers, until count arrived, it failed, or the time is up;
// waiting until every partition receives.
#include "eventhub/eventhubconsumer.h"

#include <QTest>

#include <algorithm>
#include <iterator>
#include <vector>

namespace iotc::test {

inline std::vector<TelemetryEvent> collectEvents(EventHubConsumer& c, size_t count, int timeoutMs = 15000)
{
    std::vector<TelemetryEvent> all;
    (void)QTest::qWaitFor(
        [&] {
            auto batch = c.take(100000);
            std::move(batch.begin(), batch.end(), std::back_inserter(all));
            return all.size() >= count || !c.fatalError().isEmpty();
        },
        timeoutMs);
    return all;
}

// Waits until the consumer reads every partition (the simulated hub has four).
inline bool allReceiving(const EventHubConsumer& consumer, int timeoutMs = 15000)
{
    return QTest::qWaitFor(
        [&] {
            const auto ps = consumer.partitions();
            return ps.size() == 4 && std::all_of(ps.begin(), ps.end(), [](const PartitionState& p) {
                return p.state == PartitionState::State::Receiving;
            });
        },
        timeoutMs);
}

} // namespace iotc::test
