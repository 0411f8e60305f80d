// The one event stream against the simulated app: events read through a connection string or the
// application's own tokens, validated by the pipeline, captured, counted in its status; and every way
// it cannot go on said with a reason.
#include "simfixture.h"

#include "central/centralerror.h"
#include "monitor/capturefile.h"
#include "monitor/eventstream.h"
#include "monitor/monitorpipeline.h"
#include "monitor/templateresolver.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

using namespace iotc;
using namespace iotc::test;

namespace {

class EventStreamTest : public QuietSimSuite<EventStreamTest> {
protected:
    static std::shared_ptr<CentralClient> client(const QString& authorization = {})
    {
        auto profile = ConnectionProfile::forBaseUrl(e.baseUrl);
        profile.authorization = authorization.isEmpty() ? e.apiToken : authorization;
        return std::make_shared<CentralClient>(profile);
    }
    // Reads the simulated hub through its connection string, from the beginning (events injected
    // before the receivers attach are read too), for one device.
    static EventStreamOptions fromConnectionString(const char* device)
    {
        EventStreamOptions o;
        QString error;
        o.target = EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);
        EXPECT_TRUE(o.target) << error.toStdString();
        o.consumer.start.kind = ConsumerStart::Kind::Beginning;
        o.consumer.deviceFilter = QLatin1String(device);
        return o;
    }
    // Collects what the stream validates until count observations arrived (or the time is up).
    static std::vector<Observation> observe(EventStream& stream, size_t count, int timeoutMs = 20000)
    {
        std::vector<Observation> seen;
        QObject::connect(&stream, &EventStream::observations, &stream,
            [&](const ObservationBatch& batch) { seen.insert(seen.end(), batch->begin(), batch->end()); });
        (void)QTest::qWaitFor([&] { return seen.size() >= count; }, timeoutMs);
        return seen;
    }
};

TEST_F(EventStreamTest, EventsArriveValidatedByTheDevicesTemplateAndTheStatusShowsThePartitions)
{
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("wrong-casing"), 3), 3);
    EventStream stream(nullptr, std::make_shared<TemplateResolver>(client()), fromConnectionString("wrong-casing"));
    QSignalSpy started(&stream, &EventStream::started);
    stream.start();
    ASSERT_EQ(started.count(), 1) << "a connection string names its hub at once";
    EXPECT_EQ(started.at(0).at(0).toStringList(), stream.hubs());
    const auto seen = observe(stream, 3);
    ASSERT_EQ(seen.size(), 3u);
    for (const auto& o : seen) {
        EXPECT_EQ(o.event.deviceId, QStringLiteral("wrong-casing"));
        ASSERT_EQ(o.issues.size(), 1u);
        EXPECT_EQ(o.issues[0].code, codes::UnmodeledCapability) << "judged by the device's own template";
        EXPECT_FALSE(o.templateId.isEmpty());
    }
    EXPECT_EQ(stream.pipeline().stats().at(QStringLiteral("wrong-casing")).messages, 3);

    QSignalSpy status(&stream, &EventStream::statusChanged);
    ASSERT_TRUE(status.wait(3000)) << "the status goes out each second while reading";
    const auto s = status.last().at(0).value<MonitorStatus>();
    EXPECT_EQ(s.phase, MonitorStatus::Phase::Running);
    EXPECT_EQ(s.partitions.size(), 4u) << "the simulated hub has four partitions";
    EXPECT_EQ(s.received, 3u);
    EXPECT_TRUE(s.message.contains(stream.hubs().value(0))) << s.message.toStdString();

    stream.stop();
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Stopped);
    EXPECT_FALSE(stream.reading());
}

TEST_F(EventStreamTest, TheApplicationsTokensFindItsHubs)
{
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 2), 2);
    EventStreamOptions o;
    o.consumer.start.kind = ConsumerStart::Kind::Beginning;
    o.consumer.deviceFilter = QStringLiteral("healthy-controller");
    o.validate = false;
    EventStream stream(client(), nullptr, o);
    QSignalSpy started(&stream, &EventStream::started);
    std::vector<TelemetryEvent> events;
    QObject::connect(&stream, &EventStream::eventsReceived, &stream,
        [&](const std::vector<TelemetryEvent>& batch) { events.insert(events.end(), batch.begin(), batch.end()); });
    QSignalSpy observations(&stream, &EventStream::observations);
    stream.start();
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::GettingTokens) << "asked for, not waited for";
    ASSERT_TRUE(started.wait(10000));
    EXPECT_FALSE(started.at(0).at(0).toStringList().isEmpty());
    ASSERT_TRUE(QTest::qWaitFor([&] { return events.size() >= 2; }, 20000));
    EXPECT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].deviceId, QStringLiteral("healthy-controller"));
    EXPECT_EQ(observations.count(), 0) << "validate = false: raw events only";
}

