#pragma once

#include "central/device.h"

#include <QString>

namespace iotc {

struct KnowledgeEntry;

// A device's provisioning status as IoT Central's REST API lets us tell it. Blocked devices and
// devices waiting for approval both read enabled:false, provisioned:false: we say so rather than
// guess (the Devices page in IoT Central shows which).
enum class DeviceStatus { Provisioned, Registered, Blocked, BlockedOrWaitingForApproval, Unassigned };

DeviceStatus deviceStatus(const Device& device);
const char* statusName(
    DeviceStatus status); // provisioned, registered, blocked, blocked-or-waiting-for-approval, unassigned
const KnowledgeEntry& statusKnowledge(DeviceStatus status); // the guide's description and mitigation

} // namespace iotc
