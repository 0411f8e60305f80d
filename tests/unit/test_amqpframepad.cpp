// AmqpFramePadder: the simulator's frames get every field of their performative (Azure's shape),
// whatever pieces the stream arrives in; headers, SASL frames and payloads pass unchanged.
#include "sim/amqpframepad.h"

#include <gtest/gtest.h>

using iotc::sim::AmqpFramePadder;

namespace {

QByteArray frame(quint8 type, const QByteArray& body)
{
    QByteArray f;
    const quint32 size = static_cast<quint32>(8 + body.size());
    f.append(char(size >> 24)).append(char(size >> 16)).append(char(size >> 8)).append(char(size));
    f.append('\x02').append(char(type)).append('\x00').append('\x00');
    return f + body;
}

// A described performative with a list8 of the given encoded fields.
QByteArray performative(quint8 code, const QByteArray& fields, int count, const QByteArray& payload = {})
{
    QByteArray body("\x00\x53", 2);
    body.append(char(code));
    body.append('\xc0').append(char(fields.size() + 1)).append(char(count));
    return frame(0, body + fields + payload);
}

const QByteArray SaslHeader("AMQP\x03\x01\x00\x00", 8);
const QByteArray AmqpHeader("AMQP\x00\x01\x00\x00", 8);

} // namespace

TEST(AmqpFramePad, HeadersAndSaslFramesPassUnchanged)
{
    AmqpFramePadder padder;
    const QByteArray sasl = frame(1, QByteArray("\x00\x53\x40\xc0\x04\x01\xa3\x01\x41", 9));
    const QByteArray in = SaslHeader + sasl + AmqpHeader;
    EXPECT_EQ(padder.feed(in), in);
}

TEST(AmqpFramePad, ABeginWithoutHandleMaxGetsItAndTheRestAsNull)
{
    AmqpFramePadder padder;
    // remote-channel 0 (ushort), next-outgoing-id 1, incoming-window 2, outgoing-window 3 (smalluint).
    const QByteArray fields("\x60\x00\x00\x52\x01\x52\x02\x52\x03", 9);
    const QByteArray out = padder.feed(performative(0x11, fields, 4));
    // Size, doff/type/channel, descriptor, list32 of 8, the four fields, handle-max, three nulls.
    QByteArray expected = QByteArray("\x02\x00\x00\x00\x00\x53\x11\xd0", 8);
    const QByteArray items = fields + QByteArray("\x70\xff\xff\xff\xff\x40\x40\x40", 8);
    const quint32 listSize = static_cast<quint32>(items.size() + 4);
    expected.append(char(listSize >> 24))
        .append(char(listSize >> 16))
        .append(char(listSize >> 8))
        .append(char(listSize));
    expected.append(QByteArray("\x00\x00\x00\x08", 4)).append(items);
    const quint32 size = static_cast<quint32>(expected.size() + 4);
    expected.prepend(QByteArray(1, char(size))).prepend(QByteArray(3, '\0'));
    EXPECT_EQ(out.toHex().toStdString(), expected.toHex().toStdString());
}

TEST(AmqpFramePad, ATransfersPayloadStaysAfterThePaddedFields)
{
    AmqpFramePadder padder;
    const QByteArray fields("\x43\x43", 2); // handle 0, delivery-id 0 (uint0)
    const QByteArray payload("\x00\x53\x75\xa0\x03xyz", 8); // a data section
    const QByteArray out = padder.feed(performative(0x14, fields, 2, payload));
    EXPECT_TRUE(out.endsWith(payload)) << out.toHex().toStdString();
    // The list says 11 fields: the two given and nine nulls.
    const qsizetype countAt = 8 + 3 + 1 + 4;
    EXPECT_EQ(out.mid(countAt, 4), QByteArray("\x00\x00\x00\x0b", 4));
    EXPECT_EQ(out.mid(countAt + 4, 2), fields);
    EXPECT_EQ(out.mid(countAt + 6, 9), QByteArray(9, '\x40'));
    const quint32 size = (quint8(out[0]) << 24) | (quint8(out[1]) << 16) | (quint8(out[2]) << 8) | quint8(out[3]);
    EXPECT_EQ(size, static_cast<quint32>(out.size()));
}

TEST(AmqpFramePad, PiecesOfAnySizeGiveTheSameBytes)
{
    const QByteArray stream = AmqpHeader + performative(0x10, QByteArray("\xa1\x01x", 3), 1)
        + performative(0x11, QByteArray("\x40\x43\x43\x43", 4), 4) + frame(0, {}) /* heartbeat */
        + performative(0x18, {}, 0);
    AmqpFramePadder whole;
    const QByteArray expected = whole.feed(stream);
    EXPECT_GT(expected.size(), stream.size()) << "the Open, Begin and Close were padded";
    for (int piece : { 1, 3, 7, 64 }) {
        AmqpFramePadder padder;
        QByteArray out;
        for (qsizetype at = 0; at < stream.size(); at += piece)
            out += padder.feed(stream.mid(at, piece));
        EXPECT_EQ(out, expected) << "pieces of " << piece;
    }
}

TEST(AmqpFramePad, WhatIsNoFrameTurnsItIntoAPlainPipe)
{
    AmqpFramePadder padder;
    const QByteArray junk("\xff\xff\xff\xff garbage", 12);
    EXPECT_EQ(padder.feed(junk), junk);
    EXPECT_TRUE(padder.passingThrough());
    EXPECT_EQ(padder.feed("more"), QByteArray("more"));
}
