#pragma once

#include "eventhub/eventhubtarget.h"
#include "monitor/observation.h"
#include "validate/issue.h"

#include <QString>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iotc {
class MonitorPipeline;
struct PartitionState;
} // namespace iotc

namespace iotc::cli {

// The sections of an event shown beside its payload, as the az CLI's --properties names them:
// sys (the AMQP properties: message_id, correlation_id, creation_time ...), anno (every message
// annotation as received), app (the application properties), all.
struct EventSections {
    bool system = false;
    bool annotations = false;
    bool application = false;
    bool any() const { return system || annotations || application; }
    static EventSections all() { return { true, true, true }; }
};

// --properties: values separated by commas (or spaces), any case; nullopt when one is none of
// sys, anno, app, all.
std::optional<EventSections> parseEventSections(std::string_view text);

// What monitor-events, validate-messages and replay print: one event as JSON (the az CLI's shape:
// origin, module, interface, component, properties {system, application}, annotations, payload),
// plus where it was read (partition, sequenceNumber, enqueuedTime). A body that is not UTF-8 is
// decoded with payloadEncoding naming the encoding, or given in base64 (payloadEncoding "base64"
// and payloadNote saying why); never mangled. The lines the commands print are written straight
// into their buffer by appendEventJson (eventjson.h), byte for byte this tree's dump; the tree is
// the readable statement of the shape that test_eventjson holds the fast writer to.
nlohmann::json eventJson(const TelemetryEvent& e, const EventSections& show);
std::string dumpLine(const nlohmann::json& j); // one line, invalid UTF-8 replaced

// One event for people: "TIME  DEVICE[/MODULE] [(COMPONENT)]  [ENCODING] BODY", then the sections
// asked for, one "name: value" line each.
std::string eventText(const TelemetryEvent& e, const EventSections& show);

// monitor-events: each event as a JSON line, or as text.
std::string eventLines(const std::vector<TelemetryEvent>& events, bool jsonOut, const EventSections& show);

struct ValidateOutput {
    bool jsonOut = true;
    EventSections show;
    bool colour = false;
    Severity minimum = Severity::Info;
};

// validate-messages and replay --validate: each event with its issues (JSON), or the issues of the
// events that have some (text); issues below how.minimum are left out. withErrors counts the
// events with errors, withIssues (when given) those with any issue shown.
std::string observationLines(
    const std::vector<Observation>& batch, const ValidateOutput& how, qint64& withErrors, qint64* withIssues = nullptr);

// validate-messages --output text: the line that shows it is alive while nothing is wrong.
std::string progressLine(qint64 checked, qint64 withIssues, Severity minimum);

// validate-messages' closing summary on stdout: per device, messages and issues by code (the
// pipeline counts only the issues at or above the minimum severity). seconds < 0: not timed (a replay).
void writeSummary(const MonitorPipeline& pipeline, qint64 seen, const QString& endReason, double seconds,
    quint64 dropped, bool jsonOut);

// Failures are never silent: every partition's change of state goes to stderr.
void reportPartitionStates(const std::vector<PartitionState>& partitions, std::map<int, std::string>& lastStates);

} // namespace iotc::cli
