#pragma once

#include <string>

namespace iotc::cli {

// Reads a whole file as bytes, or standard input when path is "-"; false when it cannot be opened.
bool readInputFile(const std::string& path, std::string& out);

} // namespace iotc::cli
