#pragma once

#include "eventhubconsumer.h"
#include "telemetryevent.h"
#include "textinterner.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace proton {
class message;
}

namespace iotc {

// How Event Hubs' AMQP looks on our side: start positions as selector filters, events as values,
// and which error conditions retrying cannot fix.

// The selector filter for a partition receiver: resume after lastSequence when there is one.
std::string startSelector(const ConsumerStart& start, int partition, qint64 lastSequence);

// IoT Hub's annotations (sequence number, offset, enqueued time, device, module, component,
// model, source, auth method) into the event. The recurring texts come from `texts`.
void decodeAnnotations(const proton::message& message, TelemetryEvent& event, TextInterner& texts);
// Content type and encoding, body bytes and application properties (names shared through `texts`).
void decodeContent(const proton::message& message, TelemetryEvent& event, TextInterner& texts);

// The partition ids in a $management READ reply (partition_ids, else partition_count); nullopt
// with status set when the reply is not a successful one.
std::optional<std::vector<int>> partitionIdsFromManagementReply(const proton::message& reply, int& status);

// What a non-retryable AMQP condition means, in words; nullopt when retrying may help.
std::optional<QString> permanentCondition(const std::string& condition);

} // namespace iotc
