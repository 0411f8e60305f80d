// Decoding what IoT Hub stamps on an event, from Proton's own message: every value type is read,
// none is replaced by its neighbours or the whole map; and whatever a peer sends instead (wrong
// types, huge or deeply nested values, bytes that are no message) is reported or rendered, never
// thrown out into Proton's loop.
#include "eventhub/amqpwire.h"
#include "eventhub/eventdecode.h"

#include <proton/annotation_key.hpp>
#include <proton/binary.hpp>
#include <proton/codec.h>
#include <proton/codec/map.hpp>
#include <proton/codec/vector.hpp>
#include <proton/error.h>
#include <proton/message.h>
#include <proton/message.hpp>
#include <proton/scalar.hpp>
#include <proton/timestamp.hpp>
#include <proton/uuid.hpp>
#include <proton/value.hpp>

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <vector>

#include "protonencode.h"

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

using iotc::test::encodeC;

// ... read back as the consumer gets it.
proton::message fromC(const std::function<void(pn_message_t*)>& fill)
{
    proton::message m;
    m.decode(encodeC(fill));
    return m;
}

void putString(pn_data_t* d, const char* s)
{
    pn_data_put_string(d, pn_bytes(std::strlen(s), s));
}

void putSymbol(pn_data_t* d, const char* s)
{
    pn_data_put_symbol(d, pn_bytes(std::strlen(s), s));
}

// A management reply: status-code 200 (as a string key's int), and a body map filled by `body`.
proton::message managementReply(const std::function<void(pn_data_t*)>& body)
{
    return fromC([&](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        putString(p, "status-code");
        pn_data_put_int(p, 200);
        pn_data_exit(p);
        pn_data_t* b = pn_message_body(c);
        pn_data_put_map(b);
        pn_data_enter(b);
        body(b);
        pn_data_exit(b);
    });
}

// An encoded list32 holding a list32 ... `depth` deep around an empty list.
std::string nestedLists(int depth)
{
    std::string out;
    const size_t total = static_cast<size_t>(depth) * 9 + 1;
    for (int i = 0; i < depth; ++i) {
        const uint32_t size = static_cast<uint32_t>(total - out.size() - 5); // what follows the size field
        out += '\xd0';
        for (int shift : { 24, 16, 8, 0 })
            out += static_cast<char>((size >> shift) & 0xff);
        out += std::string("\0\0\0\x01", 4);
    }
    out += '\x45';
    return out;
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
    QString error;
    const auto ids = partitionIdsFromManagementReply(
        reply(200, { { "partition_ids", std::vector<std::string> { "0", "1", "2", "3" } } }), status, error);
    ASSERT_TRUE(ids) << error.toStdString();
    EXPECT_EQ(*ids, (std::vector<int> { 0, 1, 2, 3 }));
    const auto counted
        = partitionIdsFromManagementReply(reply(200, { { "partition_count", int32_t(2) } }), status, error);
    ASSERT_TRUE(counted) << error.toStdString();
    EXPECT_EQ(*counted, (std::vector<int> { 0, 1 }));
    EXPECT_FALSE(partitionIdsFromManagementReply(reply(404, { { "partition_count", int32_t(2) } }), status, error));
    EXPECT_EQ(status, 404);
    EXPECT_TRUE(error.contains(QStringLiteral("404"))) << error.toStdString();
    EXPECT_FALSE(partitionIdsFromManagementReply(reply(200, { { "name", std::string("hub") } }), status, error))
        << "a reply with neither is an error to report, not an exception in Proton's handler";
    EXPECT_TRUE(error.contains(QStringLiteral("neither"))) << error.toStdString();
}

