#pragma once

#include "diagnose/diagnosis.h"

namespace iotc {

class DeviceView;
struct NetCheckReport;

// The selected device's export, built in core (report/deviceexport.h) from the view's core values:
// its DeviceRecord of live messages, the Status tab's provisioning report and the last diagnosis.
// Nothing is read back out of a table model, so a table's row cap or filter changes nothing.
// The last check of this network (Tools > Check this network) goes in too when there is one.
Diagnosis deviceViewExport(
    const QString& application, const DeviceView& view, const NetCheckReport* netcheck = nullptr);

} // namespace iotc
