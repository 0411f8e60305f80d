#include "monitor/monitorpipeline.h"
#include "testdata.h"

#include <gtest/gtest.h>

#include <algorithm>

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

namespace {

std::shared_ptr<TemplateResolver> noTemplate()
{
    return std::make_shared<TemplateResolver>(std::shared_ptr<CentralClient>());
}

TelemetryEvent from(const QString& device, const QByteArray& body, qint64 ms)
{
    auto e = event("", body.constData(), ms);
    e.deviceId = device;
    e.body = body;
    return e;
}

} // namespace

TEST(Pipeline, DeviceStatisticsStayWithinTheCapLeastRecentlySeenFirst)
{
    // 50,000 made-up device ids (one message each) and one real device that keeps sending.
    MonitorPipeline pipeline(noTemplate(), 1);
    const size_t cap = pipeline.limits().devices;
    ASSERT_EQ(cap, 20000u);
    const int distinct = 50000;
    std::vector<TelemetryEvent> batch;
    for (int i = 0; i < distinct; ++i) {
        batch.push_back(from(QStringLiteral("made-up-%1").arg(i), "{\"t\": 1}", i));
        if (i % 100 == 0)
            batch.push_back(from(QStringLiteral("steady"), "{\"t\": 2}", i));
        if (batch.size() >= 1000) {
            pipeline.process(std::move(batch));
            batch.clear();
            EXPECT_LE(pipeline.stats().size(), cap);
        }
    }
    pipeline.process(std::move(batch));
    EXPECT_EQ(pipeline.stats().size(), cap) << "full, never over";
    EXPECT_EQ(pipeline.evictions().devices, static_cast<quint64>(distinct + 1 - cap)) << "every one dropped is counted";
    ASSERT_TRUE(pipeline.stats().count(QStringLiteral("steady"))) << "a device seen recently stays";
    EXPECT_EQ(pipeline.stats().at(QStringLiteral("steady")).messages, distinct / 100);
    EXPECT_FALSE(pipeline.stats().count(QStringLiteral("made-up-0"))) << "the least recently seen went first";
    EXPECT_TRUE(pipeline.stats().count(QStringLiteral("made-up-%1").arg(distinct - 1)));
    EXPECT_TRUE(pipeline.stats().count(QStringLiteral("made-up-%1").arg(distinct - static_cast<int>(cap) + 1)));
}

TEST(Pipeline, FieldSeriesStayWithinTheCapStalestFirst)
{
    MonitorPipeline pipeline(noTemplate(), 4);
    PipelineLimits limits;
    limits.fields = 1000;
    pipeline.setLimits(limits);
    // Each message has ten field names never seen before and one sent every time.
    const int messages = 5000;
    std::vector<TelemetryEvent> batch;
    for (int i = 0; i < messages; ++i) {
        QByteArray body = "{\"steady\": 1";
        for (int f = 0; f < 10; ++f)
            body += ", \"f" + QByteArray::number(i * 10 + f) + "\": " + QByteArray::number(f);
        body += "}";
        batch.push_back(from(QStringLiteral("dev-%1").arg(i % 3), body, i));
        if (batch.size() >= 500) {
            pipeline.process(std::move(batch));
            batch.clear();
            EXPECT_LE(pipeline.fieldCount(), limits.fields);
        }
    }
    pipeline.process(std::move(batch));
    size_t kept = 0;
    for (const auto& [id, s] : pipeline.stats())
        kept += s.fields.size();
    EXPECT_EQ(kept, pipeline.fieldCount());
    EXPECT_LE(kept, limits.fields);
    EXPECT_GE(kept, limits.fields - limits.fields / 8) << "only the stalest eighth goes at a time";
    const size_t distinct = static_cast<size_t>(messages) * 10 + 3; // three devices' "steady"
    EXPECT_EQ(pipeline.evictions().fields, distinct - kept) << "every series dropped is counted";
    for (const auto& [id, s] : pipeline.stats())
        EXPECT_TRUE(s.fields.count(QStringLiteral("steady"))) << id.toStdString() << ": a field fed all along stays";
    const auto& last = pipeline.stats().at(QStringLiteral("dev-%1").arg((messages - 1) % 3));
    EXPECT_TRUE(last.fields.count(QStringLiteral("f%1").arg((messages - 1) * 10))) << "the newest are kept";
    EXPECT_FALSE(pipeline.stats().at(QStringLiteral("dev-0")).fields.count(QStringLiteral("f0"))) << "the oldest went";
}

