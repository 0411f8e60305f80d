#pragma once

#include "util/boundedfile.h"
#include "validate/payloadvalidator.h"

#include <cstdio>
#include <string>

namespace iotc::cli {

// One line holds one message: a 64 MiB body, base64-encoded or escaped, fits.
inline constexpr size_t MaxBatchLineBytes = 2 * MaxDocumentBytes;

struct BatchSummary {
    size_t messages = 0;
    size_t withErrors = 0;
    double seconds = 0;
};

// How each line's envelope is read. Fast: one pass of JsonReader, the body alone built as JSON,
// and every line the reader leaves aside read as FullParser reads it. FullParser: each line parsed
// whole into a DOM, the definition; kept so tests can prove the two give the same output.
enum class EnvelopeReading { Fast, FullParser };

// Validates a JSON Lines file (or "-" for stdin) of messages
// {"deviceId","component"?,"module"?,"modelId"?,"contentType"?,"contentEncoding"?,"body"|"bodyBase64"}
// streaming: one output line per message, then the summary line. "body" as a JSON string is the
// raw body text (so broken JSON can be expressed); any other JSON value is the body itself.
// Returns false (with a message on stderr) when the file cannot be read, reading fails midway or
// a line is longer than MaxBatchLineBytes (the batch itself may be any length).
bool runBatch(const PayloadValidator& validator, const std::string& path, const MessageContext& defaults,
    bool jsonOutput, FILE* out, BatchSummary& summary, EnvelopeReading reading = EnvelopeReading::Fast);

// Decodes standard base64 (padding optional); false on invalid input.
bool decodeBase64(std::string_view text, std::string& out);

} // namespace iotc::cli
