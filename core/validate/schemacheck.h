#pragma once

#include "issuelist.h"
#include "template/capabilityindex.h"

#include <nlohmann/json.hpp>

namespace iotc {

// Judges a JSON value against a DTDL schema, DTDL-correctly: booleans are not numbers, integer
// types take integral numbers in their range, date/time/duration follow RFC 3339 / ISO 8601,
// nested Object/Map/Array/geopoint/vector failures are reported at their own path. null is valid.
// Returns true when the value fits.
bool checkValue(const PayloadJson& value, const Schema& schema, const PathNode& path, IssueList& issues);

// True for an integral JSON number (21 or 21.0) that fits a signed 64-bit integer.
bool isIntegralNumber(const PayloadJson& value);

// A short description of what a schema expects ("double", "Enum (integer): 1 (offline), 2 (online)").
std::string describeSchema(const Schema& schema);

} // namespace iotc
