#pragma once

#include <QString>

namespace iotc::sim {

class SimState;

// Whether the simulated IoT hub accepts a device's SAS token, the one rule for every device
// protocol (MQTT's password, AMQP's CBS put-token): the token names {hub}/devices/{deviceId}, is
// signed with the device's primary or secondary key (base64-decoded, as IoT Hub signs), has not
// expired, and the device exists and is enabled.
enum class DeviceTokenVerdict { Accepted, UnknownDevice, BadToken, Expired, Disabled };

DeviceTokenVerdict checkDeviceToken(
    const SimState& state, const QString& hubHost, const QString& deviceId, const QString& token);

// IoT Hub's words for a refusal (what its CBS answers carry in status-description).
QString deviceTokenText(DeviceTokenVerdict verdict);

} // namespace iotc::sim
