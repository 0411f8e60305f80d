#include "deviceexport.h"

#include "devicelistmodel.h"
#include "issuesummarymodel.h"
#include "rawdatamodel.h"

#include "knowledge/knowledgebase.h"
#include "provisioning/provisioningcheck.h"
#include "report/redact.h"

#include <QDateTime>
#include <QJsonDocument>

namespace iotc {

Diagnosis buildDeviceExport(const QString& application, const QString& deviceId, const ProvisioningReport* provisioning,
    const IssueSummaryModel& issues, const RawDataModel& messages, const std::optional<Diagnosis>& diagnosis,
    int maxSamples)
{
    Diagnosis d;
    if (diagnosis && diagnosis->deviceId == deviceId) {
        d = *diagnosis;
    } else {
        d.deviceId = deviceId;
        d.application = application;
        d.toolVersion = QStringLiteral(IOTC_VERSION);
        if (provisioning && provisioning->ok()) {
            const auto& k = statusKnowledge(provisioning->status);
            DiagnosisCheck c;
            c.id = QStringLiteral("provisioning");
            c.title = QStringLiteral("Provisioning status and DPS");
            c.status = provisioning->status == DeviceStatus::Provisioned && !provisioning->dpsProblem()
                ? DiagnosisCheck::Status::Passed
                : DiagnosisCheck::Status::Failed;
            c.summary = statusText(provisioning->status);
            if (c.status == DiagnosisCheck::Status::Failed)
                c.findings.push_back(DiagnosisFinding { QString::fromLatin1(statusName(provisioning->status)),
                    QStringLiteral("error"), QString::fromStdString(k.title), QString::fromStdString(k.description),
                    QString::fromStdString(k.mitigation),
                    { provisioning->dps ? QStringLiteral("DPS: ")
                                + QString::fromUtf8(
                                    QJsonDocument(provisioning->dps->toJson()).toJson(QJsonDocument::Compact))
                                        : provisioning->dpsNote } });
            d.checks.push_back(c);
        }
        DiagnosisCheck payload;
        payload.id = QStringLiteral("payload");
        payload.title = QStringLiteral("Payload shape (messages seen in the workbench)");
        payload.status = messages.total() == 0 ? DiagnosisCheck::Status::Skipped : DiagnosisCheck::Status::Passed;
        payload.summary = QStringLiteral("%1 message(s) seen").arg(messages.total());
        for (const auto& g : issues.groups()) {
            if (g.severity >= Severity::Warning)
                payload.status = g.severity == Severity::Error         ? DiagnosisCheck::Status::Failed
                    : payload.status == DiagnosisCheck::Status::Failed ? payload.status
                                                                       : DiagnosisCheck::Status::Warning;
            payload.findings.push_back(DiagnosisFinding { g.code, QString::fromLatin1(severityName(g.severity)), g.code,
                g.advice, QString(), { QStringLiteral("%1 time(s): %2").arg(g.count).arg(g.example) } });
        }
        d.checks.push_back(payload);
        if (payload.status == DiagnosisCheck::Status::Passed
            && d.checks.front().status == DiagnosisCheck::Status::Passed)
            d.healthySummary = QStringLiteral("%1 message(s), all modeled").arg(messages.total());
    }
    d.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    // The newest messages with problems, then the newest at all, up to maxSamples.
    std::vector<SampleMessage> samples;
    for (int row = messages.rowCount() - 1; row >= 0 && static_cast<int>(samples.size()) < maxSamples; --row) {
        const Observation* o = messages.observationAt(row);
        if (!o || o->issues.empty())
            continue;
        SampleMessage s;
        s.enqueuedTime = QDateTime::fromMSecsSinceEpoch(o->event.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs);
        s.component = o->event.component;
        s.module = o->event.moduleId;
        s.body = redactedSample(QString::fromUtf8(o->event.body), 4096);
        for (const auto& i : o->issues)
            s.issues << QString::fromStdString(i.code);
        samples.push_back(std::move(s));
    }
    if (!samples.empty())
        d.samples = std::move(samples);
    return d;
}

} // namespace iotc
