#pragma once

#include "propertysnapshot.h"

#include "validate/payloadvalidator.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace iotc {

// The template's component names (the REST properties response nests components by name).
QStringList componentNamesOf(const PayloadValidator* validator);

// The reported side of a REST properties snapshot judged as the device sent it.
std::vector<Issue> validateReportedProperties(const PropertySnapshot& snapshot, const PayloadValidator& validator);

// A writable property the device rejected or has not acknowledged (stale: an error; pending: a
// warning); nothing for one in sync or not writable.
std::optional<Issue> writableSyncIssue(const PropertyState& p);

} // namespace iotc
