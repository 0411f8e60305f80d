#pragma once

#include "diagnose/diagnosis.h"
#include "monitor/observation.h"

namespace iotc {

// How much of a body a device export shows (the diagnoser's report shows less).
inline constexpr qsizetype ExportSampleChars = 4096;

// One message as a report or an export shows it: when it was enqueued, its component and module,
// its issue codes, and its body as text, redacted whole and only then cut to maxBodyChars
// (redactedSample), so a cut can never part a key from its value and leave half a secret.
SampleMessage reportSample(const Observation& o, qsizetype maxBodyChars);

} // namespace iotc
