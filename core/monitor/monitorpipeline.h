#pragma once

#include "observation.h"
#include "templateresolver.h"

#include <QHash>
#include <QString>

#include <array>
#include <deque>
#include <set>

#include <map>
#include <memory>
#include <vector>

namespace iotc {

// The recent values of one numeric telemetry field, for a chart.
struct FieldSeries {
    double last = 0;
    std::deque<std::pair<qint64, double>> history; // (enqueued ms, value), the newest last
};

struct DeviceStats {
    qint64 messages = 0;
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    std::map<std::string, qint64> issues; // by code
    std::map<QString, FieldSeries> fields; // "component/field" (no component: "field")
    std::set<QString> unmodeledFields; // what the template does not define, as sent
    double ratePerSecond() const;
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

private:
    void recordFields(DeviceStats& stats, Observation& o, const PayloadJson& body);
    MessageContext& contextFor(const TelemetryEvent& event);
    const TemplateResolver::Resolution& resolutionFor(const QString& deviceId);

    std::shared_ptr<TemplateResolver> m_resolver;
    size_t m_history;
    bool m_collectFields = false;
    std::map<QString, DeviceStats> m_stats; // sorted for summaries
    QHash<QString, DeviceStats*> m_statsIndex; // the same entries, found per event without a tree walk
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
