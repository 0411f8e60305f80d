#pragma once

#include "capabilityindex.h"

#include <nlohmann/json.hpp>

namespace iotc {

// The flattened index as JSON: {"id","displayName","root":[{"name","kind","schema","writable",
// "interface"}],"components":{NAME:[...]},"modules":{NAME:{"root":[...],"components":{...}}}}.
nlohmann::json templateToJson(const DeviceTemplate& tpl);

} // namespace iotc
