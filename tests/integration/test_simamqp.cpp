// The simulated Event Hubs-compatible endpoint, driven by a real Proton client.
#include "amqptestclient.h"
#include "simfixture.h"

#include <gtest/gtest.h>
#include <proton/codec/map.hpp>
#include <proton/codec/vector.hpp>

#include <set>

using namespace iotc;
using namespace iotc::test;

namespace {

class SimAmqp : public QuietSimSuite<SimAmqp> {
protected:
    static void SetUpTestSuite()
    {
        QuietSimSuite<SimAmqp>::SetUpTestSuite();
        hub = eventHubOf(e);
    }
    static AmqpScript script()
    {
        AmqpScript s;
        s.hostPort = hub.hostPort.toStdString();
        s.putToken = std::make_pair(audienceOf(hub), tokenFor(hub, secondsFromNow(std::chrono::minutes(10))));
        s.timeoutMs = 8000;
        return s;
    }
    static int partitionOf(const char* device)
    {
        return sim::EventStore::partitionFor(QLatin1String(device), app->store().partitionCount());
    }

    static inline SimHubAccess hub;
};

TEST_F(SimAmqp, CbsAcceptsAValidToken)
{
    auto s = script();
    const auto r = runAmqp(s);
    EXPECT_EQ(r.cbsStatus, 202) << r.cbsDescription;
}

TEST_F(SimAmqp, CbsRejectsBadSignatureExpiryAndAudience)
{
    auto s = script();
    s.putToken->second = tokenFor(hub, secondsFromNow(std::chrono::minutes(10)), "not-the-key");
    auto r = runAmqp(s);
    EXPECT_EQ(r.cbsStatus, 401);
    EXPECT_NE(r.cbsDescription.find("signature"), std::string::npos) << r.cbsDescription;

    s = script();
    s.putToken->second = tokenFor(hub, secondsFromNow(std::chrono::seconds(-60)));
    r = runAmqp(s);
    EXPECT_EQ(r.cbsStatus, 401);
    EXPECT_NE(r.cbsDescription.find("expired"), std::string::npos) << r.cbsDescription;

    s = script();
    s.putToken->first = "sb://127.0.0.1/some-other-hub";
    s.putToken->second = makeSasToken(QStringLiteral("sb://127.0.0.1/some-other-hub"), hub.key, SasKeyKind::RawText,
        secondsFromNow(std::chrono::minutes(5)), QStringLiteral("service"))
                             .toStdString();
    r = runAmqp(s);
    EXPECT_EQ(r.cbsStatus, 401);
    EXPECT_NE(r.cbsDescription.find("audience"), std::string::npos) << r.cbsDescription;
}

TEST_F(SimAmqp, ManagementReadsTheHubAndAPartition)
{
    auto s = script();
    s.managementType = "com.microsoft:eventhub";
    s.managementName = hub.entityPath.toStdString();
    auto r = runAmqp(s);
    ASSERT_EQ(r.managementStatus, 200);
    EXPECT_EQ(proton::coerce<int64_t>(r.management["partition_count"]), 4);
    EXPECT_EQ(proton::get<std::vector<std::string>>(r.management["partition_ids"]),
        (std::vector<std::string> { "0", "1", "2", "3" }));
    EXPECT_EQ(r.management["created_at"].type(), proton::TIMESTAMP);

    app->injectTelemetry(QStringLiteral("healthy-controller"), 2);
    const int p = partitionOf("healthy-controller");
    s.managementType = "com.microsoft:partition";
    s.managementPartition = std::to_string(p);
    r = runAmqp(s);
    ASSERT_EQ(r.managementStatus, 200);
    EXPECT_EQ(proton::get<std::string>(r.management["partition"]), std::to_string(p));
    EXPECT_GE(proton::coerce<int64_t>(r.management["last_enqueued_sequence_number"]), 1);
    EXPECT_FALSE(proton::get<bool>(r.management["is_partition_empty"]));
    EXPECT_EQ(r.management["last_enqueued_time_utc"].type(), proton::TIMESTAMP);

    s.putToken.reset();
    r = runAmqp(s);
    EXPECT_EQ(r.managementStatus, 401) << "no token, no answer";
}

TEST_F(SimAmqp, ReceiveFromTheBeginningWithIotHubAnnotations)
{
    const int p = partitionOf("healthy-controller");
    const auto before = app->store().info(p);
    app->injectTelemetry(QStringLiteral("healthy-controller"), 3);
    auto s = script();
    s.receiveAddress = partitionAddress(hub, p);
    s.selector = selectorAfterSequence(before.lastSequence);
    s.receiveCount = 3;
    const auto r = runAmqp(s);
    ASSERT_EQ(r.events.size(), 3u) << r.linkError << r.connectionError;
    const auto& first = r.events[0];
    EXPECT_EQ(first.annotations.at("iothub-connection-device-id"), "healthy-controller");
    EXPECT_EQ(first.annotations.at("iothub-message-source"), "Telemetry");
    EXPECT_EQ(first.annotations.at("dt-dataschema"), "dtmi:com:example:TemperatureController;2");
    EXPECT_TRUE(first.annotations.count("iothub-enqueuedtime"));
    EXPECT_TRUE(first.annotations.count("x-opt-offset"));
    EXPECT_TRUE(first.enqueuedTimeIsTimestamp);
    EXPECT_NE(first.annotations.at("iothub-connection-auth-method").find("\"scope\":\"device\""), std::string::npos);
    EXPECT_EQ(first.contentType, "application/json");
    EXPECT_EQ(first.contentEncoding, "utf-8");
    // The healthy controller cycles thermostat1, thermostat2, root telemetry.
    std::set<std::string> subjects;
    for (const auto& ev : r.events)
        subjects.insert(ev.annotations.count("dt-subject") ? ev.annotations.at("dt-subject") : std::string("(root)"));
    EXPECT_EQ(subjects, (std::set<std::string> { "thermostat1", "thermostat2", "(root)" }));
    EXPECT_EQ(r.events[1].sequenceNumber, r.events[0].sequenceNumber + 1);
}

TEST_F(SimAmqp, ResumeFromASequenceNumberHasNoGapAndNoDuplicate)
{
    const int p = partitionOf("string-for-double");
    const int64_t start = app->store().info(p).lastSequence;
    app->injectTelemetry(QStringLiteral("string-for-double"), 40);
    auto s = script();
    s.receiveAddress = partitionAddress(hub, p);
    s.selector = selectorAfterSequence(start);
    s.receiveCount = 15;
    const auto first = runAmqp(s);
    ASSERT_EQ(first.events.size(), 15u);
    s.selector = selectorAfterSequence(first.events.back().sequenceNumber);
    s.receiveCount = 25;
    const auto second = runAmqp(s);
    ASSERT_EQ(second.events.size(), 25u);
    std::vector<int64_t> seen;
    for (const auto* part : { &first, &second })
        for (const auto& ev : part->events)
            seen.push_back(ev.sequenceNumber);
    for (size_t i = 0; i < seen.size(); ++i)
        EXPECT_EQ(seen[i], start + 1 + static_cast<int64_t>(i));
}

TEST_F(SimAmqp, StartFromEnqueuedTime)
{
    const int p = partitionOf("wrong-casing");
    // Enqueued times set explicitly: two events at the cut, two after it.
    const int64_t cut = QDateTime::currentMSecsSinceEpoch() + 3600000;
    for (int64_t t : { cut, cut, cut + 10, cut + 20 }) {
        sim::StoredEvent ev;
        ev.deviceId = QStringLiteral("wrong-casing");
        ev.body = "{\"Temperature\": 1}";
        app->store().append(ev, t);
    }
    auto s = script();
    s.receiveAddress = partitionAddress(hub, p);
    s.selector = "amqp.annotation.x-opt-enqueued-time > '" + std::to_string(cut) + "'";
    s.receiveCount = 2;
    const auto r = runAmqp(s);
    ASSERT_EQ(r.events.size(), 2u);
    for (const auto& ev : r.events)
        EXPECT_GT(std::stoll(ev.annotations.at("x-opt-enqueued-time")), cut);
}

TEST_F(SimAmqp, ReceiverWithoutTokenOrBadPartitionIsRefused)
{
    auto s = script();
    s.putToken.reset();
    s.receiveAddress = partitionAddress(hub, 0);
    auto r = runAmqp(s);
    EXPECT_EQ(r.linkError, "amqp:unauthorized-access");
    s = script();
    s.receiveAddress = partitionAddress(hub, 9);
    r = runAmqp(s);
    EXPECT_EQ(r.linkError, "com.microsoft:argument-out-of-range");
    s = script();
    s.receiveAddress = "no-such-hub/ConsumerGroups/$Default/Partitions/0";
    r = runAmqp(s);
    EXPECT_EQ(r.linkError, "amqp:not-found");
}

TEST_F(SimAmqp, TokenExpiryClosesTheConnection)
{
    auto s = script();
    s.putToken->second = tokenFor(hub, secondsFromNow(std::chrono::seconds(2)));
    s.receiveAddress = partitionAddress(hub, 0);
    s.timeoutMs = 10000;
    const auto r = runAmqp(s);
    EXPECT_EQ(r.cbsStatus, 202);
    EXPECT_FALSE(r.timedOut) << "the server closed it before the client gave up";
    EXPECT_EQ(r.connectionError, "amqp:unauthorized-access");
}

TEST_F(SimAmqp, TestHookDropsConnections)
{
    auto s = script();
    s.receiveAddress = partitionAddress(hub, 1);
    s.timeoutMs = 10000;
    s.onReceiverOpen = [] { app->eventHub().dropConnections(); };
    const auto r = runAmqp(s);
    EXPECT_FALSE(r.timedOut);
    EXPECT_EQ(r.connectionError, "amqp:connection:forced");
}

} // namespace
