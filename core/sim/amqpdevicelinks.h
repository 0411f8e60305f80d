#pragma once

#include "eventstore.h"

#include <QString>

#include <proton/link.hpp>
#include <proton/message.hpp>

#include <optional>
#include <string>

namespace iotc::sim {

// IoT Hub's device side on AMQP, the parts of the simulated endpoint that are not about
// connections. A device puts a token for {hub}/devices/{deviceId} on $cbs, then attaches a sender
// to /devices/{deviceId}/messages/events (announcing its model id as the attach property
// com.microsoft:model-id) and sends telemetry there.

// The device a CBS audience names: "{hub}/devices/{id}", also written as a URL (sb://, amqps://).
std::optional<QString> deviceOfAudience(const std::string& audience, const QString& hubHost);
// The device whose telemetry address this is: "/devices/{id}/messages/events" (or the same under
// amqps://{hub}).
std::optional<QString> deviceOfEventsAddress(const std::string& address);
// The model id a device's sender announces in its attach; empty when none.
QString announcedModelId(const proton::link& link);

// A device's telemetry message as IoT Hub routes it to the event stream: content type and
// encoding from the message's properties, the component from the dt-subject annotation,
// application properties as text, the body's bytes (a data section, or a string's UTF-8).
StoredEvent deviceTelemetryEvent(const QString& deviceId, const QString& modelId, const proton::message& m);

} // namespace iotc::sim
