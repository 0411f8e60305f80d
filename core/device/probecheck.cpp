#include "probecheck.h"

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
    if (report.ok()) {
        check.status = DiagnosisCheck::Status::Passed;
        check.summary = QStringLiteral("A message sent as the device through %1 arrived in the application and "
                                       "validated.")
                            .arg(report.assignedHub.isEmpty() ? QStringLiteral("its hub") : report.assignedHub);
        DiagnosisFinding steps;
        steps.code = QStringLiteral("probe-passed");
        steps.severity = Severity::Info;
        steps.title = QStringLiteral("Every step passed");
        steps.evidence = evidence;
        check.findings.push_back(steps);
        return check;
    }
    const QString failed = report.failedStep();
    check.status = failed.isEmpty() ? DiagnosisCheck::Status::Warning : DiagnosisCheck::Status::Failed;
    check.summary = failed.isEmpty()
        ? QStringLiteral("The probe could not see the whole way (steps skipped): see the steps.")
        : QStringLiteral("The probe failed at %1.").arg(failed);
    for (const auto& s : report.steps) {
        if (s.status != QLatin1String("failed"))
            continue;
        DiagnosisFinding f;
        f.code = s.code.isEmpty() ? QStringLiteral("probe-") + s.name : s.code;
        f.severity = Severity::Error;
        f.title = QStringLiteral("The probe failed at %1").arg(s.name);
        f.explanation = s.detail;
        f.mitigation = s.mitigation;
        f.evidence = evidence;
        check.findings.push_back(f);
        break;
    }
    if (check.findings.empty()) {
        DiagnosisFinding f;
        f.code = QStringLiteral("probe-incomplete");
        f.severity = Severity::Warning;
        f.title = QStringLiteral("Some steps were skipped");
        f.evidence = evidence;
        check.findings.push_back(f);
    }
    return check;
}

} // namespace iotc
