#pragma once

// A small, synchronous AMQP client for tests and benchmarks: one connection that runs a script
// (put a CBS token, ask $management, receive from a partition) and reports what the peer said.
// It speaks to the simulator exactly as an Event Hubs SDK would, through Qpid Proton.
#include <proton/codec/map.hpp>
#include <proton/value.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace iotc::test {

struct ReceivedEvent {
    std::string body;
    std::map<std::string, std::string> annotations; // values rendered as text
    int64_t sequenceNumber = -1;
    std::optional<std::string> contentType;
    std::optional<std::string> contentEncoding;
    bool enqueuedTimeIsTimestamp = false;
};

struct AmqpScript {
    std::string hostPort; // 127.0.0.1:5672
    std::optional<std::pair<std::string, std::string>> putToken; // audience, token
    std::optional<std::string> managementType; // com.microsoft:eventhub | com.microsoft:partition
    std::string managementName;
    std::string managementPartition;
    std::optional<std::string> receiveAddress;
    std::vector<std::string> alsoReceiveFrom; // more partitions on the same connection (counted together)
    std::string selector; // empty: no filter
    size_t receiveCount = 0; // stop after this many (0: stay until timeout or error)
    int credit = 300;
    // As the product receives: deliveries settled by the sender, credit topped up in halves (not
    // Proton's window, which sends a flow after every delivery).
    bool settledWithCreditInHalves = false;
    int timeoutMs = 10000;
    bool keepBodies = true;
    std::function<void()> onReceiverOpen; // called (on the client's thread) once the receiver is attached
};

struct AmqpResult {
    int cbsStatus = -1;
    std::string cbsDescription;
    int managementStatus = -1;
    std::map<std::string, proton::value> management;
    std::vector<ReceivedEvent> events;
    std::string linkError; // condition name of a closed receiver
    std::string connectionError; // condition name of a closed connection
    bool timedOut = false;
    double receiveSeconds = 0; // from link open to the last wanted event
};

AmqpResult runAmqp(const AmqpScript& script);

// "amqp.annotation.x-opt-sequence-number > '41'" etc.
std::string selectorFromBeginning();
std::string selectorAfterSequence(int64_t sequenceNumber);

} // namespace iotc::test
