#pragma once

#include "devicestatus.h"
#include "dpscheck.h"

#include "central/centralerror.h"
#include "central/device.h"

#include <QString>

#include <optional>

namespace iotc {

class CentralClient;

// Everything the provisioning panel shows about one device: IoT Central's view (status, template),
// how the device authenticates, and DPS's own answer for its credentials when we can ask.
struct ProvisioningReport {
    CentralError error; // the device could not be read (then nothing else is set)
    Device device;
    DeviceStatus status = DeviceStatus::Registered;
    QString credentialType; // "Shared access key", "X.509 certificate", "TPM", empty when unreadable
    QString idScope;
    std::optional<DpsAnswer> dps;
    QString dpsNote; // why DPS was not asked, or could not be reached

    bool ok() const { return error.ok(); }
    // DPS answered with an error or a state other than assigned.
    bool dpsProblem() const;
};

// REST (device, credentials) then DPS's registration status lookup. Blocking: run it off the GUI
// thread. The device's key is used to sign the DPS request and is not kept.
ProvisioningReport checkProvisioning(CentralClient& client, const QString& deviceId);
// The same for a device already read (credentials and DPS only).
ProvisioningReport checkProvisioning(CentralClient& client, const Device& device);

// "DPS answered 401, errorCode 401002: Unauthorized" / "DPS answered 200: assigned to hub".
QString dpsAnswerText(const DpsAnswer& answer);

} // namespace iotc
