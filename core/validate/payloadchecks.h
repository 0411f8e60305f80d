#pragma once

#include "issue.h"
#include "issuelist.h"
#include "messagecontext.h"

#include <string_view>
#include <vector>

namespace iotc {

// The checks of a payload that need no device template: its bytes (UTF-8, no NUL), its JSON (syntax,
// nesting depth, an object at the top), its content headers and its field names. The validator with a
// template runs these same functions before it looks names up in the template.

// "telemetry" or "property", for messages.
const char* payloadKindNoun(PayloadKind kind);

// Decodes body as a payload: the encoding, depth, NUL byte and JSON syntax checks, in that order. On
// failure the issue is added and document is discarded; when the body is JSON, document holds it
// (an object or not: see checkIsObject).
void decodePayload(std::string_view body, IssueList& issues, PayloadJson& document);

// True when document is an object; otherwise adds not-an-object (nothing for a discarded document,
// whose issue decodePayload already gave).
bool checkIsObject(const PayloadJson& document, PayloadKind kind, IssueList& issues);

// One member name: a reserved name ($...) is told (info), an invalid one is an error. True when the name
// can be looked up as a capability.
bool checkFieldName(std::string_view name, PayloadKind kind, const PathNode& path, IssueList& issues);

// Every template-independent check of one message: content headers (telemetry), decoding, and the field
// names at the top level and inside sections marked as components ("__t": "c"). No capability is
// looked up: whether the names are modeled is for a template to say. parsed, when given, receives the
// decoded JSON (discarded when the body is not JSON).
std::vector<Issue> validateWithoutTemplate(
    std::string_view body, const MessageContext& context, PayloadJson* parsed = nullptr);

} // namespace iotc
