#pragma once

#include "devicemessage.h"

namespace iotc {

// One telemetry message sent to IoT Hub over MQTT exactly as a device sends it, with Eclipse Paho
// (MQTT 3.1.1 over TLS, or over WebSockets on TLS to wss://{hub}:{port}/$iothub/websocket through
// m.proxy when one is set): client id = device id, user name
// {hub}/{deviceId}/?api-version=2021-04-12
// (&model-id= when the device has one), password = a SAS token for {hub}/devices/{deviceId} signed
// with the device's key, QoS 1 to devices/{deviceId}/messages/events/{property bag}. Blocking
// (Paho's own threads do the I/O): call it off the GUI thread. The key is not kept.
// The topic's property bag: "$.ct=application%2Fjson&$.ce=utf-8&iotc-probe=…", each part encoded.
QString mqttPropertyBag(const DeviceMessage& m);
// The user name IoT Hub expects.
QString mqttUserName(const DeviceMessage& m);
// What a CONNACK refusal means, in words a technician can act on.
QString connackText(int code);

DeviceSendResult sendAsDeviceOverMqtt(const DeviceMessage& m);

} // namespace iotc
