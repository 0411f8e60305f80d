#pragma once

#include "central/centralerror.h"

#include <QJsonObject>

namespace iotc::cli {

// What the commands that read the application share (centralcommands.cpp).

// The document, indented, on stdout.
void printJson(const QJsonObject& o);
// "iotc-diag COMMAND: <the server's words>" and what to do about it, on stderr; returns ExitUsage.
int reportCentralError(const char* command, const CentralError& e);

} // namespace iotc::cli
