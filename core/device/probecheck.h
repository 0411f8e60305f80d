#pragma once

#include "deviceprobe.h"

#include "diagnose/diagnosis.h"

namespace iotc {

// The probe's outcome as a check of the device's report (id "probe"): passed when the message
// arrived and validated, failed at the first failed step (a finding with its code, detail and
// what to do), skipped when it could not run; every step one line of evidence.
DiagnosisCheck probeCheck(const ProbeReport& report);

} // namespace iotc
