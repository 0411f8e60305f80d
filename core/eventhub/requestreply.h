#pragma once

// AMQP management-style request/reply ($cbs for tokens, $management for partitions): the reply-to
// addresses the consumer names, and opening a sender/receiver pair for a node.

#include <proton/connection.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/sender.hpp>
#include <proton/target_options.hpp>

#include <string>

namespace iotc {

inline constexpr const char* CbsReplyTo = "iotc-cbs-reply";
inline constexpr const char* ManagementReplyTo = "iotc-management-reply";

// A sender to the node and a receiver from it whose target is the reply-to address the requests name.
inline void openRequestReply(proton::connection& c, const std::string& node, const std::string& replyTo,
    proton::sender& sender, proton::receiver& receiver)
{
    sender = c.open_sender(node);
    proton::target_options to;
    to.address(replyTo);
    proton::receiver_options ro;
    ro.target(to);
    receiver = c.open_receiver(node, ro);
}

} // namespace iotc
