#pragma once

#include "central/device.h"

#include <QString>

#include <optional>
#include <string_view>

namespace iotc {

// Which devices a list shows: the one rule behind `iotc-diag devices` and the workbench's device
// picker. Every part left empty lets every device through.
struct DeviceListFilter {
    std::optional<DeviceStatus> status; // the device's status (deviceStatus()) must be this one
    std::optional<QString> templateId; // nullopt: any template; an empty string: unassigned devices only
    QString text; // case-insensitive substring of the id or the display name; taken as given (not trimmed)

    bool isEmpty() const { return !status && !templateId && text.isEmpty(); }
};

bool matches(const Device& device, const DeviceListFilter& filter);

// The status named as statusName() spells it ("provisioned", "blocked-or-waiting-for-approval"),
// or nullopt.
std::optional<DeviceStatus> statusFromName(std::string_view name);

} // namespace iotc
