#include "devicefilter.h"

namespace iotc {

bool matches(const Device& device, const DeviceListFilter& filter)
{
    if (filter.status && deviceStatus(device) != *filter.status)
        return false;
    if (filter.templateId && device.templateId != *filter.templateId)
        return false;
    return filter.text.isEmpty() || device.id.contains(filter.text, Qt::CaseInsensitive)
        || device.displayName.contains(filter.text, Qt::CaseInsensitive);
}

std::optional<DeviceStatus> statusFromName(std::string_view name)
{
    for (auto s : { DeviceStatus::Provisioned, DeviceStatus::Registered, DeviceStatus::Blocked,
             DeviceStatus::BlockedOrWaitingForApproval, DeviceStatus::Unassigned })
        if (name == statusName(s))
            return s;
    return std::nullopt;
}

} // namespace iotc
