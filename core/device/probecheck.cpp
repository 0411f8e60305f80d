#include "probecheck.h"

#include <algorithm>

namespace iotc {

DiagnosisCheck probeCheck(const ProbeReport& report)
{
    DiagnosisCheck check;
    check.id = QStringLiteral("probe");
    check.title = QStringLiteral("Probe as the device");
    if (report.couldNotRun) {
        check.status = DiagnosisCheck::Status::Skipped;
        check.summary = QStringLiteral("The probe could not run: ") + report.whyNot;
        return check;
    }
    QStringList evidence;
    for (const auto& s : report.steps) {
        QString line = s.name + QStringLiteral(": ") + s.status;
        if (!s.protocol.isEmpty())
            line += QStringLiteral(" (") + s.protocol + QLatin1Char(')');
        evidence << line + QStringLiteral(" - ") + s.detail;
    }
    // One finding: every step as evidence, and the first failed step's words when one failed.
    DiagnosisFinding f;
    f.evidence = evidence;
    const auto failed = std::find_if(report.steps.begin(), report.steps.end(),
        [](const ProbeStep& s) { return s.status == QLatin1String("failed"); });
    if (report.ok()) {
        check.status = DiagnosisCheck::Status::Passed;
        check.summary = QStringLiteral("A message sent as the device through %1 arrived in the application and "
                                       "validated.")
                            .arg(report.assignedHub.isEmpty() ? QStringLiteral("its hub") : report.assignedHub);
        f.code = QStringLiteral("probe-passed");
        f.severity = Severity::Info;
        f.title = QStringLiteral("Every step passed");
    } else if (failed != report.steps.end()) {
        check.status = DiagnosisCheck::Status::Failed;
        check.summary = QStringLiteral("The probe failed at %1.").arg(failed->name);
        f.code = failed->code.isEmpty() ? QStringLiteral("probe-") + failed->name : failed->code;
        f.severity = Severity::Error;
        f.title = QStringLiteral("The probe failed at %1").arg(failed->name);
        f.explanation = failed->detail;
        f.mitigation = failed->mitigation;
    } else {
        check.status = DiagnosisCheck::Status::Warning;
        check.summary = QStringLiteral("The probe could not see the whole way (steps skipped): see the steps.");
        f.code = QStringLiteral("probe-incomplete");
        f.severity = Severity::Warning;
        f.title = QStringLiteral("Some steps were skipped");
    }
    check.findings.push_back(f);
    return check;
}

} // namespace iotc
