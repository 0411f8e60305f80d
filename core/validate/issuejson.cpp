#include "issuejson.h"

#include "util/canonicaljson.h"
#include "util/jsonreader.h"
#include "util/textdecode.h"

namespace iotc {

using nlohmann::json;

namespace {

json optional(const std::optional<std::string>& value)
{
    return value ? json(*value) : json();
}

void appendOptional(std::string& out, const char* key, const std::optional<std::string>& value)
{
    out += ",\"";
    out += key;
    out += "\":";
    if (value)
        appendJsonString(out, *value);
    else
        out += "null";
}

} // namespace

json issueToJson(const Issue& issue)
{
    json j = {
        { "code", issue.code },
        { "severity", severityName(issue.severity) },
        { "path", issue.path.empty() ? json() : json(issue.path) },
        { "message", issue.message },
        { "expected", optional(issue.expected) },
        { "actual", optional(issue.actual) },
        { "suggestion", optional(issue.suggestion) },
    };
    if (issue.position) {
        j["position"] = {
            { "line", issue.position->line },
            { "column", issue.position->column },
            { "offset", issue.position->offset },
        };
    }
    return j;
}

json issuesToJson(const std::vector<Issue>& issues)
{
    json list = json::array();
    for (const auto& i : issues)
        list.push_back(issueToJson(i));
    return list;
}

void appendJsonString(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    size_t i = 0;
    while (i < text.size()) {
        // A run of bytes that stand for themselves (printable ASCII but '"' and '\\') is copied at once.
        if (const size_t plain = plainJsonRun(text, i); plain > i) {
            out.append(text.data() + i, plain - i);
            i = plain;
            if (i == text.size())
                break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            // Copy a well-formed UTF-8 sequence; replace anything else with U+FFFD.
            const size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            if (len > 1 && i + len <= text.size() && findInvalidUtf8(text.substr(i, len)) == std::string_view::npos) {
                // Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) would reorder what
                // a terminal shows: escaped, as JSON allows.
                const auto c1 = static_cast<unsigned char>(text[i + 1]);
                const auto c2 = len == 3 ? static_cast<unsigned char>(text[i + 2]) : 0;
                const bool bidi = c == 0xE2
                    && ((c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE) || (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9));
                if (bidi) {
                    const unsigned cp = 0x2000u | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
                    out += "\\u";
                    for (int shift = 12; shift >= 0; shift -= 4)
                        out += hex[(cp >> shift) & 0xF];
                    i += len;
                    continue;
                }
                out.append(text.substr(i, len));
                i += len;
            } else {
                out += "\xEF\xBF\xBD";
                ++i;
            }
            continue;
        }
        appendEscapedAscii(out, c); // the run above ends only at one that needs an escape
        ++i;
    }
    out += '"';
}

void appendIssueJson(std::string& out, const Issue& issue)
{
    out += "{\"code\":";
    appendJsonString(out, issue.code);
    out += ",\"severity\":\"";
    out += severityName(issue.severity);
    out += "\",\"path\":";
    if (issue.path.empty())
        out += "null";
    else
        appendJsonString(out, issue.path);
    out += ",\"message\":";
    appendJsonString(out, issue.message);
    appendOptional(out, "expected", issue.expected);
    appendOptional(out, "actual", issue.actual);
    appendOptional(out, "suggestion", issue.suggestion);
    if (issue.position) {
        out += ",\"position\":{\"line\":" + std::to_string(issue.position->line) + ",\"column\":"
            + std::to_string(issue.position->column) + ",\"offset\":" + std::to_string(issue.position->offset) + "}";
    }
    out += '}';
}

void appendIssuesJson(std::string& out, const std::vector<Issue>& issues)
{
    out += '[';
    for (size_t k = 0; k < issues.size(); ++k) {
        if (k)
            out += ',';
        appendIssueJson(out, issues[k]);
    }
    out += ']';
}

} // namespace iotc
