#include "contentheaders.h"

#include "util/asciistrings.h"

#include "template/capabilityindex.h"

namespace iotc {

namespace {

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// The charset parameter of a media type, without quotes; empty when there is none.
std::string_view charsetOf(std::string_view parameters)
{
    while (!parameters.empty()) {
        const auto semicolon = parameters.find(';');
        std::string_view p = trimmed(parameters.substr(0, semicolon));
        parameters = semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
        const auto eq = p.find('=');
        if (eq != std::string_view::npos && equalsIgnoringCase(trimmed(p.substr(0, eq)), "charset")) {
            std::string_view value = trimmed(p.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            return value;
        }
    }
    return {};
}

} // namespace

void checkContentHeaders(const MessageContext& context, IssueList& issues)
{
    if (!context.contentType) {
        issues.add(codes::ContentTypeMismatch, Severity::Warning, nullptr,
            "The message has no content type; IoT Central and IoT Hub routing expect application/json",
            std::string("application/json"), std::nullopt,
            std::string("set the content type to application/json (MQTT: $.ct=application%2Fjson)"));
    } else {
        const std::string_view ct = *context.contentType;
        const auto semicolon = ct.find(';');
        const std::string_view media = trimmed(ct.substr(0, semicolon));
        const std::string_view charset
            = semicolon == std::string_view::npos ? std::string_view() : charsetOf(ct.substr(semicolon + 1));
        if (!equalsIgnoringCase(media, "application/json")) {
            issues.add(codes::ContentTypeMismatch, Severity::Warning, nullptr,
                "The content type is " + *context.contentType + "; IoT Central reads telemetry as application/json",
                std::string("application/json"), *context.contentType,
                std::string("set the content type to application/json"));
        } else if (!charset.empty() && !equalsIgnoringCase(charset, "utf-8")) {
            issues.add(codes::ContentTypeMismatch, Severity::Warning, nullptr,
                "The content type names charset " + std::string(charset) + "; IoT Central reads UTF-8",
                std::string("application/json; charset=utf-8"), *context.contentType,
                std::string("encode the body as UTF-8"));
        }
    }
    if (!context.contentEncoding || context.contentEncoding->empty()) {
        issues.add(codes::MissingContentEncoding, Severity::Warning, nullptr,
            "The message has no content encoding; IoT Central expects utf-8", std::string("utf-8"), std::nullopt,
            std::string("set the content encoding to utf-8 (MQTT: $.ce=utf-8)"));
    } else if (!equalsIgnoringCase(*context.contentEncoding, "utf-8")) {
        std::optional<std::string> suggestion
            = std::string("send the body as UTF-8 and set the content encoding to utf-8");
        if (equalsIgnoringCase(*context.contentEncoding, "utf8"))
            suggestion = std::string("write it as utf-8 (with the hyphen)");
        issues.add(codes::UnsupportedContentEncoding, Severity::Warning, nullptr,
            "The content encoding is " + *context.contentEncoding + "; IoT Central supports utf-8",
            std::string("utf-8"), *context.contentEncoding, std::move(suggestion));
    }
}

} // namespace iotc
