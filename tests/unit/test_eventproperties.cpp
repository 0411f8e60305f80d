// Every annotation as received and the AMQP properties section reach the event (issue 14: what
// `monitor-events --properties sys,anno` shows), bounded, with what was dropped counted.
#include "eventhub/eventdecode.h"
#include "monitor/capturefile.h"

#include <proton/codec.h>
#include <proton/message.h>
#include <proton/message.hpp>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "protonencode.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

using iotc::test::encodeC;

void putSymbol(pn_data_t* d, const char* s)
{
    pn_data_put_symbol(d, pn_bytes(std::strlen(s), s));
}

void putString(pn_data_t* d, const std::string& s)
{
    pn_data_put_string(d, pn_bytes(s.size(), s.data()));
}

pn_atom_t stringAtom(const char* s)
{
    pn_atom_t a;
    a.type = PN_STRING;
    a.u.as_bytes = pn_bytes(std::strlen(s), s);
    return a;
}

TelemetryEvent decoded(const std::vector<char>& bytes)
{
    TelemetryEvent e;
    std::string error;
    EXPECT_TRUE(decodeEventBytes(bytes.data(), bytes.size(), e, &error)) << error;
    return e;
}

EventValue valueOf(const EventFields& fields, const char* key)
{
    for (const auto& [k, v] : fields)
        if (k == QLatin1String(key))
            return v;
    return QStringLiteral("(missing)");
}

qint64 number(const EventValue& v)
{
    const qint64* n = std::get_if<qint64>(&v);
    return n ? *n : -999;
}

QString text(const EventValue& v)
{
    const QString* t = std::get_if<QString>(&v);
    return t ? *t : QStringLiteral("(not text)");
}

// A message as IoT Hub delivers it, with an annotation nobody reads and every AMQP property set.
std::vector<char> fullMessage()
{
    return encodeC([](pn_message_t* c) {
        pn_message_set_id(c, stringAtom("msg-17"));
        pn_message_set_user_id(c, pn_bytes(8, "myhub-01"));
        pn_message_set_address(c, "/devices/boiler-17/messages/events");
        pn_message_set_subject(c, "telemetry");
        pn_message_set_reply_to(c, "replies");
        pn_atom_t correlation;
        correlation.type = PN_ULONG;
        correlation.u.as_ulong = 4242;
        pn_message_set_correlation_id(c, correlation);
        pn_message_set_content_type(c, "application/json");
        pn_message_set_content_encoding(c, "utf-8");
        pn_message_set_expiry_time(c, 1764000060000);
        pn_message_set_creation_time(c, 1764000000000);
        pn_message_set_group_id(c, "group");
        pn_message_set_group_sequence(c, 3);
        pn_message_set_reply_to_group_id(c, "reply-group");
        pn_data_t* a = pn_message_annotations(c);
        pn_data_put_map(a);
        pn_data_enter(a);
        putSymbol(a, "x-opt-sequence-number");
        pn_data_put_long(a, 42);
        putSymbol(a, "x-opt-offset");
        putString(a, "8800");
        putSymbol(a, "x-opt-enqueued-time");
        pn_data_put_timestamp(a, 1764000000123);
        putSymbol(a, "iothub-connection-device-id");
        putString(a, "boiler-17");
        putSymbol(a, "iothub-connection-auth-generation-id");
        putString(a, "637983364741039849");
        putSymbol(a, "iothub-enqueuedtime");
        pn_data_put_timestamp(a, 1764000000100);
        putSymbol(a, "iothub-message-source");
        putString(a, "Telemetry");
        putSymbol(a, "x-custom-flag"); // a key no list of IoT Hub's names has
        pn_data_put_bool(a, true);
        putSymbol(a, "x-custom-ratio");
        pn_data_put_double(a, 0.5);
        pn_data_put_ulong(a, 7); // AMQP allows ulong keys
        putString(a, "numbered");
        pn_data_exit(a);
        pn_data_put_binary(pn_message_body(c), pn_bytes(2, "{}"));
        pn_message_set_inferred(c, true);
    });
}

} // namespace

