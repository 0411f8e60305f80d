// The Event Hubs consumer over TLS (QSslSocket under Proton's connection driver): events read
// through a TLS front whose CA the consumer is given, reconnects over TLS without loss, and each
// certificate failure (untrusted root, another host's certificate, an expired one) refused in words
// with no event and no retry; a port that does not speak TLS is a failed handshake.
#include "collectevents.h"
#include "simfixture.h"
#include "tlsrelay.h"

#include "eventhub/eventhubconsumer.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include <algorithm>

using namespace iotc;
using namespace iotc::test;

namespace {

class ConsumerTls : public ::testing::Test {
protected:
    void SetUp() override
    {
        sim::SimOptions o;
        o.rateHz = 0;
        o.extraRateHz = 0;
        app = std::make_unique<sim::SimulatedApp>(o);
        e = app->start();
        QString error;
        auto t = EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);
        ASSERT_TRUE(t) << error.toStdString();
        plain = *t;
    }

    // The simulator's hub, reached over TLS at localhost:port.
    EventHubTarget overTls(quint16 port) const
    {
        EventHubTarget t = plain;
        t.host = QStringLiteral("localhost:%1").arg(port);
        t.tls = true;
        return t;
    }

    static std::vector<TelemetryEvent> collect(EventHubConsumer& c, size_t count, int timeoutMs = 15000)
    {
        return iotc::test::collectEvents(c, count, timeoutMs);
    }

    std::unique_ptr<sim::SimulatedApp> app;
    sim::SimEndpoints e;
    EventHubTarget plain;
};

TEST_F(ConsumerTls, ReadsOverTlsWithTheCaItIsGivenAndResumesAfterADrop)
{
    TlsRelay relay(QStringLiteral("localhost"), plain.port());
    ASSERT_TRUE(relay.valid());
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 10), 10);
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    options.network.extraCaCertificates = { testCa() };
    EventHubConsumer consumer(overTls(relay.port()), options);
    consumer.start();
    auto events = collect(consumer, 10);
    ASSERT_EQ(events.size(), 10u) << consumer.fatalError().toStdString();
    EXPECT_EQ(relay.relayed(), 1) << "one TLS connection carried it";
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto ps = consumer.partitions();
            return ps.size() == 4 && std::all_of(ps.begin(), ps.end(), [](const PartitionState& p) {
                return p.state == PartitionState::State::Receiving;
            });
        },
        10000));

    // The network breaks under the TLS connection: a new one, resumed after the last event.
    relay.dropAll();
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 5), 5);
    auto more = collect(consumer, 5);
    ASSERT_EQ(more.size(), 5u) << consumer.fatalError().toStdString();
    EXPECT_EQ(consumer.reconnects(), 1);
    EXPECT_EQ(relay.relayed(), 2);
    EXPECT_EQ(more.front().sequenceNumber, events.back().sequenceNumber + 1) << "none lost, none twice";
    EXPECT_TRUE(consumer.take().empty());
}

TEST_F(ConsumerTls, EachCertificateFailureIsRefusedInWordsWithoutEventsOrRetries)
{
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 3), 3);
    struct Case {
        const char* certificate;
        bool trustTheCa;
        std::vector<const char*> words;
    };
    const Case cases[] = {
        { "localhost", false,
            { "chain ends at 'IoTC Test Inspection CA', which this system does not trust",
                "a proxy may be inspecting TLS", "--ca-file" } },
        { "wronghost", true, { "presented for localhost is for 'wrong.example'", "not for localhost" } },
        { "expired", true, { "TLS certificate of localhost ('localhost') expired on 2021-01-01", "date and time" } },
    };
    for (const auto& c : cases) {
        TlsRelay relay(QLatin1String(c.certificate), plain.port());
        ASSERT_TRUE(relay.valid()) << c.certificate;
        ConsumerOptions options;
        options.start.kind = ConsumerStart::Kind::Beginning;
        if (c.trustTheCa)
            options.network.extraCaCertificates = { testCa() };
        EventHubConsumer consumer(overTls(relay.port()), options);
        QSignalSpy failed(&consumer, &EventHubConsumer::failed);
        QElapsedTimer clock;
        clock.start();
        consumer.start();
        ASSERT_TRUE(failed.wait(10000)) << c.certificate;
        EXPECT_LT(clock.elapsed(), 5000) << c.certificate << ": refused at once, not after the time to reach it";
        const std::string why = consumer.fatalError().toStdString();
        for (const char* w : c.words)
            EXPECT_NE(why.find(w), std::string::npos) << c.certificate << ": " << why;
        EXPECT_NE(why.find("The event hub at localhost could not be read"), std::string::npos) << why;
        EXPECT_EQ(why.find("ignore"), std::string::npos) << "never an offer to ignore it: " << why;
        EXPECT_EQ(consumer.reconnects(), 0) << c.certificate << ": the same certificate would come again";
        EXPECT_TRUE(consumer.take().empty()) << c.certificate;
        EXPECT_EQ(relay.relayed(), 0) << c.certificate << ": no AMQP byte went past the refused handshake";
        for (const auto& p : consumer.partitions())
            EXPECT_EQ(p.state, PartitionState::State::Error);
    }
}

TEST_F(ConsumerTls, APortThatDoesNotSpeakTlsIsAFailedHandshake)
{
    // TLS to the simulator's plain AMQP port: the handshake fails, is tried once more, then the
    // consumer ends saying so.
    EventHubConsumer consumer(overTls(plain.port()), {});
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    consumer.start();
    ASSERT_TRUE(failed.wait(10000));
    const std::string why = consumer.fatalError().toStdString();
    EXPECT_NE(
        why.find("the TLS handshake with localhost:" + std::to_string(plain.port()) + " failed"), std::string::npos)
        << why;
    EXPECT_NE(why.find("TLS 1.2 or later"), std::string::npos) << why;
    EXPECT_EQ(consumer.reconnects(), 1) << why;
}

} // namespace
