#pragma once

#include "eventhub/telemetryevent.h"
#include "validate/issue.h"

#include <QMetaType>

#include <optional>
#include <vector>

namespace iotc {

// One top-level field of a decoded telemetry body, ready to show (the GUI does not parse).
struct ObservedField {
    QString name;
    QString text; // the value as compact JSON, cut to a readable length
    std::optional<double> number; // numeric values, for charts
};

// An event with what validation found in it.
struct Observation {
    TelemetryEvent event;
    std::vector<Issue> issues;
    QString templateId; // the template it was judged against; empty when none could be used
    std::vector<ObservedField> fields; // only when the pipeline collects them (live views)
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::Observation)
