// The simulator's MQTT 3.1.1 codec (sim/mqttwire) on any bytes, in any pieces: every packet taken
// is whole (the buffer only shrinks by what was taken), a bad length is an error in words and
// never a hang, and the parsers of CONNECT, PUBLISH and SUBSCRIBE accept or refuse without reading
// past the packet.
#include "fuzzinput.h"

#include "sim/mqttwire.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    iotc::fuzz::FuzzInput in(data, size);
    QByteArray buffer;
    int packets = 0;
    while (packets < 1000) {
        const size_t piece = 1 + in.pick() % 200;
        const std::string_view bytes = in.take(piece);
        if (bytes.empty())
            break;
        buffer.append(bytes.data(), static_cast<qsizetype>(bytes.size()));
        for (;;) {
            const qsizetype before = buffer.size();
            QString error;
            const auto p = iotc::sim::takeMqttPacket(buffer, error);
            if (!error.isEmpty()) {
                if (p || buffer.size() != before)
                    __builtin_trap(); // an error takes nothing
                return 0;
            }
            if (!p) {
                if (buffer.size() != before)
                    __builtin_trap();
                break;
            }
            if (buffer.size() >= before || p->body.size() > iotc::sim::MaxMqttPacketBytes)
                __builtin_trap();
            ++packets;
            QString why;
            switch (p->type) {
            case 1:
                if (!iotc::sim::parseConnect(*p, why) && why.isEmpty())
                    __builtin_trap();
                break;
            case 3:
                if (const auto m = iotc::sim::parsePublish(*p, why); m && m->payload.size() > p->body.size())
                    __builtin_trap();
                break;
            case 8:
                if (const auto s = iotc::sim::parseSubscribe(*p, why); s && (s->filters.empty() || s->filters.size() > 64))
                    __builtin_trap();
                break;
            default:
                break;
            }
        }
    }
    return 0;
}
