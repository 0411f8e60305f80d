#pragma once

// Test helper: the events a consumer delivers, until count arrived, it failed, or the time is up.
#include "eventhub/eventhubconsumer.h"

#include <QTest>

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

} // namespace iotc::test
