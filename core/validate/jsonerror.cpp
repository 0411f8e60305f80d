#include "jsonerror.h"

#include "util/jsondepth.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace iotc {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string excerptAround(std::string_view body, size_t offset)
{
    auto continuation
        = [&](size_t i) { return i < body.size() && (static_cast<unsigned char>(body[i]) & 0xC0) == 0x80; };
    size_t from = offset > 30 ? offset - 30 : 0;
    size_t to = std::min(body.size(), offset + 30);
    while (from < offset && continuation(from))
        ++from; // never start or end inside a UTF-8 sequence
    while (to > offset && continuation(to))
        --to;
    std::string out;
    if (from > 0)
        out += "…";
    for (size_t i = from; i < to; ++i) {
        const char c = body[i];
        if (i == offset)
            out += "⟦";
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else
            out += c;
        if (i == offset) {
            while (i + 1 < to && continuation(i + 1))
                out += body[++i]; // keep the whole UTF-8 sequence inside the marker
            out += "⟧";
        }
    }
    if (offset >= body.size())
        out += "⟦end⟧";
    else if (to < body.size())
        out += "…";
    return out;
}

} // namespace

TextPosition positionAt(std::string_view body, size_t offset)
{
    TextPosition pos;
    pos.offset = offset;
    pos.line = 1;
    pos.column = 1;
    for (size_t i = 0; i < offset && i < body.size(); ++i) {
        if (body[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

Issue describeJsonError(std::string_view body)
{
    Issue issue;
    issue.code = std::string(codes::InvalidJson);
    issue.severity = Severity::Error;
    issue.expected = "a JSON document";

    size_t offset = 0;
    std::string reason;
    try {
        [[maybe_unused]] const auto ignored = nlohmann::json::parse(body);
        reason = "the body could not be read as JSON";
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte counts read characters from 1; the offending one is the last read.
        offset = e.byte > 0 ? e.byte - 1 : 0;
        reason = e.what();
        if (auto p = reason.find("syntax error while parsing value - "); p != std::string::npos)
            reason = reason.substr(p + 35);
        else if (auto q = reason.find("syntax error"); q != std::string::npos)
            reason = reason.substr(q);
        // "last read: '...'" echoes raw bytes (possibly half a UTF-8 sequence); the excerpt shows them.
        if (auto l = reason.find("; last read:"); l != std::string::npos) {
            const auto e = reason.find("; expected", l);
            reason.erase(l, e == std::string::npos ? std::string::npos : e - l);
        }
    } catch (const nlohmann::json::exception&) {
        // Not a syntax error: a number too large for a double (1e999) and the like.
        reason = "a number is out of range (larger than a double can hold)";
        offset = 0;
    }
    if (offset > body.size())
        offset = body.size();
    // For a bad literal nlohmann points into the word; the word's first character is the spot.
    if (reason.find("invalid literal") != std::string::npos) {
        auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        while (offset > 0 && offset <= body.size() && word(body[offset - 1]))
            --offset;
    }

    const TextPosition pos = positionAt(body, offset);
    issue.position = pos;

    // Why, in a technician's words.
    std::optional<std::string> suggestion;
    std::string_view rest = body.substr(offset);
    size_t lastSignificant = offset;
    while (lastSignificant > 0 && isSpace(body[lastSignificant - 1]))
        --lastSignificant;
    const char previous = lastSignificant > 0 ? body[lastSignificant - 1] : '\0';
    std::string headline;
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        headline = "The body is empty";
        suggestion = "send a JSON object such as {\"temperature\": 21.5}";
    } else if (offset >= body.size() || rest.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        headline = "The body ends before the JSON is complete (truncated?)";
        suggestion = "check that the device sends the whole payload and closes every { and [";
    } else if (rest.starts_with("NaN") || rest.starts_with("Infinity") || rest.starts_with("-Infinity")
        || rest.starts_with("nan") || rest.starts_with("inf")) {
        headline = "NaN and Infinity are not JSON numbers";
        suggestion = "send null (or leave the field out) when a reading is not a number";
    } else if (rest[0] == '\'') {
        headline = "JSON needs double quotes; single quotes are not allowed";
        suggestion = "quote names and strings with \" instead of '";
    } else if ((rest[0] == '}' || rest[0] == ']') && previous == ',') {
        headline = "Trailing comma before " + std::string(1, rest[0]);
        suggestion = "remove the comma after the last member";
    } else if (reason.starts_with("a number is out of range")) {
        headline = "A number is too large";
        suggestion = "send numbers within the range of a double (about ±1.8e308)";
    } else if (previous == '{' || (previous == ',' && enclosingBracket(body, offset) == '{')) {
        headline = "A member name must be a string in double quotes";
        suggestion = "write \"name\": value";
    } else {
        headline = "The body is not valid JSON";
    }
    issue.message = headline + " at line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column)
        + " (byte " + std::to_string(pos.offset) + "): " + reason;
    issue.actual = excerptAround(body, offset);
    issue.suggestion = std::move(suggestion);
    return issue;
}

} // namespace iotc
