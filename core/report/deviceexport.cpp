#include "deviceexport.h"

#include "device/probecheck.h"
#include "knowledge/advice.h"
#include "knowledge/knowledgebase.h"
#include "netcheckcheck.h"
#include "provisioning/devicestatus.h"
#include "provisioning/provisioningcheck.h"

#include <QDateTime>
#include <QJsonDocument>

namespace iotc {

namespace {

// Appends a sentence to a check's summary.
void addSentence(QString& summary, const QString& sentence)
{
    if (!summary.isEmpty())
        summary += summary.endsWith(QLatin1Char('.')) ? QStringLiteral(" ") : QStringLiteral(". ");
    summary += sentence;
}

DiagnosisFinding finding(const QString& code, Severity severity, const QString& title, const QString& explanation,
    const QString& mitigation, const QStringList& evidence)
{
    DiagnosisFinding f;
    f.code = code;
    f.severity = severity;
    f.title = title;
    f.explanation = explanation;
    f.mitigation = mitigation;
    f.evidence = evidence;
    return f;
}

DiagnosisCheck provisioningCheck(const ProvisioningReport& report)
{
    const auto& k = statusKnowledge(report.status);
    DiagnosisCheck c;
    c.id = QStringLiteral("provisioning");
    c.title = QStringLiteral("Provisioning status and DPS");
    c.status = report.status == DeviceStatus::Provisioned && !report.dpsProblem() ? DiagnosisCheck::Status::Passed
                                                                                  : DiagnosisCheck::Status::Failed;
    c.summary = QString::fromStdString(k.title); // Provisioned, Blocked, ... as the guide names them
    if (c.status == DiagnosisCheck::Status::Failed) {
        const QString dps = report.dps ? QStringLiteral("DPS: ")
                + QString::fromUtf8(QJsonDocument(report.dps->toJson()).toJson(QJsonDocument::Compact))
                                       : report.dpsNote;
        c.findings.push_back(
            finding(QString::fromLatin1(statusName(report.status)), Severity::Error, QString::fromStdString(k.title),
                QString::fromStdString(k.description), QString::fromStdString(k.mitigation), { dps }));
    }
    return c;
}

DiagnosisCheck payloadCheck(const DeviceRecord* record)
{
    const quint64 messages = record ? record->messages() : 0;
    DiagnosisCheck payload;
    payload.id = QStringLiteral("payload");
    payload.title = QStringLiteral("Payload shape (messages seen in the workbench)");
    payload.status = messages == 0 ? DiagnosisCheck::Status::Skipped : DiagnosisCheck::Status::Passed;
    payload.summary = QStringLiteral("%1 message(s) seen").arg(messages);
    if (!record)
        return payload;
    for (const auto& g : record->groups()) {
        if (g.severity >= Severity::Warning)
            payload.status = g.severity == Severity::Error         ? DiagnosisCheck::Status::Failed
                : payload.status == DiagnosisCheck::Status::Failed ? payload.status
                                                                   : DiagnosisCheck::Status::Warning;
        payload.findings.push_back(
            finding(g.code, g.severity, g.code, QString::fromStdString(issueAdviceText(g.code.toStdString())),
                QString(), { QStringLiteral("%1 time(s): %2").arg(g.count).arg(g.example) }));
    }
    if (record->issuesNotGrouped() > 0)
        addSentence(payload.summary,
            QStringLiteral("%1 issue(s) of further codes are not grouped.").arg(record->issuesNotGrouped()));
    return payload;
}

} // namespace

Diagnosis buildDeviceExport(const DeviceExportInput& in)
{
    // A record of another device (the view moved on) has nothing to say about this one.
    const DeviceRecord* record = in.record && in.record->deviceId() == in.deviceId ? in.record : nullptr;
    Diagnosis d;
    if (in.diagnosis && in.diagnosis->deviceId == in.deviceId) {
        d = *in.diagnosis;
    } else {
        d.deviceId = in.deviceId;
        d.application = in.application;
        d.toolVersion = QStringLiteral(IOTC_VERSION);
        if (in.provisioning && in.provisioning->ok())
            d.checks.push_back(provisioningCheck(*in.provisioning));
        d.checks.push_back(payloadCheck(record));
        if (d.checks.back().status == DiagnosisCheck::Status::Passed
            && d.checks.front().status == DiagnosisCheck::Status::Passed)
            d.healthySummary = QStringLiteral("%1 message(s), all modeled").arg(record ? record->messages() : 0);
    }
    d.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    if (in.probe && in.probe->deviceId == in.deviceId && (!in.probe->steps.empty() || in.probe->couldNotRun))
        d.checks.push_back(probeCheck(*in.probe));
    if (in.netcheck && !in.netcheck->targets.empty())
        d.checks.push_back(netCheckCheck(*in.netcheck));
    if (!record)
        return d;
    // The newest messages with issues first, up to maxSamples.
    std::vector<SampleMessage> samples;
    const auto& kept = record->samples();
    for (auto it = kept.rbegin(); it != kept.rend() && samples.size() < in.maxSamples; ++it)
        samples.push_back(reportSample(*it, in.maxBodyChars));
    if (samples.empty())
        return d;
    d.samples = std::move(samples);
    const quint64 notShown = record->samplesEvicted() + (kept.size() - d.samples.size());
    if (notShown > 0) {
        for (auto& check : d.checks) {
            if (check.id == QLatin1String("payload")) {
                addSentence(check.summary,
                    QStringLiteral("The newest %1 message(s) with issues are sampled; %2 older are not kept.")
                        .arg(d.samples.size())
                        .arg(notShown));
                break;
            }
        }
    }
    return d;
}

} // namespace iotc
