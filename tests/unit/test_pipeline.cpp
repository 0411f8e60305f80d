#include "monitor/monitorpipeline.h"
#include "monitor/observationring.h"
#include "testdata.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

TelemetryEvent event(const char* component, const char* body, qint64 ms)
{
    TelemetryEvent e;
    e.deviceId = QStringLiteral("dev");
    e.component = QLatin1String(component);
    e.body = body;
    e.enqueuedMs = ms;
    e.contentType = QStringLiteral("application/json");
    e.contentEncoding = QStringLiteral("utf-8");
    e.messageSource = QStringLiteral("Telemetry");
    return e;
}

} // namespace

TEST(Pipeline, StatsFieldsAndUnmodeledNames)
{
    MonitorPipeline pipeline(std::make_shared<TemplateResolver>(test::loadTemplate(test::TemperatureController)), 3);
    std::vector<TelemetryEvent> events;
    for (int i = 0; i < 5; ++i)
        events.push_back(
            event("thermostat1", i % 2 ? "{\"temperature\": 20}" : "{\"temperature\": 21.5}", 1000 + i * 1000));
    events.push_back(event("", "{\"Temperature\": 3}", 6000));
    events.push_back(event("thermostat1", "{\"temperature\": \"hot\"}", 7000));
    const auto observations = pipeline.process(std::move(events));
    ASSERT_EQ(observations.size(), 7u);
    EXPECT_TRUE(observations[0].issues.empty());
    const auto& s = pipeline.stats().at(QStringLiteral("dev"));
    EXPECT_EQ(s.messages, 7);
    EXPECT_NEAR(s.ratePerSecond(), 1.0, 1e-9);
    EXPECT_EQ(s.issues.at("unmodeled-capability"), 1);
    EXPECT_EQ(s.issues.at("schema-mismatch"), 1);
    const auto& t = s.fields.at(QStringLiteral("thermostat1/temperature"));
    EXPECT_EQ(t.last, 21.5);
    EXPECT_EQ(t.history.size(), 3u) << "history is bounded";
    EXPECT_EQ(t.history.back().first, 5000);
    EXPECT_TRUE(s.unmodeledFields.count(QStringLiteral("Temperature")));
}

TEST(Pipeline, RingKeepsTheNewestAndCountsEvictions)
{
    ObservationRing ring(3);
    std::vector<Observation> batch(5);
    for (int i = 0; i < 5; ++i)
        batch[static_cast<size_t>(i)].event.sequenceNumber = i;
    ring.append(std::move(batch));
    EXPECT_EQ(ring.size(), 3u);
    EXPECT_EQ(ring.evicted(), 2u);
    EXPECT_EQ(ring.at(0).event.sequenceNumber, 2);
}
