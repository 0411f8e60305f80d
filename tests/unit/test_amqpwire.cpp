// Decoding what IoT Hub stamps on an event, from Proton's own message: every value type is read,
// none is replaced by its neighbours or the whole map.
#include "eventhub/amqpwire.h"

#include <proton/annotation_key.hpp>
#include <proton/binary.hpp>
#include <proton/codec/map.hpp>
#include <proton/codec/vector.hpp>
#include <proton/message.hpp>
#include <proton/scalar.hpp>
#include <proton/timestamp.hpp>
#include <proton/uuid.hpp>
#include <proton/value.hpp>

#include <map>
#include <vector>

#include <gtest/gtest.h>

using namespace iotc;

namespace {

QString property(const TelemetryEvent& e, const char* key)
{
    for (const auto& [k, v] : e.applicationProperties)
        if (k == QLatin1String(key))
            return v;
    return QStringLiteral("(missing)");
}

} // namespace

TEST(AmqpWire, AnnotationsAreReadByNameWhateverElseIsThere)
{
    proton::message m;
    auto& a = m.message_annotations();
    a.put(proton::symbol("x-opt-sequence-number"), int64_t(42));
    a.put(proton::symbol("x-opt-offset"), std::string("8800"));
    a.put(proton::symbol("x-opt-enqueued-time"), proton::timestamp(1764000000123));
    proton::value list;
    list = std::vector<proton::value> { proton::value(std::string("a")), proton::value(int64_t(1)) };
    a.put(proton::symbol("x-opt-partition-key"), list); // a list nobody asked for
    a.put(proton::symbol("iothub-connection-device-id"), std::string("boiler-17"));
    a.put(proton::symbol("iothub-connection-module-id"), std::string("sensor"));
    a.put(proton::symbol("dt-subject"), std::string("thermostat1"));
    a.put(proton::symbol("dt-dataschema"), std::string("dtmi:com:example:Thermostat;1"));
    a.put(proton::symbol("iothub-message-source"), std::string("Telemetry"));
    TelemetryEvent e;
    TextInterner texts;
    decodeAnnotations(m, e, texts);
    EXPECT_EQ(e.sequenceNumber, 42);
    EXPECT_EQ(e.offset, QStringLiteral("8800"));
    EXPECT_EQ(e.enqueuedMs, 1764000000123);
    EXPECT_EQ(e.deviceId, QStringLiteral("boiler-17"));
    EXPECT_EQ(e.moduleId, QStringLiteral("sensor"));
    EXPECT_EQ(e.component, QStringLiteral("thermostat1"));
    EXPECT_EQ(e.modelId, QStringLiteral("dtmi:com:example:Thermostat;1"));
    EXPECT_EQ(e.messageSource, QStringLiteral("Telemetry"));
}

TEST(AmqpWire, EveryApplicationPropertyTypeIsReadAsItself)
{
    proton::message m;
    m.content_type("application/json");
    m.content_encoding("utf-8");
    m.body(proton::binary(std::string("{\"temperature\": 21.5}")));
    auto& p = m.properties();
    p.put("text", std::string("hello"));
    p.put("float", 1.5f);
    p.put("short", int16_t(-7));
    p.put("ubyte", uint8_t(200));
    p.put("flag", true);
    p.put("none", proton::scalar());
    p.put("id", proton::uuid::copy("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"));
    p.put("after", std::string("still here"));
    TelemetryEvent e;
    TextInterner texts;
    decodeContent(m, e, texts);
    EXPECT_EQ(e.contentType, QStringLiteral("application/json"));
    EXPECT_EQ(e.contentEncoding, QStringLiteral("utf-8"));
    EXPECT_EQ(e.body, QByteArray("{\"temperature\": 21.5}"));
    EXPECT_EQ(property(e, "text"), QStringLiteral("hello"));
    EXPECT_EQ(property(e, "float"), QStringLiteral("1.5"));
    EXPECT_EQ(property(e, "short"), QStringLiteral("-7"));
    EXPECT_EQ(property(e, "ubyte"), QStringLiteral("200"));
    EXPECT_EQ(property(e, "flag"), QStringLiteral("true"));
    EXPECT_EQ(property(e, "none"), QStringLiteral("null"));
    EXPECT_EQ(property(e, "id"), QStringLiteral("01020304-0506-0708-090a-0b0c0d0e0f10"));
    EXPECT_EQ(property(e, "after"), QStringLiteral("still here")) << "the value after an unusual one is intact";
    EXPECT_EQ(e.applicationProperties.size(), 8);
}