TEST(Pipeline, UnmodeledNamesAreCappedPerDeviceAndInAllAndCounted)
{
    MonitorPipeline pipeline(std::make_shared<TemplateResolver>(test::loadTemplate(test::TemperatureController)));
    PipelineLimits limits;
    limits.unmodeledPerDevice = 10;
    limits.unmodeled = 15;
    pipeline.setLimits(limits);
    std::vector<TelemetryEvent> events;
    for (int i = 0; i < 20; ++i)
        events.push_back(from(QStringLiteral("a"), "{\"madeUp" + QByteArray::number(i) + "\": 1}", i));
    for (int i = 0; i < 20; ++i)
        events.push_back(from(QStringLiteral("b"), "{\"other" + QByteArray::number(i) + "\": 1}", 100 + i));
    const auto observations = pipeline.process(std::move(events));
    ASSERT_EQ(observations.size(), 40u);
    EXPECT_TRUE(std::any_of(observations[0].issues.begin(), observations[0].issues.end(),
        [](const Issue& i) { return i.code == "unmodeled-capability" && i.path == "madeUp0"; }));
    EXPECT_EQ(pipeline.stats().at(QStringLiteral("a")).unmodeledFields.size(), 10u) << "per device";
    EXPECT_EQ(pipeline.stats().at(QStringLiteral("b")).unmodeledFields.size(), 5u) << "all devices together";
    EXPECT_EQ(pipeline.evictions().unmodeledNames, 25u);
    EXPECT_EQ(pipeline.stats().at(QStringLiteral("a")).issues.at("unmodeled-capability"), 20)
        << "the issue counts stay whole";
}

TEST(Pipeline, ADeeplyNestedBodyWithoutTemplateIsNotParsed)
{
    MonitorPipeline pipeline(noTemplate());
    pipeline.setCollectFields(true);
    const QByteArray deep = QByteArray(200000, '[') + QByteArray(200000, ']');
    std::vector<TelemetryEvent> events { from(QStringLiteral("d"), deep, 1),
        from(QStringLiteral("d"), "{\"t\": 3}", 2) };
    const auto observations = pipeline.process(std::move(events));
    ASSERT_EQ(observations.size(), 2u);
    EXPECT_TRUE(observations[0].fields.empty());
    ASSERT_EQ(observations[1].fields.size(), 1u);
    EXPECT_EQ(pipeline.stats().at(QStringLiteral("d")).messages, 2);
}

TEST(Pipeline, WithoutTemplateTheTemplateIndependentChecksStillRun)
{
    // No template (a connection string only, or a replay without --template): the bytes, the JSON,
    // the content headers and the field names are judged all the same; only whether the names are
    // modeled is left open, said once per message (template-unavailable).
    MonitorPipeline pipeline(noTemplate());
    pipeline.setCollectFields(true);
    auto wrongType = from(QStringLiteral("d"), "{\"t\": 1}", 3);
    wrongType.contentType = QStringLiteral("text/plain");
    const std::vector<TelemetryEvent> events { from(QStringLiteral("d"), "{\"t\": 1,}", 1),
        from(QStringLiteral("d"),
            QByteArray("\xFF\xFE{\0\"\0t\0\"\0:\0"
                       "1\0}\0",
                16),
            2),
        wrongType, from(QStringLiteral("d"), "{\"t-1\": 1, \"u\": 2}", 4), from(QStringLiteral("d"), "{\"t\": 5}", 5) };
    const auto observations = pipeline.process(events);
    ASSERT_EQ(observations.size(), 5u);
    const std::vector<std::vector<std::string>> expected { { "template-unavailable", "invalid-json" },
        { "template-unavailable", "invalid-encoding" }, { "template-unavailable", "content-type-mismatch" },
        { "template-unavailable", "invalid-field-name" }, { "template-unavailable" } };
    for (size_t k = 0; k < observations.size(); ++k) {
        std::vector<std::string> codes;
        for (const auto& i : observations[k].issues)
            codes.push_back(i.code);
        EXPECT_EQ(codes, expected[k]) << "event " << k;
    }
    EXPECT_EQ(observations[0].issues[0].severity, Severity::Info) << "no template: as before";
    EXPECT_EQ(observations[3].issues[1].path, R"(["t-1"])");
    const auto& s = pipeline.stats().at(QStringLiteral("d"));
    EXPECT_EQ(s.issues.at("template-unavailable"), 5);
    EXPECT_EQ(s.issues.at("invalid-json"), 1);
    EXPECT_EQ(s.issues.at("invalid-field-name"), 1);
    EXPECT_TRUE(s.unmodeledFields.empty()) << "nothing is called unmodeled without a template";
    // The values are still plotted, from the body the checks decoded.
    ASSERT_EQ(observations[4].fields.size(), 1u);
    EXPECT_EQ(s.fields.at(QStringLiteral("t")).last, 5);
    EXPECT_EQ(s.fields.at(QStringLiteral("u")).last, 2);
}
