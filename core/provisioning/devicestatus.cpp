#include "devicestatus.h"

#include "knowledge/knowledgebase.h"

#include <stdexcept>

namespace iotc {

DeviceStatus deviceStatus(const Device& d)
{
    if (!d.enabled)
        return d.provisioned ? DeviceStatus::Blocked : DeviceStatus::BlockedOrWaitingForApproval;
    if (d.templateId.isEmpty())
        return DeviceStatus::Unassigned;
    if (!d.provisioned)
        return DeviceStatus::Registered;
    return DeviceStatus::Provisioned;
}

const char* statusName(DeviceStatus s)
{
    switch (s) {
    case DeviceStatus::Provisioned:
        return "provisioned";
    case DeviceStatus::Registered:
        return "registered";
    case DeviceStatus::Blocked:
        return "blocked";
    case DeviceStatus::BlockedOrWaitingForApproval:
        return "blocked-or-waiting-for-approval";
    case DeviceStatus::Unassigned:
        return "unassigned";
    }
    return "unknown";
}

const KnowledgeEntry& statusKnowledge(DeviceStatus s)
{
    const auto* e = KnowledgeBase::builtIn().byCode(statusName(s));
    if (!e)
        throw std::logic_error(std::string("knowledge base lacks the status ") + statusName(s));
    return *e;
}

} // namespace iotc
