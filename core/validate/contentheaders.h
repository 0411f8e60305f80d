#pragma once

#include "issuelist.h"
#include "messagecontext.h"

namespace iotc {

// The content type and content encoding a telemetry message carried (or not): IoT Central reads
// application/json in UTF-8; a charset parameter and any letter case are fine.
void checkContentHeaders(const MessageContext& context, IssueList& issues);

} // namespace iotc