TEST(AmqpWire, AManagementReplyOfWrongTypesIsAnErrorNotAnException)
{
    int status = 0;
    QString error;
    auto refused = [&](const proton::message& m, const char* expected) {
        const auto ids = partitionIdsFromManagementReply(m, status, error);
        EXPECT_FALSE(ids) << expected << ": " << (ids ? ids->size() : 0) << " partitions";
        EXPECT_TRUE(error.contains(QLatin1String(expected))) << expected << " -> " << error.toStdString();
    };

    // Application properties whose keys are not strings, a status that is not a number.
    refused(fromC([](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        pn_data_put_ulong(p, 7);
        putString(p, "a key that is a number");
        putString(p, "status-code");
        putString(p, "200");
        pn_data_exit(p);
    }),
        "no status-code");
    // The same keys beside a good status: read past them.
    const auto beside = fromC([](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        pn_data_put_ulong(p, 7);
        pn_data_put_list(p);
        putSymbol(p, "status-code");
        pn_data_put_ushort(p, 200);
        pn_data_exit(p);
        pn_data_t* b = pn_message_body(c);
        pn_data_put_map(b);
        pn_data_enter(b);
        pn_data_put_int(b, 1);
        pn_data_put_int(b, 2);
        putString(b, "partition_count");
        pn_data_put_ubyte(b, 3);
        pn_data_exit(b);
    });
    const auto ids = partitionIdsFromManagementReply(beside, status, error);
    ASSERT_TRUE(ids) << error.toStdString();
    EXPECT_EQ(ids->size(), 3u);

    // Not a map at all.
    refused(fromC([](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        putString(p, "status-code");
        pn_data_put_int(p, 200);
        pn_data_exit(p);
        putString(pn_message_body(c), "partition_count=4");
    }),
        "not a map");
    refused(managementReply([](pn_data_t* b) {
        putString(b, "partition_ids");
        putString(b, "0,1,2");
    }),
        "not a list");
    refused(managementReply([](pn_data_t* b) {
        putString(b, "partition_ids");
        pn_data_put_list(b);
        pn_data_enter(b);
        putString(b, "0");
        pn_data_put_map(b);
        pn_data_exit(b);
    }),
        "something other than a partition id");
    for (const char* bad : { "1x", "-1", "4096", "", " 1", "99999999999999999999" }) {
        refused(managementReply([bad](pn_data_t* b) {
            putString(b, "partition_ids");
            pn_data_put_array(b, false, PN_STRING);
            pn_data_enter(b);
            putString(b, "0");
            putString(b, bad);
            pn_data_exit(b);
        }),
            "something other than a partition id");
    }
    refused(managementReply([](pn_data_t* b) {
        putString(b, "partition_ids");
        pn_data_put_array(b, false, PN_STRING);
        pn_data_enter(b);
        putString(b, "1");
        putString(b, "1");
        pn_data_exit(b);
    }),
        "twice");
    refused(managementReply([](pn_data_t* b) {
        putString(b, "partition_ids");
        pn_data_put_array(b, false, PN_STRING);
    }),
        "names no partition");
    // Integer ids are as good as text ones.
    const auto numbers = partitionIdsFromManagementReply(managementReply([](pn_data_t* b) {
        putString(b, "partition_ids");
        pn_data_put_array(b, false, PN_INT);
        pn_data_enter(b);
        for (int i : { 2, 0, 1 })
            pn_data_put_int(b, i);
        pn_data_exit(b);
    }),
        status, error);
    ASSERT_TRUE(numbers) << error.toStdString();
    EXPECT_EQ(*numbers, (std::vector<int> { 2, 0, 1 }));
}