TEST(EventProperties, EveryAnnotationIsKeptAsReceivedInOrderAndType)
{
    const TelemetryEvent e = decoded(fullMessage());
    QStringList keys;
    for (const auto& [k, v] : e.annotations)
        keys << k;
    EXPECT_EQ(keys,
        (QStringList { QStringLiteral("x-opt-sequence-number"), QStringLiteral("x-opt-offset"),
            QStringLiteral("x-opt-enqueued-time"), QStringLiteral("iothub-connection-device-id"),
            QStringLiteral("iothub-connection-auth-generation-id"), QStringLiteral("iothub-enqueuedtime"),
            QStringLiteral("iothub-message-source"), QStringLiteral("x-custom-flag"), QStringLiteral("x-custom-ratio"),
            QStringLiteral("7") }));
    EXPECT_EQ(number(valueOf(e.annotations, "x-opt-sequence-number")), 42);
    EXPECT_EQ(text(valueOf(e.annotations, "x-opt-offset")), QStringLiteral("8800"));
    EXPECT_EQ(number(valueOf(e.annotations, "x-opt-enqueued-time")), 1764000000123) << "a timestamp, in ms";
    EXPECT_EQ(number(valueOf(e.annotations, "iothub-enqueuedtime")), 1764000000100);
    EXPECT_EQ(
        text(valueOf(e.annotations, "iothub-connection-auth-generation-id")), QStringLiteral("637983364741039849"));
    EXPECT_TRUE(valueOf(e.annotations, "x-custom-flag") == EventValue(true));
    EXPECT_TRUE(valueOf(e.annotations, "x-custom-ratio") == EventValue(0.5));
    EXPECT_EQ(text(valueOf(e.annotations, "7")), QStringLiteral("numbered"));
    EXPECT_EQ(e.droppedAnnotations, 0u);
    // The fields read from them are as before, sharing the text.
    EXPECT_EQ(e.sequenceNumber, 42);
    EXPECT_EQ(e.enqueuedMs, 1764000000123);
    EXPECT_EQ(e.deviceId, QStringLiteral("boiler-17"));
    EXPECT_TRUE(text(valueOf(e.annotations, "iothub-connection-device-id")).isSharedWith(e.deviceId));
}

TEST(EventProperties, ThePropertiesSectionIsKeptUnderItsAmqpNames)
{
    const TelemetryEvent e = decoded(fullMessage());
    QStringList keys;
    for (const auto& [k, v] : e.systemProperties)
        keys << k;
    EXPECT_EQ(keys,
        (QStringList { QStringLiteral("message-id"), QStringLiteral("user-id"), QStringLiteral("to"),
            QStringLiteral("subject"), QStringLiteral("reply-to"), QStringLiteral("correlation-id"),
            QStringLiteral("content-type"), QStringLiteral("content-encoding"), QStringLiteral("absolute-expiry-time"),
            QStringLiteral("creation-time"), QStringLiteral("group-id"), QStringLiteral("group-sequence"),
            QStringLiteral("reply-to-group-id") }));
    EXPECT_EQ(text(valueOf(e.systemProperties, "message-id")), QStringLiteral("msg-17"));
    EXPECT_EQ(text(valueOf(e.systemProperties, "user-id")), QStringLiteral("myhub-01"));
    EXPECT_EQ(text(valueOf(e.systemProperties, "to")), QStringLiteral("/devices/boiler-17/messages/events"));
    EXPECT_EQ(number(valueOf(e.systemProperties, "correlation-id")), 4242) << "a ulong id stays a number";
    EXPECT_EQ(number(valueOf(e.systemProperties, "creation-time")), 1764000000000);
    EXPECT_EQ(number(valueOf(e.systemProperties, "absolute-expiry-time")), 1764000060000);
    EXPECT_EQ(number(valueOf(e.systemProperties, "group-sequence")), 3);
    EXPECT_EQ(e.contentType, QStringLiteral("application/json"));
    EXPECT_EQ(e.contentEncoding, QStringLiteral("utf-8"));

    // Only what the message set (as the az CLI drops empty values); a binary user-id that is no
    // UTF-8 in base64.
    const TelemetryEvent bare = decoded(encodeC([](pn_message_t* c) {
        pn_message_set_user_id(c, pn_bytes(2, "\xFF\x01"));
        pn_data_put_binary(pn_message_body(c), pn_bytes(2, "{}"));
        pn_message_set_inferred(c, true);
    }));
    ASSERT_EQ(bare.systemProperties.size(), 1) << "nothing but the user-id";
    EXPECT_EQ(text(bare.systemProperties[0].second), QStringLiteral("/wE="));
    EXPECT_TRUE(bare.annotations.isEmpty());
}

