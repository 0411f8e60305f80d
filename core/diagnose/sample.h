#pragma once

#include "diagnosis.h"
#include "monitor/observation.h"

namespace iotc {

// How much of a body a device export shows, and a diagnosis report (which shows a few messages).
inline constexpr qsizetype ExportSampleChars = 4096;
inline constexpr qsizetype DiagnosisSampleChars = 2000;

// One message as a report or an export shows it: when it was enqueued, its component and module,
// its issue codes, and its body as text, redacted whole and only then cut to maxBodyChars
// (redactedSample), so a cut can never part a key from its value and leave half a secret.
SampleMessage reportSample(const Observation& o, qsizetype maxBodyChars);

} // namespace iotc