TEST(AmqpWire, AHugeOrNonsensicalPartitionCountIsRefused)
{
    int status = 0;
    QString error;
    const std::function<void(pn_data_t*)> counts[] = {
        [](pn_data_t* b) { pn_data_put_int(b, 2147483647); },
        [](pn_data_t* b) { pn_data_put_ulong(b, 18446744073709551615ULL); },
        [](pn_data_t* b) { pn_data_put_long(b, 4097); },
        [](pn_data_t* b) { pn_data_put_int(b, -1); },
        [](pn_data_t* b) { pn_data_put_int(b, 0); },
        [](pn_data_t* b) { pn_data_put_double(b, 2.0); },
        [](pn_data_t* b) { putString(b, "4"); },
        [](pn_data_t* b) { pn_data_put_null(b); },
    };
    for (const auto& count : counts) {
        const auto ids = partitionIdsFromManagementReply(managementReply([&](pn_data_t* b) {
            putString(b, "partition_count");
            count(b);
        }),
            status, error);
        EXPECT_FALSE(ids) << ids->size() << " partitions";
        EXPECT_TRUE(error.contains(QStringLiteral("partition_count"))) << error.toStdString();
    }
    const auto most = partitionIdsFromManagementReply(managementReply([](pn_data_t* b) {
        putString(b, "partition_count");
        pn_data_put_int(b, MaxPartitions);
    }),
        status, error);
    ASSERT_TRUE(most) << error.toStdString();
    EXPECT_EQ(most->size(), static_cast<size_t>(MaxPartitions));
    EXPECT_EQ(most->back(), MaxPartitions - 1);

    const auto tooMany = partitionIdsFromManagementReply(managementReply([](pn_data_t* b) {
        putString(b, "partition_ids");
        pn_data_put_array(b, false, PN_STRING);
        pn_data_enter(b);
        for (int i = 0; i <= MaxPartitions; ++i)
            putString(b, std::to_string(i).c_str());
        pn_data_exit(b);
    }),
        status, error);
    EXPECT_FALSE(tooMany);
    EXPECT_TRUE(error.contains(QStringLiteral("4097 partitions"))) << error.toStdString();
}

TEST(AmqpWire, AReplysStatusIsReadTypeCheckedAndItsWordsCleaned)
{
    const auto m = fromC([](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        putString(p, "status-code");
        pn_data_put_long(p, 503);
        putString(p, "status-description");
        putString(p, "busy\x1b[2Jnow");
        pn_data_exit(p);
    });
    QString description;
    EXPECT_EQ(replyStatus(m, &description), 503);
    EXPECT_EQ(description, QStringLiteral("busy [2Jnow")) << "no escape sequence reaches a terminal";
    const auto wrong = fromC([](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        putString(p, "status-code");
        pn_data_put_map(p);
        putString(p, "status-description");
        pn_data_put_int(p, 5);
        pn_data_exit(p);
    });
    EXPECT_EQ(replyStatus(wrong, &description), 0);
    EXPECT_TRUE(description.isEmpty());
    EXPECT_EQ(replyStatus(proton::message()), 0);
}

