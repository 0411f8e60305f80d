#pragma once

#include "diagnose/diagnosis.h"
#include "net/netcheck.h"

namespace iotc {

// A network check (core/net/netcheck) as a check of the device's report (id "netcheck"): passed
// when every target was reachable and the clock is right, failed otherwise with one finding per
// failure (its code, detail and what to do in the device's terms); every target one line of
// evidence.
DiagnosisCheck netCheckCheck(const NetCheckReport& report);

} // namespace iotc
