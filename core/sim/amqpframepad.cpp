#include "amqpframepad.h"

#include <QtEndian>

#include <array>

namespace iotc::sim {

namespace {

// The performatives' descriptor codes (0x10 open ... 0x18 close) and their field counts.
constexpr quint64 FirstPerformative = 0x10;
constexpr std::array<int, 9> FieldCount { 10, 8, 14, 11, 11, 6, 3, 1, 1 };
constexpr quint64 BeginCode = 0x11;
constexpr int BeginHandleMaxField = 4;

quint32 be32(const char* p)
{
    return qFromBigEndian<quint32>(reinterpret_cast<const uchar*>(p));
}

void appendBe32(QByteArray& out, quint32 v)
{
    char b[4];
    qToBigEndian(v, reinterpret_cast<uchar*>(b));
    out.append(b, 4);
}

} // namespace

QByteArray AmqpFramePadder::feed(const QByteArray& bytes)
{
    if (m_passThrough)
        return bytes;
    m_buffer.append(bytes);
    QByteArray out;
    qsizetype at = 0;
    while (true) {
        const qsizetype left = m_buffer.size() - at;
        if (left < 8)
            break;
        const char* p = m_buffer.constData() + at;
        if (p[0] == 'A' && p[1] == 'M' && p[2] == 'Q' && p[3] == 'P') { // a protocol header
            out.append(p, 8);
            at += 8;
            continue;
        }
        const quint32 size = be32(p);
        if (size < 8 || size > MaxFrameBytes) {
            m_passThrough = true; // not a frame this can read: everything from here on as it is
            break;
        }
        if (left < static_cast<qsizetype>(size))
            break;
        out.append(pad(m_buffer.mid(at, size)));
        at += size;
    }
    if (m_passThrough) {
        out.append(m_buffer.constData() + at, m_buffer.size() - at);
        m_buffer.clear();
        return out;
    }
    m_buffer.remove(0, at);
    return out;
}

// One whole frame: an AMQP performative (type 0) whose field list is short comes back with the
// missing fields; anything else as it was.
QByteArray AmqpFramePadder::pad(const QByteArray& frame) const
{
    const auto* p = reinterpret_cast<const uchar*>(frame.constData());
    const qsizetype size = frame.size();
    const qsizetype body = qsizetype(p[4]) * 4;
    if (p[5] != 0 || body < 8 || body + 3 > size || p[body] != 0x00)
        return frame; // SASL, an empty (heartbeat) frame, or no described performative
    qsizetype at = body + 1;
    quint64 code = 0;
    if (p[at] == 0x53 && at + 1 < size) { // smallulong
        code = p[at + 1];
        at += 2;
    } else if (p[at] == 0x80 && at + 8 < size) { // ulong
        code = qFromBigEndian<quint64>(p + at + 1);
        at += 9;
    } else {
        return frame;
    }
    if (code < FirstPerformative || code >= FirstPerformative + FieldCount.size() || at >= size)
        return frame;
    const int fields = FieldCount[static_cast<size_t>(code - FirstPerformative)];
    quint32 count = 0;
    qsizetype itemsAt = 0;
    qsizetype listEnd = 0; // where the list ends (a Transfer's payload follows)
    switch (p[at]) {
    case 0x45: // list0
        itemsAt = at + 1;
        listEnd = itemsAt;
        break;
    case 0xc0: // list8: size, count
        if (at + 3 > size)
            return frame;
        count = p[at + 2];
        itemsAt = at + 3;
        listEnd = at + 2 + p[at + 1];
        break;
    case 0xd0: // list32
        if (at + 9 > size)
            return frame;
        count = qFromBigEndian<quint32>(p + at + 5);
        itemsAt = at + 9;
        listEnd = at + 5 + qFromBigEndian<quint32>(p + at + 1);
        break;
    default:
        return frame;
    }
    if (listEnd > size || listEnd < itemsAt || count >= static_cast<quint32>(fields))
        return frame;
    QByteArray added;
    for (int field = static_cast<int>(count); field < fields; ++field) {
        if (code == BeginCode && field == BeginHandleMaxField)
            added.append("\x70\xff\xff\xff\xff", 5); // uint 4294967295, the default
        else
            added.append('\x40'); // null
    }
    const quint32 items = static_cast<quint32>(listEnd - itemsAt + added.size());
    QByteArray out;
    out.reserve(size + added.size() + 8);
    appendBe32(out, 0); // the frame's size, set below
    out.append(frame.constData() + 4, at - 4); // doff, type, channel, extended header, descriptor
    out.append('\xd0');
    appendBe32(out, items + 4); // (the size counts the count field)
    appendBe32(out, static_cast<quint32>(fields));
    out.append(frame.constData() + itemsAt, listEnd - itemsAt);
    out.append(added);
    out.append(frame.constData() + listEnd, size - listEnd); // the payload
    qToBigEndian(static_cast<quint32>(out.size()), reinterpret_cast<uchar*>(out.data()));
    return out;
}

} // namespace iotc::sim
