// Every scenario device of the built-in catalogue, observed as a client would see it: what it
// sends on the event stream (raw bytes and annotations) and whether it sends at all.
#include "amqptestclient.h"
#include "simfixture.h"

#include <QDateTime>
#include <QTest>
#include <gtest/gtest.h>

using namespace iotc;
using namespace iotc::test;

namespace {

size_t eventsOf(sim::SimulatedApp& app, const QString& device)
{
    const int p = sim::EventStore::partitionFor(device, app.store().partitionCount());
    size_t n = 0;
    for (const auto& e : app.store().read(p, 0, 1000000))
        n += e->deviceId == device;
    return n;
}

class ScenarioMessages : public QuietSimSuite<ScenarioMessages> {
protected:
    static void SetUpTestSuite()
    {
        QuietSimSuite<ScenarioMessages>::SetUpTestSuite();
        hub = eventHubOf(e);
    }
    // Injects count messages of the device and receives them back over AMQP.
    static std::vector<ReceivedEvent> roundTrip(const char* device, int count)
    {
        const int p = sim::EventStore::partitionFor(QLatin1String(device), app->store().partitionCount());
        const int64_t last = app->store().info(p).lastSequence;
        EXPECT_EQ(app->injectTelemetry(QLatin1String(device), count), count) << device;
        AmqpScript s;
        s.hostPort = hub.hostPort.toStdString();
        s.putToken = std::make_pair(audienceOf(hub), tokenFor(hub, secondsFromNow(std::chrono::minutes(5))));
        s.receiveAddress = partitionAddress(hub, p);
        s.selector = selectorAfterSequence(last);
        s.receiveCount = static_cast<size_t>(count);
        s.timeoutMs = 8000;
        auto r = runAmqp(s);
        EXPECT_EQ(r.events.size(), static_cast<size_t>(count)) << device << " " << r.linkError << r.connectionError;
        for (const auto& ev : r.events)
            EXPECT_EQ(ev.annotations.at("iothub-connection-device-id"), device);
        return r.events;
    }
    static inline SimHubAccess hub;
};

TEST_F(ScenarioMessages, WrongCasingSendsTemperatureAtTheRoot)
{
    const auto events = roundTrip("wrong-casing", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_NE(events[0].body.find("\"Temperature\""), std::string::npos) << events[0].body;
    EXPECT_EQ(events[0].annotations.count("dt-subject"), 0u);
}

TEST_F(ScenarioMessages, StringForDouble)
{
    const auto events = roundTrip("string-for-double", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].body, "{\"temperature\": \"curr_temp\"}");
    EXPECT_EQ(events[0].annotations.at("dt-subject"), "thermostat1");
}

TEST_F(ScenarioMessages, MalformedJsonInFourRealisticKinds)
{
    const auto events = roundTrip("malformed-json", 4);
    ASSERT_EQ(events.size(), 4u);
    int invalid = 0;
    for (const auto& ev : events)
        invalid += QJsonDocument::fromJson(QByteArray::fromStdString(ev.body)).isNull();
    EXPECT_EQ(invalid, 4);
    EXPECT_NE(events[0].body.find(",}"), std::string::npos);
    EXPECT_NE(events[1].body.find('\''), std::string::npos);
    EXPECT_NE(events[3].body.find("NaN"), std::string::npos);
}

TEST_F(ScenarioMessages, MissingContentTypeAndBadEncodings)
{
    auto events = roundTrip("no-content-type", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_FALSE(events[0].contentType);
    EXPECT_FALSE(events[0].contentEncoding);
    events = roundTrip("latin1-encoding", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].contentEncoding, "iso-8859-1");
    EXPECT_NE(events[0].body.find('\xE9'), std::string::npos) << "a real ISO-8859-1 byte";
    events = roundTrip("utf16-body", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].body.substr(0, 2), std::string("\xFF\xFE", 2));
}

TEST_F(ScenarioMessages, DuplicateNamesFromADeviceThatIsNotPlugAndPlay)
{
    const auto events = roundTrip("duplicate-names", 1);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].annotations.count("dt-dataschema"), 0u);
    EXPECT_NE(events[0].body.find("\"Bool\""), std::string::npos);
}

