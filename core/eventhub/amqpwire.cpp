#include "amqpwire.h"

#include "protondata.h"

#include <proton/codec/encoder.hpp>
#include <proton/message.hpp>
#include <proton/source.hpp>
#include <proton/source_options.hpp>
#include <proton/types.hpp>

#include <charconv>
#include <map>

namespace iotc {

using namespace protondata;

// Conditions after which retrying cannot help; what they mean in words.
std::optional<QString> permanentCondition(const std::string& condition)
{
    static const std::map<std::string, const char*> words {
        { "com.microsoft:auth-failed", "the credentials were refused" },
        { "com.microsoft:entity-disabled", "the event hub is disabled" },
        { "com.microsoft:argument-out-of-range", "the partition or start position is out of range" },
        { "amqp:not-found", "the event hub does not exist (check the entity path)" },
        { "amqp:link:stolen",
            "another receiver with a higher epoch took this partition in the same consumer group (use another "
            "consumer group for this tool)" },
        { "amqp:resource-limit-exceeded",
            "too many receivers on this partition and consumer group (at most 5): close others or use another "
            "consumer group" },
    };
    if (auto it = words.find(condition); it != words.end())
        return QString::fromLatin1(it->second);
    return std::nullopt;
}

namespace {

// A peer's words for a message of ours: bounded, without control characters (a terminal would
// obey an escape sequence).
QString peerText(pn_bytes_t b)
{
    QString t = text(b).left(500);
    for (QChar& c : t) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
            c = QLatin1Char(' ');
    }
    return t;
}

// A partition number written as decimal text ("0" ... "4095"), the whole text.
std::optional<int> partitionNumber(pn_bytes_t b)
{
    int n = -1;
    const char* end = b.start + b.size;
    const auto [at, ec] = std::from_chars(b.start, end, n);
    if (b.size == 0 || ec != std::errc() || at != end)
        return std::nullopt;
    return n;
}

// partition_ids at d (an array or list of ids as text or integers), entered and left again.
std::optional<std::vector<int>> partitionIds(pn_data_t* d, QString& error)
{
    const pn_type_t type = pn_data_type(d);
    size_t count = 0;
    if (type == PN_ARRAY && !pn_data_is_array_described(d))
        count = pn_data_get_array(d);
    else if (type == PN_LIST)
        count = pn_data_get_list(d);
    else {
        error = QStringLiteral("its partition_ids is not a list of partition ids");
        return std::nullopt;
    }
    if (count > static_cast<size_t>(MaxPartitions)) {
        error = QStringLiteral("its partition_ids names %1 partitions (no event hub has more than %2)")
                    .arg(count)
                    .arg(MaxPartitions);
        return std::nullopt;
    }
    std::vector<int> ids;
    std::vector<bool> seen(MaxPartitions, false);
    pn_data_enter(d);
    for (size_t i = 0; i < count && pn_data_next(d); ++i) {
        std::optional<qint64> id;
        if (const auto b = textBytes(d))
            id = partitionNumber(*b);
        else
            id = integer(d);
        if (!id || *id < 0 || *id >= MaxPartitions) {
            error = QStringLiteral("its partition_ids holds something other than a partition id from 0 to %1")
                        .arg(MaxPartitions - 1);
            break;
        }
        if (seen[*id]) {
            error = QStringLiteral("its partition_ids names partition %1 twice").arg(*id);
            break;
        }
        seen[*id] = true;
        ids.push_back(static_cast<int>(*id));
    }
    pn_data_exit(d);
    if (!error.isEmpty())
        return std::nullopt;
    if (ids.empty()) {
        error = QStringLiteral("its partition_ids names no partition");
        return std::nullopt;
    }
    return ids;
}

} // namespace

int replyStatus(const proton::message& m, QString* description)
{
    if (description)
        description->clear();
    const proton::value& properties = m.properties().value();
    if (properties.empty())
        return 0;
    RawData raw(properties);
    pn_data_t* d = raw.raw();
    pn_data_rewind(d);
    if (!pn_data_next(d) || pn_data_type(d) != PN_MAP)
        return 0;
    int status = 0;
    const size_t count = pn_data_get_map(d);
    pn_data_enter(d);
    for (size_t i = 0; i < count; i += 2) {
        if (!pn_data_next(d))
            break;
        const pn_bytes_t key = textBytes(d).value_or(pn_bytes(0, nullptr));
        if (!pn_data_next(d))
            break;
        if (is(key, "status-code", 11)) {
            const auto n = integer(d);
            status = n && *n > 0 && *n < 1000 ? static_cast<int>(*n) : 0;
        } else if (description && is(key, "status-description", 18)) {
            if (const auto b = textBytes(d))
                *description = peerText(*b);
        }
    }
    pn_data_exit(d);
    return status;
}

