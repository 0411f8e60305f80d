#pragma once

#include <string>
#include <vector>

namespace iotc::cli {

// Each iotc-diag subcommand: the words after its name in, the exit code out.
int runValidate(const std::vector<std::string>& words);
int runTemplate(const std::vector<std::string>& words);
int runSim(const std::vector<std::string>& words);
int runExplain(const std::vector<std::string>& words);
int runScanLog(const std::vector<std::string>& words);
int runDevices(const std::vector<std::string>& words);
int runDeviceShow(const std::vector<std::string>& words);
int runTemplateShow(const std::vector<std::string>& words);
int runRegistrationInfo(const std::vector<std::string>& words);
int runRegistrationSummary(const std::vector<std::string>& words);
int runMonitorEvents(const std::vector<std::string>& words);
int runValidateMessages(const std::vector<std::string>& words);
int runCapture(const std::vector<std::string>& words);
int runReplay(const std::vector<std::string>& words);
int runValidateProperties(const std::vector<std::string>& words);
int runMonitorProperties(const std::vector<std::string>& words);
int runDiagnose(const std::vector<std::string>& words);
int runNetcheck(const std::vector<std::string>& words);
int runProbe(const std::vector<std::string>& words);
int runTriage(const std::vector<std::string>& words);
int runVersion(const std::vector<std::string>& words);
int runHelp(const std::vector<std::string>& words); // the overview, or "help COMMAND"

// Entry point of iotc-diag (after QCoreApplication is set up): dispatches by the command table
// (commandtable.h), which also generates every help text.
int runDiag(int argc, char** argv);

} // namespace iotc::cli
