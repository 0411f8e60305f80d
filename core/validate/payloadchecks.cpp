#include "payloadchecks.h"

#include "contentheaders.h"
#include "jsonerror.h"
#include "util/jsondepth.h"
#include "util/jsonreader.h"
#include "util/textdecode.h"

namespace iotc {

using json = PayloadJson;

namespace {

Issue nulByteIssue(std::string_view body, size_t nul)
{
    Issue issue;
    issue.code = std::string(codes::InvalidJson);
    issue.severity = Severity::Error;
    const TextPosition pos = positionAt(body, nul);
    issue.position = pos;
    issue.message = "The body holds a NUL byte at line " + std::to_string(pos.line) + ", column "
        + std::to_string(pos.column) + " (byte " + std::to_string(nul) + "); JSON text cannot contain one"
        + (nul + 1 < body.size() ? " and " + std::to_string(body.size() - nul - 1) + " more byte(s) follow it" : "");
    issue.expected = "a JSON document";
    issue.actual = "byte 00 at offset " + std::to_string(nul);
    issue.suggestion = "send only the JSON text: no C string terminator or padding after it";
    return issue;
}

// False (and the issue added) when the body is not UTF-8.
bool checkEncoding(std::string_view body, IssueList& issues)
{
    // Encoding before JSON: a UTF-16 body is an encoding problem, not a syntax problem.
    size_t bad = findInvalidUtf8(body);
    if (bad == std::string_view::npos && body.find('\0') != std::string_view::npos && looksLikeUtf16(body))
        bad = 0; // UTF-16 without a BOM is well-formed UTF-8 (NULs and ASCII): the whole body is the problem
    if (bad == std::string_view::npos)
        return true;
    std::string hex;
    static constexpr char digits[] = "0123456789ABCDEF";
    for (size_t i = bad; i < body.size() && i < bad + 4; ++i) {
        const auto b = static_cast<unsigned char>(body[i]);
        hex += (hex.empty() ? "" : " ");
        hex += digits[b >> 4];
        hex += digits[b & 15];
    }
    if (looksLikeUtf16(body)) {
        const auto decoded = decodeText(body);
        issues.add(codes::InvalidEncoding, Severity::Error, nullptr,
            std::string("The body is not UTF-8: it looks like ")
                + (decoded.encoding == TextEncoding::Invalid ? "UTF-16" : encodingName(decoded.encoding))
                + "; IoT Central reads UTF-8 JSON and cannot use it",
            std::string("UTF-8"), "bytes " + hex + " at offset " + std::to_string(bad),
            std::string("encode the payload as UTF-8 on the device"));
    } else {
        issues.add(codes::InvalidEncoding, Severity::Error, nullptr,
            "The body is not valid UTF-8 (first bad byte at offset " + std::to_string(bad) + ")", std::string("UTF-8"),
            "bytes " + hex + " at offset " + std::to_string(bad),
            std::string("encode the payload as UTF-8 on the device"));
    }
    return false;
}

} // namespace

const char* payloadKindNoun(PayloadKind kind)
{
    return kind == PayloadKind::Telemetry ? "telemetry" : "property";
}

void decodePayload(std::string_view body, IssueList& issues, json& document)
{
    // The fast path: a body JsonReader reads whole is well-formed UTF-8 JSON within the depth bound,
    // with no NUL byte, so every check below would pass and the parser build the same document.
    // Anything it says no to goes through those checks, which decide.
    {
        JsonReader reader(body, MaxJsonDepth);
        if (readJsonValue(reader, document) && reader.end())
            return;
    }
    document = json(json::value_t::discarded);
    if (!checkEncoding(body, issues))
        return;
    if (jsonNestingDepth(body, MaxJsonDepth) > MaxJsonDepth) {
        issues.add(codes::InvalidJson, Severity::Error, nullptr,
            "The body nests objects/arrays more than " + std::to_string(MaxJsonDepth)
                + " levels deep; it is not read further",
            std::string("at most ") + std::to_string(MaxJsonDepth) + " levels", std::nullopt,
            std::string("send a flat object of name/value pairs"));
        return;
    }
    // nlohmann's reader takes a NUL byte for the end of the input: {"a":1}\0garbage would pass.
    // JSON text never holds a raw NUL, so the body is judged up to it, and the NUL is the error.
    if (const size_t nul = body.find('\0'); nul != std::string_view::npos) {
        const std::string_view prefix = body.substr(0, nul);
        Issue before;
        if (!json::accept(prefix))
            before = describeJsonError(prefix);
        if (before.position && before.position->offset < nul)
            issues.add(std::move(before)); // a mistake before the NUL comes first
        else
            issues.add(nulByteIssue(body, nul));
        return;
    }
    document = json::parse(body, nullptr, false);
    if (document.is_discarded())
        issues.add(describeJsonError(body));
}

bool checkIsObject(const json& document, PayloadKind kind, IssueList& issues)
{
    if (document.is_object())
        return true;
    if (!document.is_discarded()) {
        issues.add(codes::NotAnObject, Severity::Error, nullptr,
            std::string("The body is JSON but not an object; IoT Central reads ") + payloadKindNoun(kind)
                + " from an object of name/value pairs",
            std::string("a JSON object"), excerptJson(document), std::string("send {\"name\": value, ...}"));
    }
    return false;
}

bool checkFieldName(std::string_view name, PayloadKind kind, const PathNode& path, IssueList& issues)
{
    if (!name.empty() && name[0] == '$') {
        issues.add(codes::ReservedField, Severity::Info, &path,
            backticked(name) + " is a reserved name; IoT Central does not treat it as " + payloadKindNoun(kind));
        return false;
    }
    if (!isValidFieldName(name)) {
        issues.add(codes::InvalidFieldName, Severity::Error, &path,
            backticked(name)
                + " is not a valid name: names start with a letter or _ and hold only letters, digits and _",
            std::string("^[a-zA-Z_][a-zA-Z0-9_]*$"), std::string(name));
        return false;
    }
    return true;
}

std::vector<Issue> validateWithoutTemplate(std::string_view body, const MessageContext& context, json* parsed)
{
    IssueList issues;
    if (context.kind == PayloadKind::Telemetry)
        checkContentHeaders(context, issues);
    json document;
    decodePayload(body, issues, document);
    if (checkIsObject(document, context.kind, issues)) {
        const PathNode root;
        for (const auto& [key, value] : document.items()) {
            const PathNode path { &root, key };
            // A reported component section (marked "__t": "c") holds the component's names.
            const bool section = context.kind == PayloadKind::ReportedProperties && value.is_object()
                && value.contains("__t") && value.at("__t") == "c";
            if (!section) {
                checkFieldName(key, context.kind, path, issues);
                continue;
            }
            for (const auto& [innerKey, innerValue] : value.items()) {
                if (innerKey == "__t")
                    continue;
                const PathNode innerPath { &path, innerKey };
                checkFieldName(innerKey, context.kind, innerPath, issues);
            }
        }
    }
    if (parsed)
        *parsed = std::move(document);
    return issues.take();
}

} // namespace iotc
