// The Event Hubs consumer against the simulated endpoint: decoding, start positions, CBS refusal,
// token renewal with IoT Central's ready-made tokens, and a failing partition. (Renewal with a key,
// and reconnects without loss or duplicates, are tested on every transport: test_consumertransports.)
#include "collectevents.h"
#include "simfixture.h"

#include "central/centralclient.h"
#include "eventhub/eventhubconsumer.h"
#include "monitor/tokenrenewal.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace iotc;
using namespace iotc::test;

namespace {

// A simulated app that sends only what a test injects.
sim::SimOptions quiet()
{
    sim::SimOptions o;
    o.rateHz = 0;
    o.extraRateHz = 0;
    return o;
}

class Consumer : public ::testing::Test {
protected:
    void SetUp() override
    {
        sim::SimOptions o = quiet();
        o.extraDevices = 40;
        app = std::make_unique<sim::SimulatedApp>(o);
        e = app->start();
        QString error;
        auto t = EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);
        ASSERT_TRUE(t) << error.toStdString();
        target = *t;
    }

    static std::vector<TelemetryEvent> collect(EventHubConsumer& c, size_t count, int timeoutMs = 15000)
    {
        return iotc::test::collectEvents(c, count, timeoutMs);
    }

    int inject(const char* device, int n) { return app->injectTelemetry(QLatin1String(device), n); }

    std::unique_ptr<sim::SimulatedApp> app;
    sim::SimEndpoints e;
    EventHubTarget target;
};

TEST_F(Consumer, ConnectionStringParsing)
{
    EXPECT_EQ(target.entityPath, eventHubOf(e).entityPath);
    EXPECT_FALSE(target.tls) << "loopback is plain amqp";
    EXPECT_EQ(target.keyName, QStringLiteral("service"));
    QString error;
    EXPECT_FALSE(EventHubTarget::fromConnectionString(
        QStringLiteral("Endpoint=sb://x.servicebus.windows.net/;SharedAccessKey=k"), error));
    EXPECT_TRUE(error.contains(QStringLiteral("EntityPath"))) << error.toStdString();
    auto hub = EventHubTarget::fromConnectionString(
        QStringLiteral("Endpoint=sb://ihsuprod.servicebus.windows.net/"
                       ";SharedAccessKeyName=iothubowner;SharedAccessKey=abc=;EntityPath=iothub-ehub-x"),
        error);
    ASSERT_TRUE(hub);
    EXPECT_TRUE(hub->tls);
    EXPECT_EQ(hub->port(), 5671);
    EXPECT_EQ(hub->audience(), QStringLiteral("sb://ihsuprod.servicebus.windows.net/iothub-ehub-x"));
}

TEST_F(Consumer, ReceivesFromAllPartitionsWithEveryAnnotation)
{
    std::map<QString, int> sent;
    for (const char* d : { "healthy-controller", "wrong-casing", "edge-gateway-old", "no-content-type",
             "sim-device-000001", "sim-device-000002", "sim-device-000003", "sim-device-000004" })
        sent[QLatin1String(d)] = inject(d, 5);
    std::set<int> partitionsUsed;
    for (const auto& [d, n] : sent)
        partitionsUsed.insert(sim::EventStore::partitionFor(d, 4));
    ASSERT_GE(partitionsUsed.size(), 2u);

    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    EventHubConsumer consumer(target, options);
    consumer.start();
    const auto events = collect(consumer, 40);
    ASSERT_EQ(events.size(), 40u) << consumer.fatalError().toStdString();
    std::map<QString, int> got;
    for (const auto& ev : events)
        got[ev.deviceId]++;
    EXPECT_EQ(got, sent);
    std::set<int> partitions;
    for (const auto& p : consumer.partitions()) {
        EXPECT_EQ(p.state, PartitionState::State::Receiving) << p.partition;
        partitions.insert(p.partition);
    }
    EXPECT_EQ(partitions, (std::set<int> { 0, 1, 2, 3 }));
    const auto edge = std::find_if(events.begin(), events.end(),
        [](const TelemetryEvent& ev) { return ev.deviceId == QLatin1String("edge-gateway-old"); });
    ASSERT_NE(edge, events.end());
    EXPECT_EQ(edge->moduleId, QStringLiteral("sensor"));
    EXPECT_EQ(edge->component, QStringLiteral("probe"));
    EXPECT_EQ(edge->messageSource, QStringLiteral("Telemetry"));
    EXPECT_TRUE(edge->authMethod.contains(QStringLiteral("module")));
    EXPECT_GT(edge->enqueuedMs, 0);
    EXPECT_FALSE(edge->offset.isEmpty());
    EXPECT_EQ(edge->contentType, QStringLiteral("application/json"));
    const auto bare = std::find_if(events.begin(), events.end(),
        [](const TelemetryEvent& ev) { return ev.deviceId == QLatin1String("no-content-type"); });
    EXPECT_FALSE(bare->contentType.has_value());
    const auto pnp = std::find_if(events.begin(), events.end(),
        [](const TelemetryEvent& ev) { return ev.deviceId == QLatin1String("healthy-controller"); });
    EXPECT_EQ(pnp->modelId, QStringLiteral("dtmi:com:example:TemperatureController;2"));
    EXPECT_TRUE(pnp->body.startsWith('{'));
}

