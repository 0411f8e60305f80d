#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace iotc::sim {

// One event as the Event Hubs-compatible endpoint stores it: IoT Hub's annotations, the AMQP
// properties it sets and the body bytes.
struct StoredEvent {
    int64_t sequenceNumber = 0;
    int64_t offset = 0; // byte offset in the partition, as Event Hubs reports it (string on the wire)
    int64_t enqueuedMs = 0;
    QString deviceId;
    QString moduleId;
    QString component; // dt-subject
    QString modelId; // dt-dataschema
    QString messageSource = QStringLiteral("Telemetry");
    QString authMethod; // iothub-connection-auth-method JSON text
    std::optional<QString> contentType;
    std::optional<QString> contentEncoding;
    std::vector<std::pair<QString, QString>> applicationProperties;
    QByteArray body;
};

using EventPtr = std::shared_ptr<const StoredEvent>;

// Where a receiver starts, as the selector filter of its link says.
struct StartPosition {
    enum Kind { Latest, Beginning, Offset, SequenceNumber, EnqueuedTime } kind = Latest;
    int64_t value = 0;
    bool inclusive = false;
};

// Parses "amqp.annotation.x-opt-offset > '-1'" and friends (quoted or not, > or >=); nullopt when
// the expression is not one Event Hubs accepts.
std::optional<StartPosition> parseSelector(const std::string& expression);

// The retained log of one simulated hub: N partitions, each an append-only sequence with a
// retention cap. Thread-safe; listeners are told (from the appending thread) that events arrived.
class EventStore {
public:
    explicit EventStore(int partitions, size_t retentionPerPartition = 500000);

    int partitionCount() const { return static_cast<int>(m_partitions.size()); }
    static int partitionFor(const QString& deviceId, int partitions);

    // Stamps sequence number, offset and enqueued time (now, unless given) and appends.
    EventPtr append(StoredEvent event, std::optional<int64_t> enqueuedMs = std::nullopt);

    // The first sequence number at or after the start position (for a new receiver).
    int64_t firstSequenceFor(int partition, const StartPosition& start) const;
    // Up to max events with sequence number >= from.
    std::vector<EventPtr> read(int partition, int64_t from, size_t max) const;

    struct PartitionInfo {
        int64_t beginSequence = 0;
        int64_t lastSequence = -1;
        int64_t lastOffset = -1;
        int64_t lastEnqueuedMs = 0;
        bool empty = true;
    };
    PartitionInfo info(int partition) const;

    // Called after every append, with the partition; must be cheap and thread-safe.
    int addListener(std::function<void(int)> listener);
    void removeListener(int id);

private:
    struct Partition {
        std::deque<EventPtr> events;
        int64_t nextSequence = 0;
        int64_t nextOffset = 0;
    };
    mutable std::mutex m_mutex;
    std::vector<Partition> m_partitions;
    size_t m_retention;
    std::vector<std::pair<int, std::function<void(int)>>> m_listeners;
    int m_nextListener = 1;
};

} // namespace iotc::sim
