#include "amqpwire.h"

#include <proton/codec/decoder.hpp>
#include <proton/codec/map.hpp>
#include <proton/message.hpp>
#include <proton/scalar.hpp>
#include <proton/timestamp.hpp>
#include <proton/types.hpp>

#include <map>

namespace iotc {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

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

void decodeAnnotations(const proton::message& m, TelemetryEvent& e)
{
    // Walk the annotation map with the decoder: converting it into a std::map of proton::value
    // allocates per entry and costs more than everything else on this path together.
    std::vector<std::pair<std::string, std::string>> texts;
    std::vector<std::pair<std::string, qint64>> numbers;
    try {
        proton::codec::decoder d(m.message_annotations().value());
        proton::codec::start start;
        d >> start;
        for (size_t i = 0; i + 1 < start.size; i += 2) {
            proton::symbol key;
            d >> key;
            switch (d.next_type()) {
            case proton::STRING: {
                std::string v;
                d >> v;
                texts.emplace_back(std::move(key), std::move(v));
                break;
            }
            case proton::LONG: {
                int64_t v;
                d >> v;
                numbers.emplace_back(std::move(key), v);
                break;
            }
            case proton::TIMESTAMP: {
                proton::timestamp v;
                d >> v;
                numbers.emplace_back(std::move(key), v.milliseconds());
                break;
            }
            default: {
                proton::value v;
                d >> v;
                texts.emplace_back(std::move(key), proton::to_string(v));
                break;
            }
            }
        }
    } catch (const std::exception&) {
    }
    auto text = [&](const char* key) -> QString {
        for (const auto& [k, v] : texts) {
            if (k == key)
                return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
        }
        return {};
    };
    auto number = [&](const char* key) -> qint64 {
        for (const auto& [k, v] : numbers) {
            if (k == key)
                return v;
        }
        return -1;
    };
    e.sequenceNumber = number("x-opt-sequence-number");
    e.offset = text("x-opt-offset");
    e.enqueuedMs = number("x-opt-enqueued-time");
    e.deviceId = text("iothub-connection-device-id");
    e.moduleId = text("iothub-connection-module-id");
    e.component = text("dt-subject");
    e.modelId = text("dt-dataschema");
    e.interfaceName = text("iothub-interface-name");
    e.messageSource = text("iothub-message-source");
    e.authMethod = text("iothub-connection-auth-method");
}

void decodeContent(const proton::message& m, TelemetryEvent& e)
{
    if (!m.content_type().empty())
        e.contentType = qs(m.content_type());
    if (!m.content_encoding().empty())
        e.contentEncoding = qs(m.content_encoding());
    if (m.body().type() == proton::BINARY) {
        const auto b = proton::get<proton::binary>(m.body());
        e.body = QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size()));
    } else if (m.body().type() == proton::STRING) {
        e.body = QByteArray::fromStdString(proton::get<std::string>(m.body()));
    } else if (!m.body().empty()) {
        e.body = QByteArray::fromStdString(proton::to_string(m.body()));
    }
    if (!m.properties().empty()) {
        std::map<std::string, proton::scalar> props;
        proton::get(m.properties(), props);
        for (const auto& [k, v] : props)
            e.applicationProperties.append(
                { qs(k), v.type() == proton::STRING ? qs(proton::get<std::string>(v)) : qs(proton::to_string(v)) });
    }
}

} // namespace iotc
