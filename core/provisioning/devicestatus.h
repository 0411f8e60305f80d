#pragma once

#include "central/device.h"

#include <QString>

namespace iotc {

struct KnowledgeEntry;

// DeviceStatus, deviceStatus() and statusName() are the device's own (central/device.h); what each
// status means for provisioning, in the guide's words:
const KnowledgeEntry& statusKnowledge(DeviceStatus status); // the guide's description and mitigation

} // namespace iotc
