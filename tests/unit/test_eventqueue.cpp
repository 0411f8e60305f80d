// The bounded queue between Proton's thread and the taker: order kept, the oldest dropped first,
// nothing piling up behind the head.
#include "eventhub/eventqueue.h"
#include "eventhub/notifypacer.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

TelemetryEvent numbered(qint64 n)
{
    TelemetryEvent e;
    e.sequenceNumber = n;
    return e;
}

std::vector<qint64> numbers(const std::vector<TelemetryEvent>& events)
{
    std::vector<qint64> out;
    for (const auto& e : events)
        out.push_back(e.sequenceNumber);
    return out;
}

} // namespace

TEST(EventQueue, TakesInOrderInPiecesAndWhole)
{
    EventQueue q(1000);
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(q.push(numbered(i)));
    EXPECT_EQ(numbers(q.take(3)), (std::vector<qint64> { 0, 1, 2 }));
    EXPECT_EQ(q.size(), 7u);
    q.push(numbered(10));
    EXPECT_EQ(numbers(q.take(100)), (std::vector<qint64> { 3, 4, 5, 6, 7, 8, 9, 10 }));
    EXPECT_EQ(q.size(), 0u);
    EXPECT_TRUE(q.take(5).empty());
}

TEST(EventQueue, PastCapacityTheOldestGo)
{
    EventQueue q(5);
    int dropped = 0;
    for (int i = 0; i < 200; ++i)
        dropped += q.push(numbered(i));
    EXPECT_EQ(dropped, 195);
    EXPECT_EQ(numbers(q.take(10)), (std::vector<qint64> { 195, 196, 197, 198, 199 }));
}

TEST(EventQueue, TakingLittleAtATimeKeepsUpWithALongStream)
{
    // A taker that never empties it (a diagnosis taking 2 at a time while 3 arrive): what was taken
    // is forgotten, and every event comes out once, in order.
    EventQueue q(100000);
    qint64 next = 0, expected = 0;
    for (int round = 0; round < 20000; ++round) {
        for (int i = 0; i < 3; ++i)
            q.push(numbered(next++));
        for (const auto n : numbers(q.take(2)))
            ASSERT_EQ(n, expected++);
        ASSERT_LE(q.held(), 2 * q.size() + 64) << "taken events are forgotten, round " << round;
    }
    EXPECT_EQ(q.size(), static_cast<size_t>(next - expected));
    for (const auto n : numbers(q.take(1000000)))
        ASSERT_EQ(n, expected++);
    EXPECT_EQ(expected, next);
}

TEST(NotifyPacer, TenWakeUpsASecondForATrickleThirtyForAFlood)
{
    NotifyPacer pacer;
    pacer.woken(1000);
    EXPECT_FALSE(pacer.anyWaiting());
    pacer.queued();
    EXPECT_TRUE(pacer.anyWaiting());
    EXPECT_EQ(pacer.waitMs(1040), 60) << "a trickle waits out 100 ms since the last wake-up";
    EXPECT_LE(pacer.waitMs(1100), 0);
    for (int i = 0; i < 999; ++i)
        pacer.queued();
    EXPECT_EQ(pacer.waitMs(1020), 13) << "a thousand waiting: 33 ms";
    pacer.woken(1100);
    EXPECT_FALSE(pacer.anyWaiting());
}