TEST_F(Consumer, AFullQueueDropsTheOldestAndCountsThem)
{
    // Nobody takes while 1,000 events arrive; the queue keeps the newest 100 and counts the rest.
    ASSERT_EQ(inject("healthy-controller", 1000), 1000);
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    options.queueCapacity = 100;
    options.credit = 64; // several credit top-ups on the way
    EventHubConsumer consumer(target, options);
    consumer.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            qint64 received = 0;
            for (const auto& p : consumer.partitions())
                received += p.received;
            return received == 1000;
        },
        15000))
        << consumer.fatalError().toStdString();
    EXPECT_EQ(consumer.dropped(), 900u);
    const auto kept = consumer.take(100000);
    ASSERT_EQ(kept.size(), 100u);
    for (size_t i = 1; i < kept.size(); ++i)
        EXPECT_EQ(kept[i].sequenceNumber, kept[i - 1].sequenceNumber + 1) << "in order, none missing";
    qint64 last = -1;
    for (const auto& p : consumer.partitions())
        last = std::max(last, p.lastSequence);
    EXPECT_EQ(kept.back().sequenceNumber, last) << "the newest are the ones kept";
    EXPECT_TRUE(consumer.take().empty());
}

TEST_F(Consumer, StartPositionsAndDeviceFilter)
{
    inject("healthy-controller", 3);
    ConsumerOptions options; // latest: only what arrives after the receivers attach
    options.deviceFilter = QStringLiteral("healthy-*");
    EventHubConsumer consumer(target, options);
    consumer.start();
    ASSERT_TRUE(allReceiving(consumer));
    inject("wrong-casing", 2);
    inject("healthy-controller", 2);
    const auto events = collect(consumer, 2);
    ASSERT_EQ(events.size(), 2u);
    for (const auto& ev : events)
        EXPECT_EQ(ev.deviceId, QStringLiteral("healthy-controller"));
    EXPECT_TRUE(consumer.take().empty()) << "the 3 older events are not replayed";

    ConsumerOptions fromMinutesAgo;
    fromMinutesAgo.start = ConsumerStart::minutesAgo(5);
    EventHubConsumer lookback(target, fromMinutesAgo);
    lookback.start();
    EXPECT_EQ(collect(lookback, 7).size(), 7u) << "everything of the last five minutes";
}

TEST_F(Consumer, FromLatestAReconnectBeforeTheFirstEventLosesNothing)
{
    EventHubConsumer consumer(target, {}); // from "latest"
    consumer.start();
    ASSERT_TRUE(allReceiving(consumer));
    app->eventHub().dropConnections();
    inject("healthy-controller", 3); // sent while the consumer is reconnecting
    EXPECT_EQ(collect(consumer, 3).size(), 3u);
    EXPECT_EQ(consumer.reconnects(), 1);
}

TEST_F(Consumer, RefusedTokenIsExplainedAndFinal)
{
    EventHubTarget wrong = target;
    wrong.key = "not-the-key";
    EventHubConsumer consumer(wrong, {});
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    consumer.start();
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(consumer.fatalError().contains(QStringLiteral("refused the token")))
        << consumer.fatalError().toStdString();
    EXPECT_TRUE(consumer.fatalError().contains(QStringLiteral("SharedAccessKey")));
    for (const auto& p : consumer.partitions())
        EXPECT_EQ(p.state, PartitionState::State::Error);
}

TEST_F(Consumer, AFailingPartitionIsReportedWhileOthersContinue)
{
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    EventHubConsumer consumer(target, options);
    consumer.start();
    ASSERT_TRUE(allReceiving(consumer));
    app->eventHub().failPartition(2, "amqp:link:stolen", "New receiver with higher epoch connected");
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            for (const auto& p : consumer.partitions())
                if (p.partition == 2 && p.state == PartitionState::State::Error)
                    return true;
            return false;
        },
        10000));
    for (const auto& p : consumer.partitions()) {
        if (p.partition == 2) {
            EXPECT_EQ(p.condition, QStringLiteral("amqp:link:stolen"));
            EXPECT_TRUE(p.description.contains(QStringLiteral("consumer group"))) << p.description.toStdString();
        } else {
            EXPECT_EQ(p.state, PartitionState::State::Receiving) << p.partition;
        }
    }
    // Devices on the other partitions still get through.
    QString other;
    for (int n = 1; n <= 40 && other.isEmpty(); ++n) {
        const QString id = QStringLiteral("sim-device-%1").arg(n, 6, 10, QLatin1Char('0'));
        if (sim::EventStore::partitionFor(id, 4) != 2)
            other = id;
    }
    app->injectTelemetry(other, 2);
    EXPECT_EQ(collect(consumer, 2).size(), 2u);
}

} // namespace

