#pragma once

#include "devicetoken.h"
#include "eventstore.h"

#include <QString>

#include <proton/link.hpp>
#include <proton/message.hpp>
#include <proton/receiver.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// One AMQP connection's device side: the device tokens put on its $cbs and the telemetry links they
// let open. Used from the connection's thread only.
class DeviceLinks {
public:
    using Check = std::function<DeviceTokenVerdict(const QString& deviceId, const QString& token)>;

    // A put-token for {hub}/devices/{id}: IoT Hub's rule (check); the CBS answer's status and words.
    std::pair<int, std::string> putToken(const QString& deviceId, const std::string& token, const Check& check);
    // A client sender to the device's telemetry address, already opened: kept when a token for the
    // device is on the connection (true); otherwise closed with amqp:unauthorized-access.
    bool attach(proton::receiver& r, const QString& deviceId, const QString& hubHost);
    // A message on one of the device links: its event as IoT Hub routes it; nullopt for other links.
    std::optional<StoredEvent> received(const proton::receiver& r, const proton::message& m) const;
    void forget(const proton::receiver& r);
    bool holds(const QString& deviceId) const;

private:
    struct Link {
        proton::receiver receiver;
        QString deviceId;
        QString modelId;
    };
    std::map<QString, int64_t> m_tokens; // device id -> expiry (s)
    std::vector<Link> m_links;
};

} // namespace iotc::sim
