#include "textoutput.h"

#include <unistd.h>

namespace iotc::cli {

bool isTerminal(FILE* stream)
{
    return ::isatty(fileno(stream)) == 1 && std::getenv("NO_COLOR") == nullptr;
}

std::string formatIssueText(const Issue& issue, bool colour)
{
    const char* symbol = "i";
    const char* tint = "\033[36m";
    switch (issue.severity) {
    case Severity::Error:
        symbol = "x";
        tint = "\033[31;1m";
        break;
    case Severity::Warning:
        symbol = "!";
        tint = "\033[33;1m";
        break;
    case Severity::Info:
        break;
    }
    const char* reset = colour ? "\033[0m" : "";
    const char* dim = colour ? "\033[2m" : "";
    std::string out;
    if (colour)
        out += tint;
    out += "[";
    out += symbol;
    out += "] ";
    out += severityName(issue.severity);
    out += reset;
    out += " ";
    out += issue.code;
    if (!issue.path.empty()) {
        out += " at ";
        out += issue.path;
    }
    out += ": ";
    out += issue.message;
    if (issue.expected || issue.actual) {
        out += dim;
        out += " (";
        if (issue.expected)
            out += "expected " + *issue.expected;
        if (issue.expected && issue.actual)
            out += "; ";
        if (issue.actual)
            out += "sent " + *issue.actual;
        out += ")";
        out += reset;
    }
    if (issue.suggestion)
        out += " -> " + *issue.suggestion;
    out += "\n";
    return out;
}

void writeAll(FILE* stream, const std::string& text)
{
    if (!text.empty())
        std::fwrite(text.data(), 1, text.size(), stream);
}

} // namespace iotc::cli
