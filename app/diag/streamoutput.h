#pragma once

#include "eventhub/eventhubtarget.h"
#include "monitor/observation.h"
#include "validate/issue.h"

#include <QString>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace iotc {
class MonitorPipeline;
struct PartitionState;
} // namespace iotc

namespace iotc::cli {

// What monitor-events, validate-messages and replay print: one event as JSON (the az CLI's shape),
// with its annotations and application properties when asked.
nlohmann::json eventJson(const TelemetryEvent& e, bool annotations, bool properties);
std::string dumpLine(const nlohmann::json& j); // one line, invalid UTF-8 replaced

// monitor-events: each event as a JSON line, or a line of text.
std::string eventLines(const std::vector<TelemetryEvent>& events, bool jsonOut, bool annotations, bool properties);

struct ValidateOutput {
    bool jsonOut = true;
    bool annotations = false;
    bool properties = false;
    bool colour = false;
    Severity minimum = Severity::Info;
};

// validate-messages: each event with its issues (JSON), or the issues of the events that have some
// (text). withErrors counts the events with errors.
std::string observationLines(const std::vector<Observation>& batch, const ValidateOutput& how, qint64& withErrors);

// validate-messages' closing summary on stdout: per device, messages and issues by code.
void writeSummary(const MonitorPipeline& pipeline, qint64 seen, const QString& endReason, double seconds,
    quint64 dropped, bool jsonOut);

// Failures are never silent: every partition's change of state goes to stderr.
void reportPartitionStates(const std::vector<PartitionState>& partitions, std::map<int, std::string>& lastStates);

} // namespace iotc::cli
