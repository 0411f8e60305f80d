#pragma once

#include "template/capabilityindex.h"

#include <memory>
#include <string>

namespace iotc::cli {

// Loads --template (and --models); on failure prints a clear message to stderr and returns null.
std::shared_ptr<const DeviceTemplate> loadTemplateOrReport(const std::string& file, const std::string& models);

} // namespace iotc::cli
