#pragma once

#include "diagnose/diagnosis.h"

#include <optional>

namespace iotc {

struct ProvisioningReport;
class IssueSummaryModel;
class RawDataModel;

// The device's findings, status, recent messages with issues and environment, as one Diagnosis
// (the report renderers redact secrets and write Markdown, HTML or JSON). A diagnosis that was run
// is the base; otherwise what the panes saw is summarised as checks.
Diagnosis buildDeviceExport(const QString& application, const QString& deviceId, const ProvisioningReport* provisioning,
    const IssueSummaryModel& issues, const RawDataModel& messages, const std::optional<Diagnosis>& diagnosis,
    int maxSamples = 20);

} // namespace iotc
