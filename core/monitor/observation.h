#pragma once

#include "eventhub/telemetryevent.h"
#include "validate/issue.h"

#include <QMetaType>

#include <vector>

namespace iotc {

// An event with what validation found in it.
struct Observation {
    TelemetryEvent event;
    std::vector<Issue> issues;
    QString templateId; // the template it was judged against; empty when none could be used
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::Observation)
