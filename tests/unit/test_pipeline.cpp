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

TEST(Pipeline, EachEventIsJudgedInItsOwnContext)
{
    // Contexts are converted once and reused: an event must never be judged by its neighbour's
    // component, encoding or content type, however they interleave (more combinations than kept).
    MonitorPipeline pipeline(std::make_shared<TemplateResolver>(test::loadTemplate(test::TemperatureController)));
    std::vector<TelemetryEvent> events;
    std::vector<bool> shouldPass;
    for (int round = 0; round < 3; ++round) {
        for (int c = 0; c < 12; ++c) {
            auto e = event(c % 2 ? "thermostat1" : "", "{\"temperature\": 21.5}", 1000 + c);
            if (c % 3 == 1)
                e.contentEncoding = QStringLiteral("utf-16"); // not what the bytes are
            e.moduleId = c >= 6 ? QStringLiteral("m%1").arg(c) : QString();
            events.push_back(std::move(e));
            // Only thermostat1 models temperature; the encoding must be utf-8; a module is not the device.
            shouldPass.push_back(c % 2 && c % 3 != 1 && c < 6);
        }
    }
    const auto observations = pipeline.process(std::move(events));
    ASSERT_EQ(observations.size(), shouldPass.size());
    for (size_t i = 0; i < observations.size(); ++i) {
        const auto& o = observations[i];
        EXPECT_EQ(o.issues.empty(), shouldPass[i])
            << "event " << i << " (" << o.event.component.toStdString() << ", "
            << o.event.contentEncoding->toStdString() << ", " << o.event.moduleId.toStdString() << ") had "
            << (o.issues.empty() ? "no issue" : o.issues.front().code);
    }
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
