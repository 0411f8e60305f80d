#include "amqpnodes.h"

#include "util/sas.h"

#include <QDateTime>

#include <proton/codec/decoder.hpp>
#include <proton/codec/vector.hpp>
#include <proton/timestamp.hpp>
#include <proton/types.hpp>

namespace iotc::sim {

CbsAnswer judgeEventHubToken(const std::string& audience, const std::string& token, const QByteArray& key,
    const QString& keyName, const std::function<bool(const std::string&)>& knownEntity)
{
    const QString qtoken = QString::fromStdString(token);
    const auto parsed = parseSasToken(qtoken);
    if (!parsed)
        return { 401, "InvalidSignature: The token has an invalid signature.", {}, 0 };
    // The resource must name one of our event hubs: sb://host/{entityPath}
    const auto parts = addressParts(parsed->resource.toStdString());
    if (parts.empty() || !knownEntity(parts[0]) || audience.find(parts[0]) == std::string::npos)
        return { 401,
            "InvalidAudience: The token audience '" + parsed->resource.toStdString() + "' does not match the entity '"
                + audience + "'.",
            {}, 0 };
    if (!verifySasSignature(qtoken, key, SasKeyKind::RawText) || parsed->keyName != keyName)
        return { 401, "InvalidSignature: The token has an invalid signature.", {}, 0 };
    if (parsed->expiry <= nowSeconds())
        return { 401, "ExpiredToken: The token is expired.", {}, 0 };
    return { 202, "Accepted", parts[0], parsed->expiry };
}

int64_t nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

// "amqps://host/hub/ConsumerGroups/$Default/Partitions/0" or "hub/ConsumerGroups/..." -> path parts
std::vector<std::string> addressParts(std::string address)
{
    if (auto scheme = address.find("://"); scheme != std::string::npos) {
        address = address.substr(scheme + 3);
        auto slash = address.find('/');
        address = slash == std::string::npos ? std::string() : address.substr(slash + 1);
    }
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= address.size()) {
        auto slash = address.find('/', start);
        if (slash == std::string::npos)
            slash = address.size();
        if (slash > start)
            parts.push_back(address.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

namespace {

// The value under `key` in an AMQP map walked as it came (keys a symbol or a string: clients
// differ, and Proton's typed map views throw on what they do not expect); nullopt when no key
// matches. Throws when the value is not a map that can be read.
std::optional<proton::value> valueUnder(const proton::value& map, const std::string& key)
{
    if (map.empty())
        return std::nullopt;
    proton::codec::decoder d(map);
    proton::codec::start start;
    d >> start;
    for (size_t i = 0; i + 1 < start.size; i += 2) {
        proton::value name;
        proton::value value;
        d >> name >> value;
        if ((name.type() == proton::SYMBOL && std::string(proton::get<proton::symbol>(name)) == key)
            || (name.type() == proton::STRING && proton::get<std::string>(name) == key))
            return value;
    }
    return std::nullopt;
}

} // namespace

proton::value rawProperty(const proton::message& m, const std::string& key)
{
    try {
        return valueUnder(m.properties().value(), key).value_or(proton::value());
    } catch (const std::exception&) {
        return {};
    }
}

std::optional<std::string> selectorOf(const proton::source& source)
{
    std::optional<proton::value> filter;
    try {
        filter = valueUnder(source.filters().value(), "apache.org:selector-filter:string");
    } catch (const std::exception&) {
        return std::string(); // a filter map that cannot be read: refused as no supported selector
    }
    if (!filter)
        return std::nullopt;
    try {
        proton::codec::decoder f(*filter);
        proton::codec::start described;
        f >> described;
        proton::value descriptor;
        std::string expression;
        f >> descriptor >> expression >> proton::codec::finish();
        return expression;
    } catch (const std::exception&) {
        return std::string();
    }
}

std::map<proton::symbol, proton::value> echoedLinkProperties(const proton::link& link)
{
    try {
        return link.properties();
    } catch (const std::exception&) {
        return {};
    }
}

ManagementAnswer readManagement(
    const EventStore& store, const std::string& name, const std::string& type, const std::string& partitionText)
{
    ManagementAnswer a;
    if (type == "com.microsoft:eventhub") {
        std::vector<std::string> ids;
        for (int i = 0; i < store.partitionCount(); ++i)
            ids.push_back(std::to_string(i));
        a.body["name"] = name;
        a.body["created_at"] = proton::timestamp(1735689600000);
        a.body["partition_count"] = int32_t(store.partitionCount());
        a.body["partition_ids"] = ids;
        return a;
    }
    if (type == "com.microsoft:partition") {
        int partition = -1;
        try {
            partition = std::stoi(partitionText);
        } catch (...) {
        }
        if (partition < 0 || partition >= store.partitionCount())
            return { 400, "The partition '" + partitionText + "' does not exist.", {} };
        const auto info = store.info(partition);
        a.body["name"] = name;
        a.body["partition"] = partitionText;
        a.body["begin_sequence_number"] = int64_t(info.beginSequence);
        a.body["last_enqueued_sequence_number"] = int64_t(info.lastSequence);
        a.body["last_enqueued_offset"] = std::to_string(info.lastOffset);
        a.body["last_enqueued_time_utc"] = proton::timestamp(info.lastEnqueuedMs);
        a.body["is_partition_empty"] = info.empty;
        return a;
    }
    return { 400, "Unsupported type '" + type + "'.", {} };
}

} // namespace iotc::sim