TEST(AmqpWire, AnEncodedEventDecodesAsTheConsumerDecodesIt)
{
    proton::message m;
    m.message_annotations().put(proton::symbol("x-opt-sequence-number"), int64_t(99));
    m.message_annotations().put(proton::symbol("iothub-connection-device-id"), std::string("boiler-17"));
    m.content_type("application/json");
    m.body(proton::binary(std::string("{\"t\":1}")));
    m.properties().put("p", std::string("v"));
    const std::vector<char> bytes = m.encode();
    TelemetryEvent e;
    std::string error;
    ASSERT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), e, &error)) << error;
    EXPECT_EQ(e.sequenceNumber, 99);
    EXPECT_EQ(e.deviceId, QStringLiteral("boiler-17"));
    EXPECT_EQ(e.contentType, QStringLiteral("application/json"));
    EXPECT_EQ(e.body, QByteArray("{\"t\":1}"));
    EXPECT_EQ(property(e, "p"), QStringLiteral("v"));
    EXPECT_FALSE(decodeEventBytes(bytes.data(), 0, e, &error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(decodeEventBytes(nullptr, 5, e, &error));
}

TEST(AmqpWire, HostileAnnotationsAndBodiesAreRenderedNotThrown)
{
    const std::string huge(1 << 20, 'h');
    const auto bytes = encodeC([&](pn_message_t* c) {
        pn_data_t* a = pn_message_annotations(c);
        pn_data_put_map(a);
        pn_data_enter(a);
        pn_data_put_ulong(a, 1); // a key that is no name
        putString(a, "ignored");
        putSymbol(a, "x-opt-sequence-number");
        pn_data_put_list(a); // a list where a number belongs
        pn_data_enter(a);
        pn_data_put_int(a, 5);
        pn_data_exit(a);
        putSymbol(a, "x-opt-enqueued-time");
        putString(a, "not a time");
        putSymbol(a, "x-opt-offset");
        pn_data_put_binary(a, pn_bytes(3, "\x01\x02\x03"));
        putSymbol(a, "iothub-connection-device-id");
        pn_data_put_map(a);
        pn_data_enter(a);
        putString(a, "k");
        putString(a, "v");
        pn_data_exit(a);
        putSymbol(a, "iothub-connection-module-id");
        pn_data_put_described(a);
        pn_data_enter(a);
        pn_data_put_ulong(a, 0x77);
        putString(a, "described");
        pn_data_exit(a);
        putSymbol(a, "dt-subject");
        pn_data_put_string(a, pn_bytes(huge.size(), huge.data()));
        putSymbol(a, "dt-dataschema");
        pn_data_put_binary(a, pn_bytes(huge.size(), huge.data()));
        pn_data_exit(a);
        // An amqp-sequence body instead of data.
        pn_message_set_inferred(c, true);
        pn_data_t* b = pn_message_body(c);
        pn_data_put_list(b);
        pn_data_enter(b);
        pn_data_put_int(b, 42);
        putString(b, "text");
        pn_data_exit(b);
    });
    TelemetryEvent e;
    std::string error;
    ASSERT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), e, &error)) << error;
    EXPECT_EQ(e.sequenceNumber, -1) << "a list is no sequence number";
    EXPECT_EQ(e.enqueuedMs, -1);
    EXPECT_EQ(e.offset, QStringLiteral("AQID")) << "binary as base64";
    EXPECT_TRUE(e.deviceId.contains(QStringLiteral("\"k\""))) << e.deviceId.toStdString();
    EXPECT_TRUE(e.moduleId.contains(QStringLiteral("described"))) << e.moduleId.toStdString();
    EXPECT_EQ(e.component.size(), static_cast<qsizetype>(huge.size())) << "a plain string is kept whole";
    EXPECT_LE(e.modelId.size(), MaxRenderedValue + 64) << "a rendering is bounded";
    EXPECT_TRUE(e.modelId.contains(QStringLiteral("cut"))) << "and says so";
    EXPECT_TRUE(e.body.contains("42")) << e.body.toStdString();
    EXPECT_TRUE(e.body.contains("text")) << e.body.toStdString();
}

TEST(AmqpWire, DeeplyNestedValuesAreWalkedWithoutRecursion)
{
    // 100000 lists in one another, as the body (amqp-value) and as a device id: Proton keeps at most
    // 65535 nodes of them, the rendering walks them iteratively and is cut at its bound.
    const std::string nested = nestedLists(100000);
    const std::string body = std::string("\0\x53\x77", 3) + nested;
    TelemetryEvent e;
    std::string error;
    ASSERT_TRUE(decodeEventBytes(body.data(), body.size(), e, &error)) << error;
    EXPECT_FALSE(e.body.isEmpty());
    EXPECT_LE(e.body.size(), MaxRenderedBody + 64);
    EXPECT_TRUE(e.body.startsWith("[[[[")) << e.body.left(40).toStdString();

    std::string annotations = std::string("\0\x53\x72", 3) + '\xd1';
    const std::string key = "\xa3\x1biothub-connection-device-id";
    const uint32_t size = static_cast<uint32_t>(4 + key.size() + nested.size());
    for (int shift : { 24, 16, 8, 0 })
        annotations += static_cast<char>((size >> shift) & 0xff);
    annotations += std::string("\0\0\0\x02", 4) + key + nested;
    TelemetryEvent a;
    ASSERT_TRUE(decodeEventBytes(annotations.data(), annotations.size(), a, &error)) << error;
    EXPECT_TRUE(a.deviceId.startsWith(QStringLiteral("[[[["))) << a.deviceId.left(40).toStdString();
    EXPECT_LE(a.deviceId.size(), MaxRenderedValue + 64);
}

