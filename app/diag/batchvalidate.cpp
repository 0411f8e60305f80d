#include "batchvalidate.h"

#include "inputfile.h"
#include "textoutput.h"
#include "util/jsondepth.h"
#include "validate/issuejson.h"

#include <array>
#include <chrono>
#include <map>

namespace iotc::cli {

using json = PayloadJson;

bool decodeBase64(std::string_view text, std::string& out)
{
    static const auto table = [] {
        std::array<int8_t, 256> t {};
        t.fill(-1);
        const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
        t['-'] = 62; // base64url too
        t['_'] = 63;
        return t;
    }();
    out.clear();
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=')
            break;
        if (c == '\n' || c == '\r' || c == ' ')
            continue;
        const int8_t v = table[static_cast<unsigned char>(c)];
        if (v < 0)
            return false;
        buffer = (buffer << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return true;
}

namespace {

std::optional<std::string> optionalString(const json& line, const char* key)
{
    auto it = line.find(key);
    if (it != line.end() && it->is_string())
        return it->get<std::string>();
    return std::nullopt;
}

void inputIssue(std::vector<Issue>& issues, std::string message)
{
    Issue issue;
    issue.code = "invalid-input-line";
    issue.severity = Severity::Error;
    issue.message = std::move(message);
    issue.expected = R"({"deviceId", "body" | "bodyBase64", ...})";
    issues.push_back(std::move(issue));
}

} // namespace

bool runBatch(const PayloadValidator& validator, const std::string& path, const MessageContext& defaults,
    bool jsonOutput, FILE* out, BatchSummary& summary)
{
    LineReader reader(MaxBatchLineBytes);
    std::string readError;
    if (!reader.open(path, readError)) {
        std::fprintf(stderr, "iotc-diag validate: --payloads: %s\n", printable(readError).c_str());
        return false;
    }
    const auto start = std::chrono::steady_clock::now();
    std::map<std::string, size_t> counts;
    std::string line;
    std::string buffer;
    std::string raw;
    buffer.reserve(1 << 16);
    size_t lineNumber = 0;
    const bool colour = !jsonOutput && isTerminal(out);
    LineReader::Result got;
    while ((got = reader.next(line, readError)) == LineReader::Result::Line) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        ++summary.messages;
        std::vector<Issue> issues;
        std::optional<std::string> deviceId;
        // A NUL would end nlohmann's reading early (the rest of the line unjudged): no JSON holds one.
        json envelope = line.find('\0') != std::string::npos || jsonNestingDepth(line, MaxJsonDepth) > MaxJsonDepth
            ? json(json::value_t::discarded)
            : json::parse(line, nullptr, false);
        if (envelope.is_discarded() || !envelope.is_object()) {
            inputIssue(issues, "line " + std::to_string(lineNumber) + " is not a JSON object");
        } else {
            deviceId = optionalString(envelope, "deviceId");
            MessageContext context = defaults;
            if (auto v = optionalString(envelope, "component"))
                context.component = *v;
            if (auto v = optionalString(envelope, "module"))
                context.module = *v;
            if (auto v = optionalString(envelope, "modelId"))
                context.modelId = *v;
            if (envelope.contains("contentType"))
                context.contentType = optionalString(envelope, "contentType");
            if (envelope.contains("contentEncoding"))
                context.contentEncoding = optionalString(envelope, "contentEncoding");
            if (auto p = envelope.find("properties"); p != envelope.end() && p->is_boolean())
                context.kind = p->get<bool>() ? PayloadKind::ReportedProperties : PayloadKind::Telemetry;
            auto body = envelope.find("body");
            auto body64 = envelope.find("bodyBase64");
            if (body != envelope.end()) {
                if (body->is_string())
                    issues = validator.validate(body->get_ref<const std::string&>(), context);
                else
                    issues = validator.validateParsed(*body, context);
            } else if (body64 != envelope.end() && body64->is_string()) {
                if (decodeBase64(body64->get_ref<const std::string&>(), raw))
                    issues = validator.validate(raw, context);
                else
                    inputIssue(issues, "bodyBase64 on line " + std::to_string(lineNumber) + " is not base64");
            } else {
                inputIssue(issues, "line " + std::to_string(lineNumber) + R"( has neither "body" nor "bodyBase64")");
            }
        }
        bool error = false;
        for (const auto& i : issues) {
            ++counts[i.code];
            error = error || i.severity == Severity::Error;
        }
        summary.withErrors += error;
        if (jsonOutput) {
            buffer += "{\"line\":";
            buffer += std::to_string(lineNumber);
            buffer += ",\"deviceId\":";
            if (deviceId)
                appendJsonString(buffer, *deviceId);
            else
                buffer += "null";
            buffer += ",\"issues\":";
            appendIssuesJson(buffer, issues);
            buffer += "}\n";
        } else if (!issues.empty()) {
            buffer += "line " + std::to_string(lineNumber)
                + (deviceId ? " (" + printable(*deviceId) + ")" : std::string()) + ":\n";
            for (const auto& i : issues)
                buffer += formatIssueText(i, colour);
        }
        if (buffer.size() > (1 << 15)) {
            writeAll(out, buffer);
            buffer.clear();
        }
    }
    if (got == LineReader::Result::Error) {
        // What was read is reported; the batch as a whole is not judged.
        writeAll(out, buffer);
        std::fflush(out);
        std::fprintf(stderr, "iotc-diag validate: --payloads: %s\n", printable(readError).c_str());
        return false;
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (jsonOutput) {
        json s = { { "messages", summary.messages }, { "issues", counts }, { "seconds", summary.seconds } };
        buffer += json { { "summary", s } }.dump() + "\n";
    } else {
        buffer += std::to_string(summary.messages) + " message(s), " + std::to_string(summary.withErrors)
            + " with errors, in " + std::to_string(summary.seconds) + " s\n";
        for (const auto& [code, n] : counts)
            buffer += "  " + code + ": " + std::to_string(n) + "\n";
    }
    writeAll(out, buffer);
    std::fflush(out);
    return true;
}

} // namespace iotc::cli