TEST_F(ScenarioMessages, EdgeModuleComponentTelemetry)
{
    for (const char* device : { "edge-gateway-old", "edge-gateway-new" }) {
        const auto events = roundTrip(device, 1);
        ASSERT_EQ(events.size(), 1u);
        EXPECT_EQ(events[0].annotations.at("iothub-connection-module-id"), "sensor");
        EXPECT_EQ(events[0].annotations.at("dt-subject"), "probe");
        EXPECT_NE(
            events[0].annotations.at("iothub-connection-auth-method").find("\"scope\":\"module\""), std::string::npos);
    }
    EXPECT_EQ(app->state().device(QStringLiteral("edge-gateway-old"))->edgeRuntimeVersion, QStringLiteral("1.2.0"));
    EXPECT_EQ(app->state().device(QStringLiteral("edge-gateway-new"))->edgeRuntimeVersion, QStringLiteral("1.4.10"));
}

TEST_F(ScenarioMessages, DeviceLogsCarryTheErrorCodesTheDevicesSee)
{
    auto logOf = [](const char* id) { return app->state().device(QLatin1String(id))->log.join(QLatin1Char('\n')); };
    EXPECT_TRUE(logOf("expired-credentials").contains(QStringLiteral("401002")));
    EXPECT_TRUE(logOf("expired-credentials").contains(QStringLiteral("IoTHubUnauthorized")));
    EXPECT_TRUE(logOf("blocked-device").contains(QStringLiteral("DEVICE_BLOCKED")));
    EXPECT_TRUE(logOf("waiting-for-approval").contains(QStringLiteral("400209")));
    EXPECT_TRUE(logOf("throttled-device").contains(QStringLiteral("429")));
    EXPECT_TRUE(logOf("file-upload-failing").contains(QStringLiteral("403006")));
}

TEST_F(ScenarioMessages, EveryScenarioOfTheGuideIsInTheCatalogue)
{
    std::set<QString> scenarios;
    for (const auto& d : app->state().catalog().devices)
        scenarios.insert(d.scenario);
    for (const char* s : { "healthy", "unmodeled-casing", "schema-mismatch", "unmodeled-property", "invalid-json",
             "missing-content-type", "invalid-encoding", "duplicate-capability", "blocked", "waiting-for-approval",
             "unassigned", "registered", "dps-401002", "dps-429", "edge-unmodeled", "healthy-edge",
             "writable-not-acknowledged", "writable-rejected", "file-upload-403006", "goes-silent", "data-stopped",
             "cloud-property" })
        EXPECT_TRUE(scenarios.count(QLatin1String(s))) << s;
}

TEST(ScenarioLiveness, ADeviceWithAHistorySentBeforeTheStartThenNothing)
{
    sim::SimOptions o;
    o.rateHz = 20;
    o.extraRateHz = 0;
    sim::SimulatedApp app(o);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    app.start();
    const QString id = QStringLiteral("stops-sending");
    const int p = sim::EventStore::partitionFor(id, app.store().partitionCount());
    auto times = [&] {
        std::vector<int64_t> t;
        for (const auto& e : app.store().read(p, 0, 1000000))
            if (e->deviceId == id)
                t.push_back(e->enqueuedMs);
        return t;
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return eventsOf(app, QStringLiteral("healthy-controller")) >= 5; }, 10000));
    const auto t = times();
    ASSERT_EQ(t.size(), 120u) << "its history, and nothing since";
    for (size_t i = 1; i < t.size(); ++i)
        EXPECT_NEAR(static_cast<double>(t[i] - t[i - 1]), 500.0, 2.0) << i;
    EXPECT_NEAR(static_cast<double>(before - t.back()), 90000.0, 5000.0) << "the last one 90 s before the start";

    sim::SimOptions quiet = o;
    quiet.rateHz = 0;
    sim::SimulatedApp silent(quiet);
    silent.start();
    EXPECT_EQ(eventsOf(silent, id), 0u) << "an app that sends only what tests inject has no past either";
}

TEST(ScenarioLiveness, OnlyConnectedDevicesSendAndSilentOnesStop)
{
    sim::SimOptions o;
    o.rateHz = 20;
    o.extraRateHz = 0;
    sim::SimulatedApp app(o);
    app.start();
    ASSERT_TRUE(QTest::qWaitFor([&] { return eventsOf(app, QStringLiteral("healthy-controller")) >= 5; }, 10000));
    EXPECT_GT(eventsOf(app, QStringLiteral("unassigned-device")), 0u) << "unassigned devices still send";
    for (const char* silent : { "blocked-device", "waiting-for-approval", "registered-never-connected",
             "expired-credentials", "throttled-device" })
        EXPECT_EQ(eventsOf(app, QLatin1String(silent)), 0u) << silent;
}

} // namespace