TEST(EventProperties, AnnotationsAndApplicationPropertiesAreBoundedAndTheRestCounted)
{
    // More entries than kept, in both sections.
    const auto many = encodeC([](pn_message_t* c) {
        pn_data_t* a = pn_message_annotations(c);
        pn_data_put_map(a);
        pn_data_enter(a);
        putSymbol(a, "iothub-connection-device-id");
        putString(a, "boiler-17");
        for (int i = 0; i < MaxEventFields + 44; ++i) {
            putSymbol(a, ("x-extra-" + std::to_string(i)).c_str());
            pn_data_put_int(a, i);
        }
        pn_data_exit(a);
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        for (int i = 0; i < MaxEventFields + 10; ++i) {
            putString(p, "p" + std::to_string(i));
            putString(p, "v");
        }
        pn_data_exit(p);
    });
    const TelemetryEvent e = decoded(many);
    EXPECT_EQ(e.annotations.size(), MaxEventFields);
    EXPECT_EQ(e.droppedAnnotations, 45u);
    EXPECT_EQ(e.deviceId, QStringLiteral("boiler-17")) << "read whatever is kept";
    EXPECT_EQ(e.applicationProperties.size(), MaxEventFields);
    EXPECT_EQ(e.droppedApplicationProperties, 10u);

    // Text past the section's size: the entry that does not fit is counted, the next small one kept.
    const std::string big(MaxEventFieldChars, 'x');
    const TelemetryEvent sized = decoded(encodeC([&](pn_message_t* c) {
        pn_data_t* a = pn_message_annotations(c);
        pn_data_put_map(a);
        pn_data_enter(a);
        putSymbol(a, "dt-subject");
        putString(a, big);
        putSymbol(a, "iothub-connection-device-id");
        putString(a, "boiler-17");
        pn_data_exit(a);
    }));
    EXPECT_EQ(sized.droppedAnnotations, 1u);
    ASSERT_EQ(sized.annotations.size(), 1);
    EXPECT_EQ(sized.annotations[0].first, QStringLiteral("iothub-connection-device-id"));
    EXPECT_EQ(sized.component.size(), static_cast<qsizetype>(big.size()))
        << "the component field itself is kept whole, as before";
}

TEST(EventProperties, ACaptureKeepsThemAndReplaysThem)
{
    TelemetryEvent e = decoded(fullMessage());
    e.droppedAnnotations = 3;
    TelemetryEvent back;
    QString error;
    ASSERT_TRUE(parseCaptureLine(captureLine(e), back, error)) << error.toStdString();
    EXPECT_EQ(back.annotations.size(), e.annotations.size());
    for (const auto& [k, v] : e.annotations)
        EXPECT_TRUE(valueOf(back.annotations, k.toUtf8().constData()) == v) << k.toStdString();
    EXPECT_EQ(back.systemProperties.size(), e.systemProperties.size());
    for (const auto& [k, v] : e.systemProperties)
        EXPECT_TRUE(valueOf(back.systemProperties, k.toUtf8().constData()) == v) << k.toStdString();
    EXPECT_EQ(back.droppedAnnotations, 3u);
    EXPECT_EQ(back.sequenceNumber, 42);
    EXPECT_EQ(back.deviceId, QStringLiteral("boiler-17"));
}

TEST(EventProperties, AnOlderCaptureLineStillReplaysWithWhatItKept)
{
    const QByteArray line = R"({"annotations":{"iothub-connection-device-id":"d1","x-opt-sequence-number":5},)"
                            R"("bodyBase64":"e30=","contentEncoding":"utf-8","contentType":"application/json",)"
                            R"("hub":"h","partition":0,"properties":{}})";
    TelemetryEvent e;
    QString error;
    ASSERT_TRUE(parseCaptureLine(line, e, error)) << error.toStdString();
    EXPECT_EQ(e.annotations.size(), 2);
    EXPECT_EQ(text(valueOf(e.systemProperties, "content-type")), QStringLiteral("application/json"));
    EXPECT_EQ(text(valueOf(e.systemProperties, "content-encoding")), QStringLiteral("utf-8"));
}

// The consumer asks for them only when someone shows or keeps them: without, IoT Hub's annotations
// still fill their fields and nothing else is copied.
TEST(EventProperties, WithoutAllOnlyTheFieldsAreFilled)
{
    proton::message m;
    m.decode(fullMessage());
    TelemetryEvent e;
    TextInterner texts;
    decodeAnnotations(m, e, texts, false);
    decodeContent(m, e, texts, false);
    EXPECT_TRUE(e.annotations.isEmpty());
    EXPECT_TRUE(e.systemProperties.isEmpty());
    EXPECT_EQ(e.sequenceNumber, 42);
    EXPECT_EQ(e.deviceId, QStringLiteral("boiler-17"));
    EXPECT_EQ(e.contentType, QStringLiteral("application/json"));
    EXPECT_EQ(e.contentEncoding, QStringLiteral("utf-8"));
    EXPECT_EQ(e.body, QByteArray("{}"));
}
