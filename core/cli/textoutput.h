#pragma once

#include "validate/issue.h"

#include <cstdio>
#include <string>

namespace iotc::cli {

bool isTerminal(FILE* stream);

// One issue for people: severity as word and symbol (never colour alone), code, path, message,
// then expected/actual and the suggestion on indented lines.
std::string formatIssueText(const Issue& issue, bool colour);

void writeAll(FILE* stream, const std::string& text);

} // namespace iotc::cli
