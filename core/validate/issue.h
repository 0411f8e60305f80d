#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iotc {

enum class Severity { Info = 1, Warning = 2, Error = 3 };

const char* severityName(Severity s);
std::optional<Severity> parseSeverity(std::string_view text); // case-insensitive

// Stable issue codes: GUI, CLI and exports all speak these.
namespace codes {
inline constexpr std::string_view InvalidJson = "invalid-json";
inline constexpr std::string_view InvalidEncoding = "invalid-encoding";
inline constexpr std::string_view MissingContentEncoding = "missing-content-encoding";
inline constexpr std::string_view UnsupportedContentEncoding = "unsupported-content-encoding";
inline constexpr std::string_view ContentTypeMismatch = "content-type-mismatch";
inline constexpr std::string_view NotAnObject = "not-an-object";
inline constexpr std::string_view InvalidFieldName = "invalid-field-name";
inline constexpr std::string_view UnknownComponent = "unknown-component";
inline constexpr std::string_view UnknownModule = "unknown-module";
inline constexpr std::string_view UnmodeledCapability = "unmodeled-capability";
inline constexpr std::string_view SchemaMismatch = "schema-mismatch";
inline constexpr std::string_view DuplicateCapability = "duplicate-capability";
inline constexpr std::string_view EdgeUnmodeled = "edge-unmodeled";
inline constexpr std::string_view MissingComponentMarker = "missing-component-marker";
inline constexpr std::string_view InvalidAck = "invalid-ack";
inline constexpr std::string_view ReservedField = "reserved-field";
inline constexpr std::string_view TooManyIssues = "too-many-issues";
// The template resolver's answers (core/monitor/templateresolver.cpp).
inline constexpr std::string_view TemplateUnavailable = "template-unavailable";
inline constexpr std::string_view DeviceNotFound = "device-not-found";
inline constexpr std::string_view DeviceUnassigned = "device-unassigned";
// Writable-property synchronisation (core/properties).
inline constexpr std::string_view WritablePropertyRejected = "writable-property-rejected";
inline constexpr std::string_view WritablePropertyNotAcknowledged = "writable-property-not-acknowledged";
// A line of a JSON Lines batch (iotc-diag validate) that is not a message.
inline constexpr std::string_view InvalidInputLine = "invalid-input-line";

// Every code above: each has advice in resources/knowledge/advice.json (tests/unit/test_knowledge.cpp).
inline constexpr std::array all { InvalidJson, InvalidEncoding, MissingContentEncoding, UnsupportedContentEncoding,
    ContentTypeMismatch, NotAnObject, InvalidFieldName, UnknownComponent, UnknownModule, UnmodeledCapability,
    SchemaMismatch, DuplicateCapability, EdgeUnmodeled, MissingComponentMarker, InvalidAck, ReservedField,
    TooManyIssues, TemplateUnavailable, DeviceNotFound, DeviceUnassigned, WritablePropertyRejected,
    WritablePropertyNotAcknowledged, InvalidInputLine };
} // namespace codes

// Where in the body a JSON syntax error is.
struct TextPosition {
    size_t line = 0; // 1-based
    size_t column = 0; // 1-based, in bytes
    size_t offset = 0; // 0-based byte offset
};

struct Issue {
    std::string code;
    Severity severity = Severity::Warning;
    std::string path; // the field's path inside the payload: f, obj.inner, arr[2]; empty for the whole body
    std::string message; // plain English
    std::optional<std::string> expected;
    std::optional<std::string> actual;
    std::optional<std::string> suggestion;
    std::optional<TextPosition> position; // invalid-json only
};

bool hasErrors(const std::vector<Issue>& issues);

} // namespace iotc
