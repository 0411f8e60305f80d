// Capture lines are read by a fast path (capturelinefast.h) in front of the Qt one. The Qt reading
// is the definition: every line, the ones the product writes and hostile ones, must read to the
// same event through parseCaptureLine as through the Qt path alone.
#include "monitor/capturefile.h"
#include "monitor/capturelinefast.h"

#include "mutations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace iotc;

namespace {

std::string describe(const EventValue& v)
{
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return "null";
            else if constexpr (std::is_same_v<T, bool>)
                return x ? "bool:true" : "bool:false";
            else if constexpr (std::is_same_v<T, QString>)
                return "text:" + x.toStdString();
            else if constexpr (std::is_same_v<T, double>)
                return "double:" + std::to_string(x);
            else
                return std::string(std::is_same_v<T, qint64> ? "int:" : "uint:") + std::to_string(x);
        },
        v);
}

// Every field of an event, types included.
std::string describe(const TelemetryEvent& e)
{
    std::string out = "hub=" + e.hub.toStdString() + " partition=" + std::to_string(e.partition)
        + " seq=" + std::to_string(e.sequenceNumber) + " offset=" + e.offset.toStdString() + " time="
        + std::to_string(e.enqueuedMs) + " device=" + e.deviceId.toStdString() + " module=" + e.moduleId.toStdString()
        + " component=" + e.component.toStdString() + " model=" + e.modelId.toStdString()
        + " interface=" + e.interfaceName.toStdString() + " source=" + e.messageSource.toStdString() + " auth="
        + e.authMethod.toStdString() + " type=" + (e.contentType ? "[" + e.contentType->toStdString() + "]" : "none")
        + " encoding=" + (e.contentEncoding ? "[" + e.contentEncoding->toStdString() + "]" : "none")
        + " dropped=" + std::to_string(e.droppedAnnotations) + "/" + std::to_string(e.droppedApplicationProperties)
        + " body=" + e.body.toHex().toStdString() + "\n";
    for (const auto& [k, v] : e.annotations)
        out += "  anno " + k.toStdString() + " = " + describe(v) + "\n";
    for (const auto& [k, v] : e.systemProperties)
        out += "  sys " + k.toStdString() + " = " + describe(v) + "\n";
    for (const auto& [k, v] : e.applicationProperties)
        out += "  app " + k.toStdString() + " = " + v.toStdString() + "\n";
    return out;
}

void expectSameAsReference(const QByteArray& line)
{
    TelemetryEvent reference, read;
    QString error;
    reference.sequenceNumber = -1;
    const bool referenceOk = parseCaptureLineWithQt(line, reference, error);
    const bool ok = parseCaptureLine(line, read, error);
    ASSERT_EQ(ok, referenceOk) << line.toStdString();
    if (ok) {
        EXPECT_EQ(describe(read), describe(reference)) << line.toStdString();
    }
}

std::vector<TelemetryEvent> productEvents()
{
    std::vector<TelemetryEvent> events;
    TelemetryEvent e;
    e.hub = QStringLiteral("iothub-ehub-x");
    e.partition = 3;
    e.sequenceNumber = 12345;
    e.offset = QStringLiteral("8812");
    e.enqueuedMs = 1764000000123;
    e.deviceId = QStringLiteral("dev-1");
    e.component = QStringLiteral("thermostat1");
    e.modelId = QStringLiteral("dtmi:com:example:TemperatureController;2");
    e.messageSource = QStringLiteral("Telemetry");
    e.contentType = QStringLiteral("application/json");
    e.contentEncoding = QStringLiteral("utf-8");
    e.body = R"({"temperature": 21.5})";
    events.push_back(e); // fields only: the annotations are made from them

    e.moduleId = QStringLiteral("sensor");
    e.authMethod = QStringLiteral(R"({"scope":"module","type":"sas"})");
    e.applicationProperties = { { QStringLiteral("zeta"), QStringLiteral("last") },
        { QStringLiteral("alpha"), QStringLiteral("first \"quoted\" \\ and\ttab") } };
    e.body = QByteArray("\xFF\xFE{\0}\0", 6);
    events.push_back(e);

    // As received: every annotation, the AMQP properties, numbers of every kind, counted drops.
    e.annotations = { { QStringLiteral("x-opt-sequence-number"), EventValue(qint64(9007199254740992)) },
        { QStringLiteral("x-opt-enqueued-time"), EventValue(qint64(1764000000000)) },
        { QStringLiteral("x-opt-offset"), EventValue(QStringLiteral("")) },
        { QStringLiteral("iothub-connection-device-id"), EventValue(QStringLiteral("dev-2")) },
        { QStringLiteral("flag"), EventValue(true) }, { QStringLiteral("nothing"), EventValue() },
        { QStringLiteral("ratio"), EventValue(0.25) }, { QStringLiteral("huge"), EventValue(quint64(1) << 63) },
        { QStringLiteral("negative"), EventValue(qint64(-5)) } };
    e.systemProperties = { { QStringLiteral("message-id"), EventValue(QStringLiteral("m-1")) },
        { QStringLiteral("content-type"), EventValue(QStringLiteral("application/json")) },
        { QStringLiteral("creation-time"), EventValue(qint64(1764000000000)) } };
    e.droppedAnnotations = 3;
    e.droppedApplicationProperties = 70000;
    e.body = "";
    events.push_back(e); // a fraction and a number past 2^53: the Qt path

    e.annotations.removeIf([](const auto& a) {
        return std::holds_alternative<double>(a.second) || std::holds_alternative<quint64>(a.second);
    });
    events.push_back(e); // as received, whole numbers only: the fast path

    e.deviceId = QStringLiteral("appareil-\u00e9t\u00e9"); // not ASCII: the Qt path
    e.annotations.clear();
    e.body = "x";
    events.push_back(e);
    return events;
}

} // namespace

