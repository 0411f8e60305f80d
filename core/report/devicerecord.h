#pragma once

#include "monitor/livemonitor.h"
#include "validate/issue.h"

#include <QHash>
#include <QString>

#include <cstddef>
#include <deque>
#include <vector>

namespace iotc {

// One issue code as a device's messages showed it: how often, when first and last, how bad at
// worst, and the first occurrence as an example.
struct IssueGroup {
    QString code;
    Severity severity = Severity::Info;
    qint64 count = 0;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    QString example; // "path: message — suggestion"

    // Adds one more occurrence of issue i (its code) seen at ms; the first one is the example.
    void add(const Issue& i, qint64 ms);
};

// What a report of one device needs from its live messages, kept in core beside the views (which
// cap and filter their rows): how many arrived, their issues grouped by code, and the newest
// messages with issues as samples. Bounded: at most sampleCapacity samples and MaxGroups codes;
// what was let go is counted. Not thread-safe: fed and read on one thread.
class DeviceRecord {
public:
    static constexpr size_t DefaultSamples = 20;
    static constexpr size_t MaxGroups = 256; // the validator's codes are far fewer

    explicit DeviceRecord(size_t sampleCapacity = DefaultSamples);

    // Forgets everything and records only this device's messages from now on (empty: none).
    void setDevice(const QString& deviceId);
    const QString& deviceId() const { return m_device; }
    void append(const ObservationBatch& batch);
    void append(const Observation& o); // ignored unless it is this device's

    quint64 messages() const { return m_messages; }
    const std::vector<IssueGroup>& groups() const { return m_groups; } // first seen first
    quint64 issuesNotGrouped() const { return m_ungrouped; } // of codes past MaxGroups
    const std::deque<Observation>& samples() const { return m_samples; } // oldest first
    quint64 samplesEvicted() const { return m_evicted; } // older messages with issues let go
    size_t sampleCapacity() const { return m_capacity; }

private:
    QString m_device;
    size_t m_capacity;
    quint64 m_messages = 0;
    std::vector<IssueGroup> m_groups;
    QHash<QString, size_t> m_index; // code -> m_groups
    quint64 m_ungrouped = 0;
    std::deque<Observation> m_samples;
    quint64 m_evicted = 0;
};

} // namespace iotc
