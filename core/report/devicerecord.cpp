#include "devicerecord.h"

#include <algorithm>

namespace iotc {

DeviceRecord::DeviceRecord(size_t sampleCapacity)
    : m_capacity(sampleCapacity)
{
}

void DeviceRecord::setDevice(const QString& deviceId)
{
    m_device = deviceId;
    m_messages = 0;
    m_groups.clear();
    m_index.clear();
    m_ungrouped = 0;
    m_samples.clear();
    m_evicted = 0;
}

void DeviceRecord::append(const ObservationBatch& batch)
{
    if (!batch)
        return;
    for (const auto& o : *batch)
        append(o);
}

void IssueGroup::add(const Issue& i, qint64 ms)
{
    if (count++ == 0) {
        example = (i.path.empty() ? QString() : QString::fromStdString(i.path) + QStringLiteral(": "))
            + QString::fromStdString(i.message)
            + (i.suggestion ? QStringLiteral(" — ") + QString::fromStdString(*i.suggestion) : QString());
    }
    severity = std::max(severity, i.severity);
    if (firstMs == 0)
        firstMs = ms;
    lastMs = ms;
}

void DeviceRecord::append(const Observation& o)
{
    if (m_device.isEmpty() || o.event.deviceId != m_device)
        return;
    ++m_messages;
    if (o.issues.empty())
        return;
    for (const auto& i : o.issues) {
        const QString code = QString::fromStdString(i.code);
        auto at = m_index.constFind(code);
        if (at == m_index.cend()) {
            if (m_groups.size() >= MaxGroups) {
                ++m_ungrouped;
                continue;
            }
            at = m_index.insert(code, m_groups.size());
            IssueGroup added;
            added.code = code;
            m_groups.push_back(std::move(added));
        }
        m_groups[*at].add(i, o.event.enqueuedMs);
    }
    if (m_capacity == 0) {
        ++m_evicted;
        return;
    }
    if (m_samples.size() >= m_capacity) {
        m_samples.pop_front();
        ++m_evicted;
    }
    m_samples.push_back(o);
}

} // namespace iotc
