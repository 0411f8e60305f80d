#pragma once

#include "eventhubconsumer.h"
#include "telemetryevent.h"
#include "textinterner.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

#include <proton/receiver_options.hpp>

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

// A partition receiver as the Event Hubs SDKs attach it: the start position as a selector filter,
// deliveries settled by the service on sending (the retained log, not a delivery state, is what a
// reconnect resumes from, so nothing is acknowledged per event), credit granted by the caller.
proton::receiver_options partitionReceiverOptions(
    const std::string& address, const std::string& selector, const std::string& linkName);

// What a non-retryable AMQP condition means, in words; nullopt when retrying may help.
std::optional<QString> permanentCondition(const std::string& condition);

} // namespace iotc
