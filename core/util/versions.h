#pragma once

#include <string_view>

namespace iotc {

// Dotted version numbers: "1.2.4" < "1.4" < "1.10"; returns <0, 0, >0. The digits a part starts with
// count ("17-rc1" is 17), anything else in it is ignored; a missing part counts as 0; huge numbers
// saturate instead of overflowing.
int compareVersions(std::string_view a, std::string_view b);

} // namespace iotc
