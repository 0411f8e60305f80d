#pragma once

#include "devicerecord.h"
#include "diagnose/sample.h"

#include "diagnose/diagnosis.h"

namespace iotc {

struct ProvisioningReport;
struct ProbeReport;
struct NetCheckReport;

// What a device export is built from: core values only, none read back out of a view.
struct DeviceExportInput {
    QString application; // base URL (no credentials)
    QString deviceId;
    const ProvisioningReport* provisioning = nullptr; // the Status check's answer, when it has one
    const DeviceRecord* record = nullptr; // the device's live messages
    const Diagnosis* diagnosis = nullptr; // the last diagnosis run; the base when it is this device's
    const ProbeReport* probe = nullptr; // the last probe as the device, when it is this device's
    const NetCheckReport* netcheck = nullptr; // the last check of this network, when one ran
    size_t maxSamples = DeviceRecord::DefaultSamples;
    qsizetype maxBodyChars = ExportSampleChars;
};

// The device's findings, status, recent messages with issues and environment, as one Diagnosis
// (the report renderers redact every string and write Markdown, HTML or JSON). A diagnosis of this
// device is the base; otherwise what was seen is summarised as checks: provisioning, and the
// payload check with one finding per issue code. Either way the samples are the newest messages
// with issues (redacted, then cut), and a record that let older ones go says how many.
Diagnosis buildDeviceExport(const DeviceExportInput& in);

} // namespace iotc
