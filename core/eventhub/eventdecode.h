#pragma once

#include "telemetryevent.h"
#include "textinterner.h"

#include <cstddef>
#include <string>

namespace proton {
class message;
}

namespace iotc {

// A received AMQP message into a TelemetryEvent. Total on whatever the peer sent: a value of an
// unexpected type (map, list, binary, described, decimal ...) is rendered as text, cut past a
// bound, and nothing is thrown for it; compound values are walked without recursion.

// The longest rendering kept of one annotation or property value that is not a plain one.
inline constexpr qsizetype MaxRenderedValue = 64 * 1024;
// The longest rendering of a body that is an AMQP value or sequence rather than data.
inline constexpr qsizetype MaxRenderedBody = 4 * 1024 * 1024;
// Encoded messages past this are refused by decodeEventBytes (Event Hubs' largest is 20 MB).
inline constexpr size_t MaxEventBytes = 64 * 1024 * 1024;

// The message annotations and the application properties are kept whole up to these bounds, each
// section on its own (IoT Hub stamps about a dozen annotations; a message is at most 256 KB): the
// entries past them are counted in TelemetryEvent::droppedAnnotations / droppedApplicationProperties.
inline constexpr qsizetype MaxEventFields = 256;
inline constexpr qsizetype MaxEventFieldChars = 256 * 1024; // names and text values together, in characters

// IoT Hub's annotations (sequence number, offset, enqueued time, device, module, component, model,
// source, auth method) into their fields, and with `all` every annotation, as received, into
// event.annotations. The recurring texts come from `texts`.
void decodeAnnotations(const proton::message& message, TelemetryEvent& event, TextInterner& texts, bool all = true);
// Content type and encoding, body bytes and application properties (names shared through `texts`),
// and with `all` the whole AMQP properties section into event.systemProperties. (`all` costs about a
// microsecond an event: the consumer asks for it only when someone shows or keeps them.)
void decodeContent(const proton::message& message, TelemetryEvent& event, TextInterner& texts, bool all = true);

// Both on an encoded AMQP message (its sections as on the wire, as pn_message_encode writes
// them), for fuzzing and tests: false with `error` set when the bytes cannot be read as one.
bool decodeEventBytes(const char* data, size_t size, TelemetryEvent& out, std::string* error = nullptr);

} // namespace iotc