TEST_F(EventStreamTest, ARefusedTokenRequestIsExplained)
{
    EventStream stream(
        client(QStringLiteral("SharedAccessSignature sr=x&sig=not-the-app-s&skn=y&se=9999999999")), nullptr, {});
    QSignalSpy failed(&stream, &EventStream::failed);
    QSignalSpy started(&stream, &EventStream::started);
    stream.start();
    ASSERT_TRUE(failed.wait(15000));
    const QString why = failed.at(0).at(0).toString();
    EXPECT_TRUE(why.contains(QStringLiteral("Entra ID"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("connection string"))) << why.toStdString();
    EXPECT_FALSE(why.contains(QStringLiteral("not-the-app-s"))) << "the token never appears";
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Failed);
    EXPECT_EQ(started.count(), 0);
}

TEST(EventStreamWords, OnlyARefusalSpeaksOfEntraId)
{
    CentralError refused;
    refused.kind = CentralError::Kind::Http;
    refused.httpStatus = 403;
    EXPECT_TRUE(eventHubTokensError(refused).contains(QStringLiteral("generateEventSasTokens")));
    CentralError down;
    down.kind = CentralError::Kind::Http;
    down.httpStatus = 503;
    EXPECT_FALSE(eventHubTokensError(down).contains(QStringLiteral("Entra ID")));
    EXPECT_TRUE(eventHubTokensError(down).startsWith(QStringLiteral("Cannot read the application's event hubs")));
}

TEST_F(EventStreamTest, WhenEveryConsumerHasFailedTheStreamSaysWhy)
{
    // The right hub with a wrong key: the hub refuses the token, and a refusal is final.
    EventStreamOptions o = fromConnectionString("healthy-controller");
    o.target->key = QByteArrayLiteral("bm90LXRoZS1rZXk=");
    EventStream stream(nullptr, nullptr, o);
    QSignalSpy failed(&stream, &EventStream::failed);
    stream.start();
    ASSERT_TRUE(failed.wait(20000));
    const QString why = failed.at(0).at(0).toString();
    EXPECT_FALSE(why.isEmpty());
    EXPECT_EQ(stream.consumerFailure(), why);
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Failed);
    EXPECT_EQ(stream.status().message, why);
    EXPECT_FALSE(why.contains(QStringLiteral("bm90LXRoZS1rZXk="))) << "no key in the reason";
}

TEST(EventStreamAlone, NoApplicationAndNoConnectionStringFailsAtOnce)
{
    EventStream stream(nullptr, nullptr, {});
    QSignalSpy failed(&stream, &EventStream::failed);
    stream.start();
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.at(0).at(0).toString().contains(QStringLiteral("connection string")));
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Failed);
}

// An Event Hubs connection string to where nothing can be read.
EventStreamOptions unreadable(const char* authority)
{
    QString error;
    EventStreamOptions o;
    o.target = EventHubTarget::fromConnectionString(QStringLiteral("Endpoint=sb://") + QLatin1String(authority)
            + QStringLiteral("/;SharedAccessKeyName=service;SharedAccessKey=a2V5;EntityPath=hub"),
        error);
    EXPECT_TRUE(o.target) << error.toStdString();
    return o;
}

TEST(EventStreamAlone, AClosedPortIsTriedOnceMoreThenTheStreamFailsSayingWhy)
{
    // Nothing listens on the port: no partition ever receives, so this is no quiet device but an
    // unreachable hub (issue 14): one retry, then failed() with the reason, well within the time.
    EventStream stream(nullptr, nullptr, unreadable("127.0.0.1:1"));
    QSignalSpy received(&stream, &EventStream::eventsReceived);
    QSignalSpy failed(&stream, &EventStream::failed);
    QElapsedTimer clock;
    clock.start();
    stream.start();
    ASSERT_TRUE(failed.wait(10000)) << "a refused connection is not retried for ever";
    EXPECT_LT(clock.elapsed(), 10000);
    const QString why = failed.at(0).at(0).toString();
    EXPECT_TRUE(why.contains(QStringLiteral("127.0.0.1"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("failed twice"))) << why.toStdString();
    // auto (the default) went on to AMQP over WebSockets on 443 after the AMQP port refused: both
    // ports are named, and what happened on the first.
    EXPECT_TRUE(why.contains(QStringLiteral("port 1 (AMQP over TLS) or 443 (AMQP over WebSockets)")))
        << "what to check: " << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("over AMQP on port 1 before that: 127.0.0.1:1 refused")))
        << why.toStdString();
    EXPECT_FALSE(why.contains(QStringLiteral("a2V5"))) << "no key in the reason";
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Failed);
    EXPECT_EQ(stream.status().reconnects, 1) << "tried once more, not four times (the fallback is no retry)";
    EXPECT_EQ(received.count(), 0);
}

