#pragma once

#include "template/capabilityindex.h"

#include <string>

namespace iotc::cli {

// A device template's flattened capability index for people: its id and name, its notes, then
// every capability of the root, of each component and of each IoT Edge module, one line each.
// The one text both 'template --output text' and 'template show --output text' print.
std::string templateIndexText(const DeviceTemplate& tpl);

} // namespace iotc::cli
