#include "batchvalidate.h"

#include "inputfile.h"
#include "textoutput.h"
#include "util/jsondepth.h"
#include "util/jsonreader.h"
#include "validate/issuejson.h"

#include <array>
#include <charconv>
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

// One member of the envelope the batch reads: absent, a string, or some other JSON value. Kept
// from line to line so its text reuses its memory.
struct Field {
    enum class State : uint8_t { Absent, String, Other };
    State state = State::Absent;
    std::string text;
    bool isString() const { return state == State::String; }
};

// What one line says, whichever way it was read.
struct Envelope {
    Field deviceId, component, module, modelId, contentType, contentEncoding, body, bodyBase64;
    std::optional<bool> properties; // when "properties" is a boolean
    const json* bodyValue = nullptr; // a body that is not a string
    json bodyDocument; // the fast reader's body, when not a string

    void clear()
    {
        for (Field* f : fields())
            f->state = Field::State::Absent;
        properties.reset();
        bodyValue = nullptr;
    }
    std::array<Field*, 8> fields()
    {
        return { &deviceId, &component, &module, &modelId, &contentType, &contentEncoding, &body, &bodyBase64 };
    }
    // The members' names, in the order of fields().
    static constexpr std::array<std::string_view, 8> Names { "deviceId", "component", "module", "modelId",
        "contentType", "contentEncoding", "body", "bodyBase64" };
    Field* named(std::string_view key)
    {
        for (size_t k = 0; k < Names.size(); ++k)
            if (key == Names[k])
                return fields()[k];
        return nullptr;
    }
};

// The definition: the line parsed whole (nlohmann), as the batch has always read it. False when the
// line is not a JSON object.
bool readEnvelopeParsed(const std::string& line, json& parsed, Envelope& envelope)
{
    // A NUL would end nlohmann's reading early (the rest of the line unjudged): no JSON holds one.
    parsed = line.find('\0') != std::string::npos || jsonNestingDepth(line, MaxJsonDepth) > MaxJsonDepth
        ? json(json::value_t::discarded)
        : json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return false;
    const auto fields = envelope.fields();
    for (size_t k = 0; k < Envelope::Names.size(); ++k) {
        auto it = parsed.find(Envelope::Names[k]);
        if (it == parsed.end())
            continue;
        if (it->is_string()) {
            fields[k]->state = Field::State::String;
            fields[k]->text = it->get_ref<const std::string&>();
        } else {
            fields[k]->state = Field::State::Other;
            if (fields[k] == &envelope.body)
                envelope.bodyValue = &*it;
        }
    }
    if (auto p = parsed.find("properties"); p != parsed.end() && p->is_boolean())
        envelope.properties = p->get<bool>();
    return true;
}

// The fast path: the line read once with JsonReader, which builds the body's JSON when it is not a
// string. False whenever the reader leaves the line to the full parser (anything unusual, including
// every line that is not a JSON object and a member of interest given twice): the caller then reads
// it with readEnvelopeParsed, so the outcome is always the definition's.
bool readEnvelopeFast(std::string_view line, Envelope& envelope)
{
    JsonReader reader(line, MaxJsonDepth);
    if (!reader.objectBegin())
        return false;
    std::string_view key;
    bool sawProperties = false;
    while (reader.nextMember(key)) {
        if (key == "properties") {
            if (sawProperties)
                return false;
            sawProperties = true;
            const auto kind = reader.peek();
            if (kind == JsonReader::Kind::True || kind == JsonReader::Kind::False) {
                bool value = false;
                reader.boolean(value);
                envelope.properties = value;
            } else if (!reader.skip()) {
                return false;
            }
            continue;
        }
        Field* field = envelope.named(key);
        if (!field) {
            if (!reader.skip())
                return false;
            continue;
        }
        if (field->state != Field::State::Absent)
            return false; // given twice: the full parser's rule (the last one) decides
        if (reader.peek() == JsonReader::Kind::String) {
            std::string_view text;
            if (!reader.string(text))
                return false;
            field->state = Field::State::String;
            field->text.assign(text);
            continue;
        }
        field->state = Field::State::Other;
        if (field == &envelope.body) {
            if (!readJsonValue(reader, envelope.bodyDocument))
                return false;
            envelope.bodyValue = &envelope.bodyDocument;
        } else if (!reader.skip()) {
            return false;
        }
    }
    return reader.end();
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

void appendNumber(std::string& out, size_t n)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.append(digits, end);
}

} // namespace

bool runBatch(const PayloadValidator& validator, const std::string& path, const MessageContext& defaults,
    bool jsonOutput, FILE* out, BatchSummary& summary, EnvelopeReading reading)
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
    // Kept from line to line: the envelope and the context reuse their memory.
    Envelope envelope;
    json parsed;
    MessageContext context = defaults;
    std::vector<Issue> issues;
    LineReader::Result got;
    while ((got = reader.next(line, readError)) == LineReader::Result::Line) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        ++summary.messages;
        issues.clear();
        envelope.clear();
        bool isObject = reading == EnvelopeReading::Fast && readEnvelopeFast(line, envelope);
        if (!isObject) {
            envelope.clear();
            isObject = readEnvelopeParsed(line, parsed, envelope);
        }
        const Field& deviceId = envelope.deviceId;
        if (!isObject) {
            inputIssue(issues, "line " + std::to_string(lineNumber) + " is not a JSON object");
        } else {
            auto text = [](const Field& f, const std::string& otherwise) -> const std::string& {
                return f.isString() ? f.text : otherwise;
            };
            context.component = text(envelope.component, defaults.component);
            context.module = text(envelope.module, defaults.module);
            context.modelId = text(envelope.modelId, defaults.modelId);
            auto optional
                = [](const Field& f, const std::optional<std::string>& otherwise, std::optional<std::string>& into) {
                      if (f.state == Field::State::Absent)
                          into = otherwise;
                      else if (f.isString())
                          into = f.text;
                      else
                          into.reset();
                  };
            optional(envelope.contentType, defaults.contentType, context.contentType);
            optional(envelope.contentEncoding, defaults.contentEncoding, context.contentEncoding);
            context.kind = !envelope.properties ? defaults.kind
                : *envelope.properties          ? PayloadKind::ReportedProperties
                                                : PayloadKind::Telemetry;
            if (envelope.body.isString()) {
                issues = validator.validate(envelope.body.text, context);
            } else if (envelope.bodyValue) {
                issues = validator.validateParsed(*envelope.bodyValue, context);
            } else if (envelope.bodyBase64.isString()) {
                if (decodeBase64(envelope.bodyBase64.text, raw))
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
            appendNumber(buffer, lineNumber);
            buffer += ",\"deviceId\":";
            if (deviceId.isString())
                appendJsonString(buffer, deviceId.text);
            else
                buffer += "null";
            buffer += ",\"issues\":";
            appendIssuesJson(buffer, issues);
            buffer += "}\n";
        } else if (!issues.empty()) {
            buffer += "line " + std::to_string(lineNumber)
                + (deviceId.isString() ? " (" + printable(deviceId.text) + ")" : std::string()) + ":\n";
            for (const auto& i : issues)
                buffer += formatIssueText(i, colour);
        }
        if (buffer.size() > (1 << 16)) {
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
