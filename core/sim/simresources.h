#pragma once

#include "simdevice.h"

#include <QJsonObject>

namespace iotc::sim {

// JSON bodies of the IoT Central REST API (2022-07-31), in the shapes of the public examples.
QJsonObject deviceJson(const SimDevice& device);
QJsonObject credentialsJson(const SimDevice& device, const QString& idScope);
QJsonObject attestationJson(const SimDevice& device);
// GET /devices/{id}/properties: components as nested objects (no __t), values without ack
// wrappers, and $metadata per level with lastUpdateTime and, for writable properties,
// desiredValue/desiredVersion/ackCode/ackVersion/ackDescription. component filters to one section.
QJsonObject propertiesJson(const SimDevice& device, const QString& component = {});
QJsonObject componentsJson(const QJsonObject& capabilityModel);
QJsonObject modulesJson(const QJsonObject& capabilityModel);

QString isoTime(qint64 ms);

} // namespace iotc::sim
