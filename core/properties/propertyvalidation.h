#pragma once

#include "propertysnapshot.h"

#include "validate/payloadvalidator.h"

#include <QStringList>

#include <optional>
#include <vector>

namespace iotc {

// The template's component names (the REST properties response nests components by name).
QStringList componentNamesOf(const PayloadValidator* validator);

// True when the template defines p (in its component, or at the root) as a cloud property only: its
// value comes from the application, never from the device.
bool isCloudProperty(const PropertyState& p, const DeviceTemplate& deviceTemplate);

// The reported side of a REST properties snapshot judged as the device sent it (cloud property values,
// which the application returns alongside, are left out).
std::vector<Issue> validateReportedProperties(const PropertySnapshot& snapshot, const PayloadValidator& validator);

// A writable property the device rejected or has not acknowledged (stale: an error; pending: a
// warning); nothing for one in sync or not writable.
std::optional<Issue> writableSyncIssue(const PropertyState& p);

// Every issue of one properties snapshot, the one rule for the watch, the CLI and the diagnoser:
// the reported values judged against the template (with no validator: noValidator, why there is
// none, when given), then each writable property's acknowledgement issue, in snapshot order.
std::vector<Issue> propertyIssues(const PropertySnapshot& snapshot, const PayloadValidator* validator,
    const std::optional<Issue>& noValidator = std::nullopt);

} // namespace iotc
