#pragma once

#include "eventhubconsumer.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

#include <proton/receiver_options.hpp>

namespace proton {
class message;
}

namespace iotc {

// How Event Hubs' AMQP looks on our side: start positions as selector filters, the answers of the
// management nodes, and which error conditions retrying cannot fix. What the peer sends is read
// type-checked and without exceptions (see protondata.h); events themselves in eventdecode.h.

// More partitions than any event hub has (Event Hubs allows 2048 in dedicated tiers, IoT Hub 128):
// a reply naming more is refused rather than opening a receiver for each.
inline constexpr int MaxPartitions = 4096;

// The selector filter for a partition receiver: resume after lastSequence when there is one.
std::string startSelector(const ConsumerStart& start, int partition, qint64 lastSequence);

// A $cbs or $management reply's status-code (0 when it has none of an integer type) and, when
// asked, its status-description (empty when it has none of a text type).
int replyStatus(const proton::message& reply, QString* description = nullptr);

// The partition ids in a $management READ reply (partition_ids, else partition_count): ids from 0
// to MaxPartitions - 1, none twice. nullopt with status and error set when the reply is not a
// successful one or says something else.
std::optional<std::vector<int>> partitionIdsFromManagementReply(
    const proton::message& reply, int& status, QString& error);

// A partition receiver as the Event Hubs SDKs attach it: the start position as a selector filter,
// deliveries settled by the service on sending (the retained log, not a delivery state, is what a
// reconnect resumes from, so nothing is acknowledged per event), credit granted by the caller.
proton::receiver_options partitionReceiverOptions(
    const std::string& address, const std::string& selector, const std::string& linkName);

// What a non-retryable AMQP condition means, in words; nullopt when retrying may help.
std::optional<QString> permanentCondition(const std::string& condition);

} // namespace iotc
