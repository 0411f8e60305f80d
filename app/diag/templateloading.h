#pragma once

#include "arguments.h"

#include "monitor/templateresolver.h"
#include "template/capabilityindex.h"

#include <memory>
#include <string>

namespace iotc::cli {

// Loads --template (and --models); on failure prints a clear message to stderr and returns null.
std::shared_ptr<const DeviceTemplate> loadTemplateOrReport(const std::string& file, const std::string& models);

// What a stream command validates against: the --template file (with --models) when given, else the
// application's own templates through client (null client: every message is template-unavailable).
// Null after printing why when the file cannot be loaded.
std::shared_ptr<TemplateResolver> resolverFromArguments(const Arguments& args, std::shared_ptr<CentralClient> client);

} // namespace iotc::cli