// An encoded section (descriptor code `section`: 0x72 annotations, 0x74 application properties)
// holding one map of `key` (a symbol, or a string for properties) to the encoded `value`.
std::string sectionWith(char section, const std::string& key, const std::string& value)
{
    std::string out = std::string("\0\x53", 2) + section + '\xd1';
    const std::string k = std::string(1, section == '\x72' ? '\xa3' : '\xa1') + char(key.size()) + key;
    const uint32_t size = static_cast<uint32_t>(4 + k.size() + value.size());
    for (int shift : { 24, 16, 8, 0 })
        out += static_cast<char>((size >> shift) & 0xff);
    return out + std::string("\0\0\0\x02", 4) + k + value;
}

// An encoded list32 (0xd0) or map32 (0xd1) of `count` items, each the encoded `item`.
std::string compoundOf(char code, uint32_t count, const std::string& item)
{
    std::string out(1, code);
    const uint32_t size = static_cast<uint32_t>(4 + count * item.size());
    for (uint32_t v : { size, count })
        for (int shift : { 24, 16, 8, 0 })
            out += static_cast<char>((v >> shift) & 0xff);
    out.reserve(out.size() + count * item.size());
    for (uint32_t i = 0; i < count; ++i)
        out += item;
    return out;
}

// Issue 12: pn_inspect rendered a whole value before it was cut (text several times the message),
// and found each map member's place by walking back to the first (seconds for one message).
TEST(AmqpWire, RenderingIsBoundedWhileRendering)
{
    using Clock = std::chrono::steady_clock;
    const std::string nulls = compoundOf('\xd0', 1000000, std::string(1, '\x40'));
    std::string bytes = sectionWith('\x72', "iothub-connection-device-id", nulls);
    TelemetryEvent e;
    std::string error;
    auto started = Clock::now();
    ASSERT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), e, &error)) << error;
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count(), 3000);
    EXPECT_TRUE(e.deviceId.startsWith(QStringLiteral("[null, null, "))) << e.deviceId.left(40).toStdString();
    EXPECT_LE(e.deviceId.size(), MaxRenderedValue + 64);
    EXPECT_TRUE(e.deviceId.endsWith(QStringLiteral("... (cut at 65536 bytes)"))) << e.deviceId.right(40).toStdString();

    // A map of 60,000 nulls as a property and as the body (amqp-value): the old rendering took
    // seconds (minutes under sanitizers) for each.
    const std::string map = compoundOf('\xd1', 60000, std::string(1, '\x40'));
    bytes = sectionWith('\x74', "p", map) + std::string("\0\x53\x77", 3) + map;
    started = Clock::now();
    TelemetryEvent m;
    ASSERT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), m, &error)) << error;
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count(), 3000);
    ASSERT_EQ(m.applicationProperties.size(), 1);
    const QString p = m.applicationProperties[0].second;
    EXPECT_TRUE(p.startsWith(QStringLiteral("{null=null, null=null"))) << p.left(40).toStdString();
    EXPECT_LE(p.size(), MaxRenderedValue + 64);
    EXPECT_TRUE(p.contains(QStringLiteral("(cut at"))) << "and says so";
    EXPECT_TRUE(m.body.startsWith("{null=null, ")) << m.body.left(40).toStdString();
    EXPECT_TRUE(m.body.endsWith("null=null}")) << "330,000 bytes fit in the body's bound: whole";
    EXPECT_EQ(m.body.size(), qsizetype(30000 * 11 - 2 + 2));

    // Bytes that render four times their size (\xNN) are cut at the bound, not rendered first.
    const std::string binary
        = compoundOf('\xd0', 1, std::string("\xb0\x00\x80\x00\x00", 5) + std::string(0x800000, '\x01'));
    bytes = sectionWith('\x74', "b", binary);
    TelemetryEvent b;
    ASSERT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), b, &error)) << error;
    ASSERT_EQ(b.applicationProperties.size(), 1);
    EXPECT_TRUE(b.applicationProperties[0].second.startsWith(QStringLiteral("[b\"\\x01\\x01")));
    EXPECT_LE(b.applicationProperties[0].second.size(), MaxRenderedValue + 64);
}

