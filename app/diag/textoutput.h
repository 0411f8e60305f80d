#pragma once

#include "validate/issue.h"

#include <QString>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace iotc::cli {

bool isTerminal(FILE* stream);

// Text from outside (device ids, bodies, server messages, log lines, template names) made safe to
// print on a terminal: C0 controls (tab kept; newline kept only with keepNewlines; carriage return
// never), DEL, C1 controls, the bidirectional overrides and isolates U+202A-U+202E and
// U+2066-U+2069, and bytes that are not UTF-8 become visible escapes (\x1b, \u009b, \u202e).
// Nothing printed can then clear the screen, move the cursor, retitle the window or reorder text.
std::string printable(std::string_view utf8, bool keepNewlines = false);
QString printable(const QString& text, bool keepNewlines = false);
inline std::string printable(const char* utf8, bool keepNewlines = false)
{
    return printable(std::string_view(utf8 ? utf8 : ""), keepNewlines);
}

// One issue for people, on one line: severity as word and symbol (never colour alone), code,
// path, message, expected/sent and the suggestion. Every part passes through printable().
std::string formatIssueText(const Issue& issue, bool colour);

void writeAll(FILE* stream, const std::string& text);

// Rows of cells as aligned columns, for people: each column as wide as its widest cell, two spaces
// between, every line indented by indent; the last cell of a row is not padded. Cells are printed
// as given: text from outside goes through printable() first.
std::string alignedRows(const std::vector<std::vector<std::string>>& rows, size_t indent = 0);
// The columns a UTF-8 text takes on a terminal, counted as code points.
size_t textWidth(std::string_view utf8);

} // namespace iotc::cli