TEST(AmqpWire, AStringBodyIsKeptAsBytes)
{
    proton::message m;
    m.body(std::string("{\"a\":1}"));
    TelemetryEvent e;
    TextInterner texts;
    decodeContent(m, e, texts);
    EXPECT_EQ(e.body, QByteArray("{\"a\":1}"));
    EXPECT_TRUE(e.applicationProperties.isEmpty());
}

TEST(AmqpWire, AnUnexpectedCompoundValueIsRenderedAloneAndTheRestStaysIntact)
{
    proton::message m;
    auto& a = m.message_annotations();
    a.put(proton::symbol("x-opt-sequence-number"), int64_t(7));
    proton::value list;
    list = std::vector<proton::value> { proton::value(std::string("sas")), proton::value(int64_t(1)) };
    a.put(proton::symbol("iothub-connection-auth-method"), list); // a list where a JSON string is usual
    a.put(proton::symbol("iothub-connection-device-id"), std::string("after-the-list"));
    TelemetryEvent e;
    TextInterner texts;
    decodeAnnotations(m, e, texts);
    EXPECT_TRUE(e.authMethod.contains(QStringLiteral("sas"))) << "[" << e.authMethod.toStdString() << "]";
    EXPECT_FALSE(e.authMethod.contains(QStringLiteral("after-the-list"))) << "only the one value, not the map";
    EXPECT_EQ(e.deviceId, QStringLiteral("after-the-list"));
    EXPECT_EQ(e.sequenceNumber, 7);
}

TEST(AmqpWire, PartitionsFromTheManagementReply)
{
    auto reply = [](int status, std::map<std::string, proton::value> body) {
        proton::message m;
        m.properties().put("status-code", int32_t(status));
        m.body(body);
        return m;
    };
    int status = 0;
    const auto ids = partitionIdsFromManagementReply(
        reply(200, { { "partition_ids", std::vector<std::string> { "0", "1", "2", "3" } } }), status);
    ASSERT_TRUE(ids);
    EXPECT_EQ(*ids, (std::vector<int> { 0, 1, 2, 3 }));
    const auto counted = partitionIdsFromManagementReply(reply(200, { { "partition_count", int32_t(2) } }), status);
    ASSERT_TRUE(counted);
    EXPECT_EQ(*counted, (std::vector<int> { 0, 1 }));
    EXPECT_FALSE(partitionIdsFromManagementReply(reply(404, { { "partition_count", int32_t(2) } }), status));
    EXPECT_EQ(status, 404);
    EXPECT_FALSE(partitionIdsFromManagementReply(reply(200, { { "name", std::string("hub") } }), status))
        << "a reply with neither is an error to report, not an exception in Proton's handler";
}

TEST(AmqpWire, RecurringTextsAreSharedAndChangesAreSeen)
{
    TextInterner texts;
    std::vector<TelemetryEvent> events;
    for (const char* device : { "boiler-17", "boiler-17", "pump-3", "boiler-17" }) {
        proton::message m;
        m.message_annotations().put(proton::symbol("iothub-connection-device-id"), std::string(device));
        m.message_annotations().put(proton::symbol("dt-subject"), std::string("thermostat1"));
        m.content_type("application/json");
        m.properties().put("iothub-creation-time-utc", std::string("2026-11-26T12:00:00Z"));
        TelemetryEvent e;
        decodeAnnotations(m, e, texts);
        decodeContent(m, e, texts);
        events.push_back(std::move(e));
    }
    EXPECT_EQ(events[0].deviceId, QStringLiteral("boiler-17"));
    EXPECT_EQ(events[2].deviceId, QStringLiteral("pump-3")) << "a changed value is read, not the last one";
    EXPECT_EQ(events[3].deviceId, QStringLiteral("boiler-17"));
    EXPECT_TRUE(events[0].deviceId.isSharedWith(events[3].deviceId)) << "one copy of a recurring id";
    EXPECT_TRUE(events[0].component.isSharedWith(events[2].component));
    EXPECT_TRUE(events[0].contentType->isSharedWith(*events[1].contentType));
    EXPECT_TRUE(events[0].applicationProperties.at(0).first.isSharedWith(events[2].applicationProperties.at(0).first));
    EXPECT_EQ(events[2].applicationProperties.at(0).second, QStringLiteral("2026-11-26T12:00:00Z"));
}

TEST(AmqpWire, TheTextTableIsBounded)
{
    TextInterner texts(3);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(texts(std::to_string(i)), QString::number(i));
    EXPECT_LE(texts.size(), 3u);
    const std::string longText(1000, 'x');
    EXPECT_EQ(texts(longText).size(), 1000);
    EXPECT_LE(texts.size(), 3u) << "long texts are not kept";
}
