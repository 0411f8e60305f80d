// The Event Hubs connection-string parser: any text gives a target or an error, never both, never
// a crash; a target has a host and an entity and plain AMQP only to loopback.
#include "eventhub/eventhubtarget.h"

#include <QString>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto text = QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    QString error;
    const auto target = iotc::EventHubTarget::fromConnectionString(text, error);
    if (target) {
        if (target->hostName().isEmpty() || (!target->tls && !target->isLoopback()))
            __builtin_trap();
        if (target->port() <= 0 || target->port() > 65535)
            __builtin_trap();
    } else if (error.isEmpty()) {
        __builtin_trap(); // refused without saying why
    }
    return 0;
}