TEST(CaptureFast, ReadsWhatTheProductWritesAndReadsItAsQtDoes)
{
    // Which of them the fast path reads itself: ASCII, whole numbers a double holds exactly.
    const std::vector<bool> fast { true, true, false, true, false };
    const auto events = productEvents();
    ASSERT_EQ(events.size(), fast.size());
    for (size_t i = 0; i < events.size(); ++i) {
        const QByteArray line = captureLine(events[i]);
        expectSameAsReference(line);
        TelemetryEvent read;
        read.sequenceNumber = -1;
        EXPECT_EQ(readCaptureLineFast(line, read), fast[i]) << line.toStdString();
    }
}

TEST(CaptureFast, UnusualLinesReadAsQtReadsThem)
{
    const std::vector<QByteArray> lines = {
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30="})",
        R"({"bodyBase64":"e30=","annotations":{"iothub-connection-device-id":"d"}})",
        R"({"annotations":{"x-opt-offset":"1","iothub-connection-device-id":"d"},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"a","iothub-connection-device-id":"b"},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","hub":"h","hub":"i"})",
        R"({"annotations":{"iothub-connection-device-id":5},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","x-opt-sequence-number":"7"},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","x-opt-sequence-number":1.5},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","x-opt-sequence-number":1e3},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","x-opt-sequence-number":9007199254740993},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","x-opt-sequence-number":-0},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","x-opt-enqueued-time":true},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d","list":[1,2],"map":{"a":1}},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d\u00e9"},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d\n\"q\"\/"},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30"})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e3 0="})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=!!"})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"===="})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":""})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":null})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"AAEC/w=="})",
        R"({"annotations":[],"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d"}})",
        R"({"annotations":{},"bodyBase64":"e30="})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","partition":2147483648})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","partition":-2})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","partition":"3"})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","partition":3.0})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","droppedAnnotations":-4,"droppedApplicationProperties":99999999999})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","contentType":5,"contentEncoding":null})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","contentType":"a","properties":{"b":"x","a":7,"c":{"n":1}}})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","properties":{"b":"x","a":"y"}})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","properties":[1]})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","system":{"content-type":"t","x":false}})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","system":"not an object","contentType":"t"})",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=","unknown":{"deep":[[[1]]]}})",
        R"( {"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30="} )",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30="} x)",
        R"({"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30=",})",
        R"([{"annotations":{"iothub-connection-device-id":"d"},"bodyBase64":"e30="}])",
        "not json",
        "",
    };
    for (const auto& l : lines)
        expectSameAsReference(l);
}

// The lines of the product's own events with single bytes changed, inserted or deleted.
TEST(CaptureFast, MutatedLinesReadAsQtReadsThem)
{
    const std::string alphabet = "{}[]\":,\\u019.e-tfn \t\x01";
    std::mt19937 random(15);
    size_t cases = 0;
    for (const auto& e : productEvents()) {
        const std::string line = captureLine(e).toStdString();
        for (int k = 0; k < 300; ++k) {
            expectSameAsReference(QByteArray::fromStdString(test::mutated(line, random, alphabet)));
            ++cases;
        }
    }
    EXPECT_GT(cases, 1000u);
}
