#include "device.h"

#include <QJsonArray>

namespace iotc {

std::optional<Device> Device::fromJson(const QJsonObject& o)
{
    if (!o.value(QStringLiteral("id")).isString())
        return std::nullopt;
    Device d;
    d.id = o.value(QStringLiteral("id")).toString();
    d.etag = o.value(QStringLiteral("etag")).toString();
    d.displayName = o.value(QStringLiteral("displayName")).toString();
    d.templateId = o.value(QStringLiteral("template")).toString();
    d.enabled = o.value(QStringLiteral("enabled")).toBool(true);
    d.provisioned = o.value(QStringLiteral("provisioned")).toBool(false);
    d.simulated = o.value(QStringLiteral("simulated")).toBool(false);
    for (const auto& org : o.value(QStringLiteral("organizations")).toArray())
        d.organizations << org.toString();
    return d;
}

QJsonObject Device::toJson() const
{
    QJsonObject o { { QStringLiteral("id"), id }, { QStringLiteral("displayName"), displayName },
        { QStringLiteral("enabled"), enabled }, { QStringLiteral("provisioned"), provisioned },
        { QStringLiteral("simulated"), simulated } };
    o.insert(QStringLiteral("template"), templateId.isEmpty() ? QJsonValue() : QJsonValue(templateId));
    if (!etag.isEmpty())
        o.insert(QStringLiteral("etag"), etag);
    if (!organizations.isEmpty())
        o.insert(QStringLiteral("organizations"), QJsonArray::fromStringList(organizations));
    return o;
}

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

} // namespace iotc
