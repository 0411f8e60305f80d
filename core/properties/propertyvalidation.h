#pragma once

#include "propertysnapshot.h"

#include "validate/payloadvalidator.h"

#include <QStringList>

#include <vector>

namespace iotc {

// The template's component names (the REST properties response nests components by name).
QStringList componentNamesOf(const PayloadValidator* validator);

// The reported side of a REST properties snapshot judged as the device sent it.
std::vector<Issue> validateReportedProperties(const PropertySnapshot& snapshot, const PayloadValidator& validator);

} // namespace iotc
