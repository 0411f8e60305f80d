#pragma once

#include "knowledgebase.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iotc {

struct Advice;

struct LogFinding {
    size_t line = 0; // 1-based
    std::string text; // the log line (cut to a readable length)
    std::string matched; // the part that matched
    const KnowledgeEntry* entry = nullptr;
};

struct LogScan {
    std::vector<LogFinding> findings; // most severe first, then by line
    size_t lines = 0; // "\n" and "\r\n" end a line; a final line end starts no new one; empty: 0
    size_t dropped = 0; // findings over the cap, counted not kept
};

// Finds every known code or message in a device log (any SDK's style; UTF-8, UTF-16 or bytes that
// are neither), one finding per code and line, the general code dropped where a specific one on
// the same line explains it (401 beside 401002).
LogScan scanLog(std::string_view bytes, const KnowledgeBase& kb = KnowledgeBase::builtIn(), size_t cap = 10000);

// The diagnosis cause every error a log reports without a cause of its own is evidence of.
inline constexpr std::string_view GenericLogCause = "device-log-errors";

// The diagnosis cause (a cause code of advice.json) a finding of this code is evidence of: the
// code's own (403006: file-upload-limit-exceeded ...), else GenericLogCause for an error, else none
// (empty) for a warning or a note.
std::string_view logCause(const KnowledgeEntry& entry);

// What a log says is wrong, in one line: the cause of the first finding (most severe first, then by
// line) whose code names a cause of its own; when none does, GenericLogCause for the first error.
struct LogHeadline {
    std::string cause;
    const Advice* advice = nullptr; // the cause's verdict and what to do (null only if the data lacks it)
    size_t finding = 0; // index in LogScan::findings of the finding that shows it
    size_t occurrences = 0; // findings of the scan that are evidence of this cause
};

// Nothing when the log shows no error (no finding, or warnings only).
std::optional<LogHeadline> logHeadline(const LogScan& scan);

} // namespace iotc
