#include "jsondepth.h"

#include <string>

namespace iotc {

namespace {

// Walks the text outside strings; calls onBracket(char) for every bracket until it returns false.
template <typename F> void walkBrackets(std::string_view text, size_t end, F&& onBracket)
{
    bool inString = false;
    for (size_t i = 0; i < end && i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if ((c == '{' || c == '[' || c == '}' || c == ']') && !onBracket(c))
            return;
    }
}

} // namespace

size_t jsonNestingDepth(std::string_view text, size_t limit)
{
    size_t depth = 0, deepest = 0;
    walkBrackets(text, text.size(), [&](char c) {
        if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
            return deepest <= limit;
        }
        if (depth > 0)
            --depth;
        return true;
    });
    return deepest;
}

char enclosingBracket(std::string_view text, size_t offset)
{
    std::string open;
    walkBrackets(text, offset, [&](char c) {
        if (c == '{' || c == '[')
            open.push_back(c);
        else if (!open.empty())
            open.pop_back();
        return open.size() <= MaxJsonDepth;
    });
    return open.empty() ? '\0' : open.back();
}

} // namespace iotc
