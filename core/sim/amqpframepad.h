#pragma once

#include <QByteArray>

namespace iotc::sim {

// Rewrites the AMQP frames the simulator's Proton engine sends so that each performative carries
// every one of its fields, as Azure's do: Proton leaves out trailing fields that hold their default
// (a Begin without handle-max, an Attach without max-message-size ...), which the AMQP 1.0
// specification allows but some clients (the Event Hubs SDK for Python's own AMQP stack) index
// without checking. Missing fields are added as null, handle-max as 4294967295 (its default).
// Protocol headers, SASL frames and payloads (a Transfer's message) pass unchanged. Fed the byte
// stream from the server in any pieces; returns what can be sent on, in order. A frame it cannot
// read, or one over MaxFrameBytes, turns it into a plain pipe for the rest of the stream.
class AmqpFramePadder {
public:
    static constexpr qsizetype MaxFrameBytes = 16 * 1024 * 1024;

    QByteArray feed(const QByteArray& bytes);
    bool passingThrough() const { return m_passThrough; }

private:
    QByteArray pad(const QByteArray& frame) const;

    QByteArray m_buffer;
    bool m_passThrough = false;
};

} // namespace iotc::sim
