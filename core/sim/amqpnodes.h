#pragma once

#include "eventstore.h"

#include <proton/link.hpp>
#include <proton/message.hpp>
#include <proton/source.hpp>
#include <proton/value.hpp>

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace iotc::sim {

// The small pieces of the simulated Event Hubs endpoint that are not about connections:
// addresses, selector filters, request properties and the $management node's answers.

int64_t nowSeconds();
// "amqps://host/hub/ConsumerGroups/$Default/Partitions/0" or "hub/ConsumerGroups/..." -> path parts
std::vector<std::string> addressParts(std::string address);
// The selector filter's expression of a receiver's source (empty string when it is malformed).
std::optional<std::string> selectorOf(const proton::source& source);

// The raw application property `key` (null when absent). Walked as it came: a client may put
// values there (a described one) that Proton's typed map<string, scalar> view throws on.
proton::value rawProperty(const proton::message& m, const std::string& key);

template <typename T> T propertyOr(const proton::message& m, const std::string& key, T fallback)
{
    try {
        return proton::get<T>(rawProperty(m, key));
    } catch (const std::exception&) {
        return fallback;
    }
}

// The properties an attach answer carries: the client's own, as Azure's AMQP stack answers
// (Microsoft.Azure.Amqp's link settings copy the remote attach's properties). Microsoft's Python
// Event Hubs SDK merges them into its own and fails on an answer without them. Empty when the
// client's are not a map of symbols.
std::map<proton::symbol, proton::value> echoedLinkProperties(const proton::link& link);

// A put-token for one of the event hubs, as Event Hubs judges it: the token's resource names a
// known entity (sb://host/{entityPath}) that the audience names too, it is signed with the policy
// key's raw text under its key name, and it has not expired. 202 with the entity and the token's
// expiry, or 401 with Event Hubs' words.
struct CbsAnswer {
    int status = 401;
    std::string description;
    std::string entity;
    int64_t expiry = 0;
};
CbsAnswer judgeEventHubToken(const std::string& audience, const std::string& token, const QByteArray& key,
    const QString& keyName, const std::function<bool(const std::string&)>& knownEntity);

struct ManagementAnswer {
    int status = 200;
    std::string description = "OK";
    std::map<std::string, proton::value> body;
};
// READ of com.microsoft:eventhub or com.microsoft:partition, as Event Hubs answers it.
ManagementAnswer readManagement(
    const EventStore& store, const std::string& name, const std::string& type, const std::string& partition);

} // namespace iotc::sim