std::optional<std::vector<int>> partitionIdsFromManagementReply(const proton::message& m, int& status, QString& error)
{
    error.clear();
    QString description;
    status = replyStatus(m, &description);
    if (status != 200) {
        error = status == 0 ? QStringLiteral("its reply has no status-code")
                            : QStringLiteral("it answered status %1").arg(status)
                + (description.isEmpty() ? QString() : QStringLiteral(" (") + description + QLatin1Char(')'));
        return std::nullopt;
    }
    RawData raw(m.body());
    pn_data_t* d = raw.raw();
    pn_data_rewind(d);
    if (!pn_data_next(d) || pn_data_type(d) != PN_MAP) {
        error = QStringLiteral("its reply's body is not a map");
        return std::nullopt;
    }
    std::optional<std::vector<int>> ids;
    bool sawIds = false;
    bool sawCount = false;
    std::optional<qint64> partitionCount;
    const size_t count = pn_data_get_map(d);
    pn_data_enter(d);
    for (size_t i = 0; i < count; i += 2) {
        if (!pn_data_next(d))
            break;
        const pn_bytes_t key = textBytes(d).value_or(pn_bytes(0, nullptr));
        if (!pn_data_next(d))
            break;
        if (is(key, "partition_ids", 13) && !sawIds) {
            sawIds = true;
            ids = partitionIds(d, error);
        } else if (is(key, "partition_count", 15) && !sawCount) {
            sawCount = true;
            partitionCount = integer(d);
        }
    }
    pn_data_exit(d);
    if (sawIds)
        return ids; // the ids as named, or the error found in them
    if (!sawCount) {
        error = QStringLiteral("its reply has neither partition_ids nor partition_count");
        return std::nullopt;
    }
    if (!partitionCount || *partitionCount < 1 || *partitionCount > MaxPartitions) {
        error = partitionCount
            ? QStringLiteral("its partition_count is %1 (expected 1 to %2)").arg(*partitionCount).arg(MaxPartitions)
            : QStringLiteral("its partition_count is not an integer");
        return std::nullopt;
    }
    std::vector<int> all(static_cast<size_t>(*partitionCount));
    for (size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<int>(i);
    return all;
}

proton::receiver_options partitionReceiverOptions(
    const std::string& address, const std::string& selector, const std::string& linkName)
{
    proton::source::filter_map filters;
    proton::value filter;
    proton::codec::encoder enc(filter);
    enc << proton::codec::start::described() << uint64_t(0x0000468C00000004ULL) << selector << proton::codec::finish();
    filters.put(proton::symbol("apache.org:selector-filter:string"), filter);
    proton::source_options so;
    so.address(address).filters(filters);
    proton::receiver_options ro;
    ro.source(so).credit_window(0).delivery_mode(proton::delivery_mode::AT_MOST_ONCE).auto_accept(false);
    ro.name(linkName);
    return ro;
}

std::string startSelector(const ConsumerStart& start, int partition, qint64 lastSequence)
{
    if (lastSequence >= 0)
        return "amqp.annotation.x-opt-sequence-number > '" + std::to_string(lastSequence) + "'";
    switch (start.kind) {
    case ConsumerStart::Kind::Latest:
        return "amqp.annotation.x-opt-offset > '@latest'";
    case ConsumerStart::Kind::Beginning:
        return "amqp.annotation.x-opt-offset > '-1'";
    case ConsumerStart::Kind::EnqueuedTime:
        return "amqp.annotation.x-opt-enqueued-time > '" + std::to_string(start.enqueuedMs) + "'";
    case ConsumerStart::Kind::SequenceNumbers:
        if (auto it = start.sequenceNumbers.find(partition); it != start.sequenceNumbers.end())
            return "amqp.annotation.x-opt-sequence-number > '" + std::to_string(it->second) + "'";
        return "amqp.annotation.x-opt-offset > '@latest'";
    }
    return "amqp.annotation.x-opt-offset > '@latest'";
}

} // namespace iotc