TEST(EventStreamAlone, TransportAmqpStaysOnItsPortAndPointsToWebSockets)
{
    auto options = unreadable("127.0.0.1:1");
    options.consumer.network.transport = AmqpTransport::Amqp;
    EventStream stream(nullptr, nullptr, options);
    QSignalSpy failed(&stream, &EventStream::failed);
    stream.start();
    ASSERT_TRUE(failed.wait(10000));
    const QString why = failed.at(0).at(0).toString();
    EXPECT_TRUE(why.contains(QStringLiteral("127.0.0.1:1 refused"))) << why.toStdString();
    EXPECT_FALSE(why.contains(QStringLiteral("before that"))) << "no WebSockets were tried: " << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("outbound TCP port 1 is open"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("--transport amqp-ws"))) << why.toStdString();
}

TEST(EventStreamAlone, AHostNameThatDoesNotResolveFailsSayingWhy)
{
    EventStream stream(nullptr, nullptr, unreadable("nonexistent.invalid"));
    QSignalSpy failed(&stream, &EventStream::failed);
    stream.start();
    ASSERT_TRUE(failed.wait(20000)) << "an unknown host is not retried for ever";
    const QString why = failed.at(0).at(0).toString();
    EXPECT_TRUE(why.contains(QStringLiteral("nonexistent.invalid"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("DNS"))) << why.toStdString();
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Failed);
}

TEST_F(EventStreamTest, OnceReceivingALostConnectionIsRetriedNotAFailure)
{
    // Today's behaviour once the hub was read: drops are reconnected, however many.
    EventStream stream(nullptr, nullptr, fromConnectionString("healthy-controller"));
    QSignalSpy failed(&stream, &EventStream::failed);
    QSignalSpy received(&stream, &EventStream::eventsReceived);
    stream.start();
    auto allReceiving = [&] {
        const auto& ps = stream.status().partitions;
        return !ps.empty() && std::all_of(ps.begin(), ps.end(), [](const PartitionState& p) {
            return p.state == PartitionState::State::Receiving;
        });
    };
    ASSERT_TRUE(QTest::qWaitFor(allReceiving, 20000));
    for (int drop = 0; drop < 3; ++drop) {
        const int before = stream.status().reconnects;
        app->eventHub().dropConnections();
        ASSERT_TRUE(QTest::qWaitFor([&] { return stream.status().reconnects > before && allReceiving(); }, 20000))
            << "drop " << drop;
    }
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 2), 2);
    EXPECT_TRUE(QTest::qWaitFor([&] { return received.count() > 0; }, 20000));
    EXPECT_EQ(failed.count(), 0);
    EXPECT_EQ(stream.status().phase, MonitorStatus::Phase::Running);
    stream.stop();
}

TEST_F(EventStreamTest, TheCaptureWritesEveryEventTakenAndMaxEventsStopsTheTaking)
{
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("string-for-double"), 5), 5);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("capture.jsonl"));
    EventStreamOptions o = fromConnectionString("string-for-double");
    o.maxEvents = 4;
    o.validate = false;
    EventStream stream(nullptr, nullptr, o);
    ASSERT_TRUE(stream.startCapture(path).isEmpty());
    EXPECT_TRUE(stream.status().capturing);
    QSignalSpy limit(&stream, &EventStream::limitReached);
    stream.start();
    ASSERT_TRUE(limit.wait(20000));
    stream.stop();
    EXPECT_EQ(stream.status().received, 4u) << "not one more than asked for";
    EXPECT_EQ(stream.status().captured, 4);
    EXPECT_FALSE(stream.status().capturing);
    EXPECT_TRUE(stream.status().captureError.isEmpty());

    qint64 bad = 0;
    QString readError;
    std::vector<TelemetryEvent> read;
    const qint64 n = readCapture(
        path,
        [&](TelemetryEvent&& ev) {
            read.push_back(std::move(ev));
            return true;
        },
        bad, readError);
    EXPECT_EQ(n, 4);
    EXPECT_EQ(bad, 0);
    ASSERT_EQ(read.size(), 4u);
    EXPECT_EQ(read[0].deviceId, QStringLiteral("string-for-double"));
    EXPECT_FALSE(read[0].body.isEmpty());
}

TEST(EventStreamAlone, ACaptureThatCannotBeCreatedSaysWhy)
{
    EventStream stream(nullptr, nullptr, {});
    const QString error = stream.startCapture(QStringLiteral("/nonexistent-dir/x/capture.jsonl"));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(stream.status().capturing);
}

TEST(EventStreamAlone, FedEventsGoThroughThePipeline)
{
    EventStream stream(nullptr, nullptr, {});
    QSignalSpy observations(&stream, &EventStream::observations);
    std::vector<TelemetryEvent> events(3);
    for (auto& ev : events) {
        ev.deviceId = QStringLiteral("offline");
        ev.body = QByteArrayLiteral("{\"t\": 1}");
    }
    stream.feed(std::move(events));
    ASSERT_EQ(observations.count(), 1);
    const auto batch = observations.at(0).at(0).value<ObservationBatch>();
    ASSERT_EQ(batch->size(), 3u);
    EXPECT_EQ(stream.status().received, 3u);
    EXPECT_EQ(stream.pipeline().stats().at(QStringLiteral("offline")).messages, 3);
}

} // namespace
