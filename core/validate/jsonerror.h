#pragma once

#include "issue.h"

#include <string_view>

namespace iotc {

// The invalid-json issue for a body nlohmann rejected: where (line, column, byte offset), a short
// excerpt around the spot, and for the usual mistakes (single quotes, trailing commas, NaN,
// truncated bodies) what to do about it.
Issue describeJsonError(std::string_view body);

// Line and column (1-based) of a byte offset in body.
TextPosition positionAt(std::string_view body, size_t offset);

} // namespace iotc
