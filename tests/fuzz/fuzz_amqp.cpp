// AMQP decoding: any bytes as an encoded AMQP message (what the Event Hubs endpoint delivers),
// decoded into a TelemetryEvent by the same code the consumer runs: annotations, properties and
// body of any type, any depth.
#include "eventhub/eventdecode.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    iotc::TelemetryEvent event;
    std::string error;
    (void)iotc::decodeEventBytes(reinterpret_cast<const char*>(data), size, event, &error);
    return 0;
}
