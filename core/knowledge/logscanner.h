#pragma once

#include "knowledgebase.h"

#include <string>
#include <string_view>
#include <vector>

namespace iotc {

struct LogFinding {
    size_t line = 0; // 1-based
    std::string text; // the log line (cut to a readable length)
    std::string matched; // the part that matched
    const KnowledgeEntry* entry = nullptr;
};

struct LogScan {
    std::vector<LogFinding> findings; // most severe first, then by line
    size_t lines = 0;
    size_t dropped = 0; // findings over the cap, counted not kept
};

// Finds every known code or message in a device log (any SDK's style; UTF-8, UTF-16 or bytes that
// are neither), one finding per code and line, the general code dropped where a specific one on
// the same line explains it (401 beside 401002).
LogScan scanLog(std::string_view bytes, const KnowledgeBase& kb = KnowledgeBase::builtIn(), size_t cap = 10000);

} // namespace iotc
