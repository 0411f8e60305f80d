#pragma once

#include "dpscheck.h"

namespace iotc {

// Registers a device with DPS exactly as the device does (PUT {dps}/{idScope}/registrations/{id}/
// register?api-version=2021-10-01 with its SAS token, then GET …/operations/{operationId} until
// DPS has assigned it, honouring Retry-After), the model id in the payload when it has one.
// The answer: the assigned hub, or DPS's error as DPS gave it. Blocking: off the GUI thread.
DpsAnswer registerWithDps(const std::shared_ptr<HttpWorker>& http, const QString& dpsEndpoint, const QString& idScope,
    const QString& deviceId, const QByteArray& deviceKeyBase64, const QString& modelId, int timeoutMs = 30000,
    const NetworkSettings& network = {});

} // namespace iotc
