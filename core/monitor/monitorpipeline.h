#pragma once

#include "observation.h"
#include "templateresolver.h"

#include <QHash>
#include <QString>

#include <array>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace iotc {

// The recent values of one numeric telemetry field, for a chart.
struct FieldSeries {
    double last = 0;
    std::deque<std::pair<qint64, double>> history; // (enqueued ms, value), the newest last
    quint64 fedAt = 0; // the pipeline's event count when a value last came: the stalest series go first
};

struct DeviceStats {
    qint64 messages = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    std::map<std::string, qint64> issues; // by code
    std::map<QString, FieldSeries> fields; // "component/field" (no component: "field")
    std::set<QString> unmodeledFields; // what the template does not define, as sent (capped)
    double ratePerSecond() const;
};

// What the pipeline keeps at most: device ids and field names come from devices (or a capture), and
// 200,000 made-up ones must not take gigabytes. What goes is the least recently seen, and is counted.
struct PipelineLimits {
    size_t devices = 20000;
    size_t fields = 100000; // numeric field series, all devices together
    size_t unmodeledPerDevice = 256; // names kept in DeviceStats::unmodeledFields
    size_t unmodeled = 50000; // the same, all devices together
};

struct PipelineEvictions {
    quint64 devices = 0; // devices whose statistics were dropped (they start again if they send again)
    quint64 fields = 0; // field series dropped
    quint64 unmodeledNames = 0; // unmodeled names not kept
    bool any() const { return devices || fields || unmodeledNames; }
};

// event -> validator (the device's template) -> observation, with per-device statistics. The same
// code serves live monitoring, replayed captures, the CLI and the GUI (on a worker thread).
class MonitorPipeline {
public:
    explicit MonitorPipeline(std::shared_ptr<TemplateResolver> resolver, size_t historyPerField = 512);

    std::vector<Observation> process(std::vector<TelemetryEvent> events);

    // Also hand each observation its decoded top-level fields (for views that must not parse).
    void setCollectFields(bool on) { m_collectFields = on; }

    const std::map<QString, DeviceStats>& stats() const { return m_stats; }
    // Issues below this severity are not counted in DeviceStats::issues (the messages still are);
    // observations keep every issue either way.
    void setStatsMinimum(Severity minimum) { m_statsMinimum = minimum; }
    void setLimits(const PipelineLimits& limits) { m_limits = limits; }
    const PipelineLimits& limits() const { return m_limits; }
    const PipelineEvictions& evictions() const { return m_evictions; }
    size_t fieldCount() const { return m_fieldCount; }

private:
    struct StatsSlot {
        DeviceStats* stats = nullptr;
        std::list<QString>::iterator recency; // in m_recency
    };
    DeviceStats& statsFor(const QString& deviceId);
    void evictDevice();
    void evictFields();
    void recordFields(DeviceStats& stats, Observation& o, const PayloadJson& body);
    MessageContext& contextFor(const TelemetryEvent& event);
    const TemplateResolver::Resolution& resolutionFor(const QString& deviceId);

    std::shared_ptr<TemplateResolver> m_resolver;
    size_t m_history;
    bool m_collectFields = false;
    Severity m_statsMinimum = Severity::Info;
    std::map<QString, DeviceStats> m_stats; // sorted for summaries
    QHash<QString, StatsSlot> m_statsIndex; // the same entries, found per event without a tree walk
    std::list<QString> m_recency; // device ids, the least recently seen first
    PipelineLimits m_limits;
    PipelineEvictions m_evictions;
    size_t m_fieldCount = 0; // field series of all devices
    size_t m_unmodeledCount = 0; // unmodeled names of all devices
    quint64 m_events = 0; // events processed, the clock of FieldSeries::fedAt
    struct CachedContext {
        bool valid = false;
        std::optional<QString> contentType, contentEncoding;
        QString component, moduleId, modelId;
        MessageContext context;
    };
    std::array<CachedContext, 8> m_contexts; // recent contexts for the validator
    size_t m_nextContext = 0;
    QString m_lastDevice; // the device of m_lastResolution
    std::optional<TemplateResolver::Resolution> m_lastResolution;
    QHash<QString, TemplateResolver::Resolution> m_passingFailures; // this batch's, asked again next batch
    QString m_key; // reused to look up field series
};

// The message's context for the validator, from what IoT Hub stamped on it.
MessageContext contextOf(const TelemetryEvent& event);

} // namespace iotc
