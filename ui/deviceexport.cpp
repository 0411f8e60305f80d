#include "deviceexport.h"

#include "connectivitypane.h"
#include "deviceview.h"
#include "diagnosepane.h"
#include "provisioningpanel.h"

#include "report/deviceexport.h"

namespace iotc {

Diagnosis deviceViewExport(const QString& application, const DeviceView& view, const NetCheckReport* netcheck)
{
    const auto& diagnosis = view.diagnose()->diagnosis();
    DeviceExportInput in;
    in.application = application;
    in.deviceId = view.deviceId();
    in.provisioning = view.provisioning()->report();
    in.record = &view.record();
    in.diagnosis = diagnosis ? &*diagnosis : nullptr;
    in.probe = &view.connectivity()->report(); // (only when it is this device's)
    in.netcheck = netcheck;
    return buildDeviceExport(in);
}

} // namespace iotc
