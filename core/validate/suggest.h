#pragma once

#include <cstddef>
#include <string_view>

namespace iotc {

// Edit distance (insert/delete/substitute/swap of neighbours) ignoring ASCII case, or max + 1
// when it is larger than max. Used for "did you mean" suggestions.
size_t editDistance(std::string_view a, std::string_view b, size_t max);

// The distance under which a name is worth suggesting for a given misspelled name.
size_t suggestionDistance(std::string_view name);

} // namespace iotc
