#pragma once

#include "observation.h"
#include "templateresolver.h"

#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace iotc {

struct DeviceStats {
    qint64 messages = 0;
    qint64 lastSeenMs = 0;
    std::map<std::string, qint64> issues; // by code
};

// event -> validator (the device's template) -> observation, with per-device statistics. The same
// code serves live monitoring, replayed captures, the CLI and the GUI (on a worker thread).
class MonitorPipeline {
public:
    explicit MonitorPipeline(std::shared_ptr<TemplateResolver> resolver);

    std::vector<Observation> process(std::vector<TelemetryEvent> events);

    const std::map<QString, DeviceStats>& stats() const { return m_stats; }
    qint64 messages() const { return m_messages; }

private:
    std::shared_ptr<TemplateResolver> m_resolver;
    std::map<QString, DeviceStats> m_stats;
    qint64 m_messages = 0;
};

// The message's context for the validator, from what IoT Hub stamped on it.
MessageContext contextOf(const TelemetryEvent& event);

} // namespace iotc
