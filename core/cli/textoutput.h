#pragma once

#include "validate/issue.h"

#include <cstdio>
#include <string>

namespace iotc::cli {

bool isTerminal(FILE* stream);

// One issue for people, on one line: severity as word and symbol (never colour alone), code,
// path, message, expected/sent and the suggestion.
std::string formatIssueText(const Issue& issue, bool colour);

void writeAll(FILE* stream, const std::string& text);

} // namespace iotc::cli
