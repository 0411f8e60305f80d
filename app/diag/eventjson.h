#pragma once

#include "streamoutput.h"

#include <string>
#include <vector>

namespace iotc::cli {

// One event as JSON written straight into out: the same bytes as
// eventJson(e, show).dump(-1, ' ', false, error_handler_t::replace) (members in byte order, numbers as
// nlohmann writes them), without building the tree, so a replay of a million events is not spent
// on allocating it. The payload is written by appendCanonicalJson, and by the full parser when that says no.
void appendEventJson(std::string& out, const TelemetryEvent& e, const EventSections& show);

// {"event":...}\n per event: what eventLines prints as JSON.
void appendEventJsonLines(std::string& out, const std::vector<TelemetryEvent>& events, const EventSections& show);

// {"event":...,"issues":[...]}\n per observation, issues below minimum left out: what observationLines
// prints as JSON. withErrors counts the observations with errors among the issues kept.
void appendObservationJsonLines(std::string& out, const std::vector<Observation>& batch, const EventSections& show,
    Severity minimum, qint64& withErrors);

// Milliseconds since the epoch as QDateTime's Qt::ISODateWithMs writes them in UTC.
void appendIsoTime(std::string& out, qint64 ms);

} // namespace iotc::cli
