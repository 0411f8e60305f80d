#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace iotc {

// IoT Central's Device object (2022-07-31).
struct Device {
    QString id;
    QString etag;
    QString displayName;
    QString templateId; // empty = unassigned
    bool enabled = true;
    bool provisioned = false;
    bool simulated = false;
    QStringList organizations;

    static std::optional<Device> fromJson(const QJsonObject& json);
    QJsonObject toJson() const;
};

// A device's provisioning status as IoT Central's REST API lets us tell it. Blocked devices and
// devices waiting for approval both read enabled:false, provisioned:false: we say so rather than
// guess (the Devices page in IoT Central shows which).
enum class DeviceStatus { Provisioned, Registered, Blocked, BlockedOrWaitingForApproval, Unassigned };

DeviceStatus deviceStatus(const Device& device);
// provisioned, registered, blocked, blocked-or-waiting-for-approval, unassigned
const char* statusName(DeviceStatus status);

} // namespace iotc
