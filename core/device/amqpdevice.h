#pragma once

#include "devicemessage.h"

namespace iotc {

// One telemetry message sent to IoT Hub over AMQP 1.0 exactly as a device sends it, on the
// process's AMQP thread (Qt's sockets under Proton's connection driver, as the event stream):
// SASL ANONYMOUS, a put-token on $cbs of a SAS token for {hub}/devices/{deviceId} signed with the
// device's key (type servicebus.windows.net:sastoken), then a sender attached to
// /devices/{deviceId}/messages/events (announcing the model id as the link property
// com.microsoft:model-id) and one message: content type and encoding in its properties, the
// component in the dt-subject annotation, application properties, the body as a data section.
// Over TLS on m.port, or AMQP over WebSockets to wss://{hub}:{port}/$iothub/websocket (subprotocol
// AMQPWSB10, through m.proxy when one is set). Blocking: off the GUI thread and off the AMQP thread.
// The key is not kept.
DeviceSendResult sendAsDeviceOverAmqp(const DeviceMessage& m);

} // namespace iotc