TEST(AmqpWire, RenderingKeepsProtonsNotation)
{
    const auto bytes = encodeC([&](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        putString(p, "v");
        pn_data_put_map(p);
        pn_data_enter(p);
        putSymbol(p, "abc");
        pn_data_put_list(p);
        pn_data_enter(p);
        pn_data_put_null(p);
        pn_data_put_bool(p, true);
        pn_data_put_string(p, pn_bytes(6, "h\"i\xc3\xa9\n"));
        pn_data_put_binary(p, pn_bytes(3, "\0\x01z"));
        pn_data_put_short(p, -300);
        pn_data_put_double(p, 1.5);
        pn_data_exit(p);
        putSymbol(p, "a-b");
        pn_data_put_array(p, false, PN_INT);
        pn_data_enter(p);
        pn_data_put_int(p, 1);
        pn_data_put_int(p, 2);
        pn_data_exit(p);
        pn_data_put_ulong(p, 7);
        pn_data_put_described(p);
        pn_data_enter(p);
        putSymbol(p, "d");
        pn_data_put_list(p);
        pn_data_exit(p);
        pn_data_exit(p);
        putString(p, "after");
        putString(p, "still here");
        pn_data_exit(p);
    });
    TelemetryEvent e;
    std::string error;
    ASSERT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), e, &error)) << error;
    EXPECT_EQ(property(e, "v"),
        QStringLiteral(R"({:abc=[null, true, "h\x22i\xc3\xa9\x0a", b"\x00\x01z", -300, 1.5], :"a-b"=@PN_INT[1, 2], )"
                       R"(7=@:d []})"));
    EXPECT_EQ(property(e, "after"), QStringLiteral("still here")) << "the walk put the cursor back";
}

TEST(AmqpWire, BytesThatAreNoMessageEndCleanly)
{
    // Cut and bit-flipped copies of a real event, and bytes at random: decoded or refused, never a
    // crash or an exception out of the decoder.
    proton::message m;
    m.message_annotations().put(proton::symbol("x-opt-sequence-number"), int64_t(5));
    m.message_annotations().put(proton::symbol("iothub-connection-device-id"), std::string("d"));
    m.properties().put("p", std::string("v"));
    m.content_type("application/json");
    m.body(proton::binary(std::string("{\"a\":[1,2,3]}")));
    const std::vector<char> good = m.encode();
    std::mt19937 rng(7);
    int decoded = 0;
    for (int i = 0; i < 20000; ++i) {
        std::vector<char> bytes = good;
        if (i % 3 == 0) {
            bytes.resize(rng() % 64);
            for (auto& b : bytes)
                b = static_cast<char>(rng());
        } else {
            for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips)
                bytes[rng() % bytes.size()] = static_cast<char>(rng());
            if (i % 3 == 1)
                bytes.resize(1 + rng() % bytes.size());
        }
        TelemetryEvent e;
        std::string error;
        if (decodeEventBytes(bytes.data(), bytes.size(), e, &error))
            ++decoded;
        else
            EXPECT_FALSE(error.empty());
    }
    EXPECT_GT(decoded, 0);
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
