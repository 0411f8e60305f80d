#include "edgeruntimerule.h"

#include "util/versions.h"

#include <vector>

namespace iotc {

bool edgeRuntimeIsOlder(std::string_view version)
{
    return compareVersions(version, MinimumEdgeRuntime) < 0;
}

int judgeEdgeRuntimeTag(std::string_view tag)
{
    // The numeric parts before any "-suffix" ("1.2.0-linux-amd64" -> 1, 2, 0).
    tag = tag.substr(0, tag.find('-'));
    std::vector<std::string_view> parts;
    while (!tag.empty()) {
        const size_t dot = tag.find('.');
        const std::string_view part = tag.substr(0, dot);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos)
            break;
        parts.push_back(part);
        if (dot == std::string_view::npos)
            break;
        tag.remove_prefix(dot + 1);
    }
    if (parts.empty())
        return 0;
    std::string_view minimum = MinimumEdgeRuntime;
    for (const std::string_view part : parts) {
        const size_t dot = minimum.find('.');
        const std::string_view wanted = minimum.substr(0, dot);
        if (const int c = compareVersions(part, wanted); c != 0)
            return c;
        if (dot == std::string_view::npos)
            return 1; // every part of the minimum matched
        minimum.remove_prefix(dot + 1);
    }
    return 0; // "1.2" or "1": a rolling tag, could be either side
}

std::string edgeRuntimeRequirement()
{
    return "IoT Edge " + std::string(MinimumEdgeRuntime) + " or later";
}

} // namespace iotc