namespace {

// An app whose event hub tokens (generateEventSasTokens) live four seconds.
struct ShortTokenApp {
    ShortTokenApp()
    {
        sim::SimOptions o = quiet();
        o.tokenLifetimeSeconds = 4;
        app = std::make_unique<sim::SimulatedApp>(o);
        e = app->start();
        auto profile = ConnectionProfile::forBaseUrl(e.baseUrl);
        profile.authorization = e.apiToken;
        client = std::make_shared<CentralClient>(profile);
        auto f = client->eventSasTokens();
        f.waitForFinished();
        QString error;
        if (f.result().ok())
            targets = EventHubTarget::fromEventSasTokens(*f.result().value, error);
    }
    // Six rounds over six seconds, three events each; how many arrived.
    size_t receiveForSixSeconds(EventHubConsumer& consumer)
    {
        QElapsedTimer clock;
        clock.start();
        size_t received = 0;
        for (int round = 0; round < 6; ++round) {
            app->injectTelemetry(QStringLiteral("healthy-controller"), 3);
            (void)QTest::qWaitFor(
                [&] {
                    received += consumer.take(1000).size();
                    return clock.elapsed() >= 1000 * (round + 1);
                },
                2000);
        }
        return received + consumer.take(1000).size();
    }
    std::unique_ptr<sim::SimulatedApp> app;
    sim::SimEndpoints e;
    std::shared_ptr<CentralClient> client;
    QList<EventHubTarget> targets;
};

} // namespace

TEST(ConsumerWithAppTokens, TheApplicationIsAskedForNewTokensBeforeTheyLapse)
{
    ShortTokenApp a;
    ASSERT_EQ(a.targets.size(), 1);
    ASSERT_TRUE(a.targets[0].key.isEmpty()) << "a ready-made token, not a key";
    EventHubConsumer consumer(a.targets[0], {});
    renewTokensThrough(a.client, &consumer, a.targets[0].entityPath);
    QSignalSpy asked(&consumer, &EventHubConsumer::tokenNeeded);
    consumer.start();
    ASSERT_TRUE(allReceiving(consumer));
    EXPECT_EQ(a.receiveForSixSeconds(consumer), 18u);
    EXPECT_GE(asked.count(), 2) << "the 4-second tokens outlived: new ones were asked for";
    EXPECT_TRUE(consumer.fatalError().isEmpty()) << consumer.fatalError().toStdString();
    EXPECT_EQ(consumer.reconnects(), 0) << "renewed in time: the connection never dropped";
}

TEST(ConsumerWithAppTokens, WithoutNewTokensTheEndIsExplained)
{
    ShortTokenApp a;
    ASSERT_EQ(a.targets.size(), 1);
    EventHubConsumer consumer(a.targets[0], {}); // nobody answers tokenNeeded
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    consumer.start();
    ASSERT_TRUE(failed.count() > 0 || failed.wait(10000)) << "the lapsed token ends the monitor";
    const auto why = consumer.fatalError().toStdString();
    EXPECT_NE(why.find("ExpiredToken"), std::string::npos) << why;
    EXPECT_NE(why.find("IoT Central's tokens expire"), std::string::npos) << why;
}

TEST(ConsumerUnreachable, AnEndpointThatNeverAnswersEndsAfterTheTimeWithoutReceiving)
{
    // A port that accepts the connection and then says nothing (a half-open proxy, a wrong service):
    // no partition ever receives, so after unreachableAfterMs the consumer gives up, saying why.
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost));
    QString error;
    const auto target = EventHubTarget::fromConnectionString(QStringLiteral("Endpoint=sb://127.0.0.1:%1/;"
                                                                            "SharedAccessKeyName=s;SharedAccessKey="
                                                                            "a2V5;EntityPath=hub")
                                                                 .arg(silent.serverPort()),
        error);
    ASSERT_TRUE(target) << error.toStdString();
    ConsumerOptions options;
    options.unreachableAfterMs = 1500;
    EventHubConsumer consumer(*target, options);
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    QElapsedTimer clock;
    clock.start();
    consumer.start();
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_GE(clock.elapsed(), 1400) << "not before the time was up";
    const auto why = consumer.fatalError().toStdString();
    EXPECT_NE(why.find("no partition started receiving within 1.5 s"), std::string::npos) << why;
    EXPECT_EQ(consumer.reconnects(), 0) << "the connection itself never failed";
}
