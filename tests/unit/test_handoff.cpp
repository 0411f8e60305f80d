// Handoff: items cross from one thread to another in order, the producer waits while it is full,
// and close() lets the taker drain what is left.
#include "util/handoff.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace iotc;

TEST(Handoff, ItemsCrossInOrderAndCloseDrainsTheRest)
{
    Handoff<int> h(3);
    std::vector<int> taken;
    std::thread taker([&] {
        while (auto v = h.pop())
            taken.push_back(*v);
    });
    for (int i = 0; i < 10000; ++i)
        h.push(i);
    h.close();
    taker.join();
    ASSERT_EQ(taken.size(), 10000u);
    for (int i = 0; i < 10000; ++i)
        ASSERT_EQ(taken[static_cast<size_t>(i)], i);
}

TEST(Handoff, AFullHandoffHoldsTheProducerBack)
{
    Handoff<int> h(2);
    h.push(1);
    h.push(2);
    std::atomic<bool> thirdIn { false };
    std::thread producer([&] {
        h.push(3);
        thirdIn = true;
    });
    // (A wait that can only end one way: the producer stays held until something is taken.)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(thirdIn.load()) << "the producer ran ahead of a full handoff";
    EXPECT_EQ(h.pop(), 1);
    producer.join();
    EXPECT_TRUE(thirdIn.load());
    EXPECT_EQ(h.pop(), 2);
    EXPECT_EQ(h.pop(), 3);
    h.close();
    EXPECT_EQ(h.pop(), std::nullopt);
    h.push(4); // after close: taken by nobody, and does not block
    EXPECT_EQ(h.pop(), std::nullopt);
}
