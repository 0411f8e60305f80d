// The device export is built in core from core values: a DeviceRecord of the device's messages
// (bounded, evictions counted), the provisioning report and the last diagnosis. No table is read,
// so its 20,000-row cap or filter changes nothing.
#include "knowledge/advice.h"
#include "provisioning/provisioningcheck.h"
#include "report/deviceexport.h"

#include <gtest/gtest.h>

#include <memory>

using namespace iotc;

namespace {

const QString DeviceId = QStringLiteral("dev-1");
const std::string Key = "Zq8xK3vT9wLm2NpR5sYb7cFd1gHj4kQe6uWi0oAz";

Issue issue(const char* code, Severity severity, const char* path, const char* message)
{
    Issue i;
    i.code = code;
    i.severity = severity;
    i.path = path;
    i.message = message;
    return i;
}

Observation message(const QString& device, qint64 ms, std::vector<Issue> issues = {}, const std::string& body = "{}")
{
    Observation o;
    o.event.deviceId = device;
    o.event.enqueuedMs = ms;
    o.event.body = QByteArray::fromStdString(body);
    o.issues = std::move(issues);
    return o;
}

ObservationBatch batch(std::vector<Observation> list)
{
    return std::make_shared<const std::vector<Observation>>(std::move(list));
}

const DiagnosisCheck* check(const Diagnosis& d, const char* id)
{
    for (const auto& c : d.checks)
        if (c.id == QLatin1String(id))
            return &c;
    return nullptr;
}

ProvisioningReport provisioned(DeviceStatus status)
{
    ProvisioningReport r;
    r.status = status;
    return r;
}

} // namespace

TEST(DeviceRecord, KeepsOnlyItsDeviceGroupsByCodeAndBoundsTheSamples)
{
    DeviceRecord record(3);
    record.append(message(DeviceId, 1, { issue("schema-mismatch", Severity::Error, "t", "not a number") }));
    EXPECT_EQ(record.messages(), 0u) << "no device yet: nothing is recorded";
    record.setDevice(DeviceId);
    Issue casing = issue("unmodeled-capability", Severity::Warning, "Temperature", "not in the template");
    casing.suggestion = "did you mean `temperature`?";
    record.append(batch({ message(DeviceId, 10, { casing }), message(QStringLiteral("other"), 11, { casing }),
        message(DeviceId, 12), message(DeviceId, 13, { issue("reserved-field", Severity::Info, "$v", "reserved") }) }));
    for (qint64 ms = 20; ms < 25; ++ms)
        record.append(message(DeviceId, ms,
            { issue("unmodeled-capability", Severity::Warning, "Humidity", "later"),
                issue("schema-mismatch", Severity::Error, "t", "not a number") }));
    EXPECT_EQ(record.messages(), 8u);
    ASSERT_EQ(record.groups().size(), 3u);
    const IssueGroup& first = record.groups()[0];
    EXPECT_EQ(first.code, QStringLiteral("unmodeled-capability"));
    EXPECT_EQ(first.count, 6);
    EXPECT_EQ(first.firstMs, 10);
    EXPECT_EQ(first.lastMs, 24);
    EXPECT_EQ(first.severity, Severity::Warning);
    EXPECT_EQ(first.example, QStringLiteral("Temperature: not in the template — did you mean `temperature`?"));
    EXPECT_EQ(record.groups()[1].code, QStringLiteral("reserved-field"));
    EXPECT_EQ(record.groups()[2].severity, Severity::Error);
    // 7 messages with issues, 3 kept (the newest), 4 let go and counted.
    ASSERT_EQ(record.samples().size(), 3u);
    EXPECT_EQ(record.samples().front().event.enqueuedMs, 22);
    EXPECT_EQ(record.samples().back().event.enqueuedMs, 24);
    EXPECT_EQ(record.samplesEvicted(), 4u);
    record.setDevice(QStringLiteral("other"));
    EXPECT_EQ(record.messages(), 0u);
    EXPECT_TRUE(record.groups().empty());
    EXPECT_TRUE(record.samples().empty());
    EXPECT_EQ(record.samplesEvicted(), 0u);
}

TEST(DeviceRecord, GroupsAreBounded)
{
    DeviceRecord record;
    record.setDevice(DeviceId);
    for (size_t n = 0; n < DeviceRecord::MaxGroups + 10; ++n)
        record.append(
            message(DeviceId, 1, { issue(("code-" + std::to_string(n)).c_str(), Severity::Warning, "", "x") }));
    EXPECT_EQ(record.groups().size(), DeviceRecord::MaxGroups);
    EXPECT_EQ(record.issuesNotGrouped(), 10u);
    EXPECT_LE(record.samples().size(), DeviceRecord::DefaultSamples);
}

TEST(DeviceExport, SummarisesWhatWasSeenWithoutATableCap)
{
    DeviceRecord record;
    record.setDevice(DeviceId);
    // More messages than the Raw data table keeps (20,000): the count is of every one.
    std::vector<Observation> many;
    for (qint64 ms = 0; ms < 25000; ++ms)
        many.push_back(message(DeviceId, ms));
    record.append(batch(std::move(many)));
    const std::string body = R"({"Temperature": 21, "deviceKey": ")" + Key + R"("})";
    record.append(
        message(DeviceId, 30000, { issue("unmodeled-capability", Severity::Warning, "Temperature", "x") }, body));
    const ProvisioningReport status = provisioned(DeviceStatus::Provisioned);
    DeviceExportInput in;
    in.application = QStringLiteral("https://app.azureiotcentral.com");
    in.deviceId = DeviceId;
    in.provisioning = &status;
    in.record = &record;
    const Diagnosis d = buildDeviceExport(in);
    EXPECT_EQ(d.deviceId, DeviceId);
    EXPECT_EQ(d.application, in.application);
    EXPECT_FALSE(d.generatedAt.isEmpty());
    ASSERT_EQ(d.checks.size(), 2u);
    const DiagnosisCheck* prov = check(d, "provisioning");
    ASSERT_TRUE(prov);
    EXPECT_EQ(prov->status, DiagnosisCheck::Status::Passed);
    EXPECT_EQ(prov->summary, QStringLiteral("Provisioned"));
    const DiagnosisCheck* payload = check(d, "payload");
    ASSERT_TRUE(payload);
    EXPECT_EQ(payload->status, DiagnosisCheck::Status::Warning);
    EXPECT_EQ(payload->summary, QStringLiteral("25001 message(s) seen"));
    ASSERT_EQ(payload->findings.size(), 1u);
    EXPECT_EQ(payload->findings[0].code, QStringLiteral("unmodeled-capability"));
    EXPECT_EQ(payload->findings[0].evidence, QStringList { QStringLiteral("1 time(s): Temperature: x") });
    const auto* advice = adviceFor(AdviceKind::Issue, "unmodeled-capability");
    ASSERT_TRUE(advice);
    EXPECT_TRUE(payload->findings[0].explanation.contains(QString::fromStdString(advice->whatToDo)));
    EXPECT_TRUE(d.healthySummary.isEmpty()) << "a warning is not healthy";
    ASSERT_EQ(d.samples.size(), 1u);
    EXPECT_TRUE(d.samples[0].body.contains(QStringLiteral("Temperature")));
    EXPECT_FALSE(d.samples[0].body.contains(QString::fromStdString(Key.substr(0, 12))));
    EXPECT_EQ(d.samples[0].issues, QStringList { QStringLiteral("unmodeled-capability") });
}

TEST(DeviceExport, FailedProvisioningAndErrorsAreFindings)
{
    DeviceRecord record;
    record.setDevice(DeviceId);
    record.append(message(DeviceId, 1, { issue("schema-mismatch", Severity::Error, "t", "not a number") }));
    const ProvisioningReport blocked = provisioned(DeviceStatus::Blocked);
    DeviceExportInput in;
    in.deviceId = DeviceId;
    in.provisioning = &blocked;
    in.record = &record;
    const Diagnosis d = buildDeviceExport(in);
    const DiagnosisCheck* prov = check(d, "provisioning");
    ASSERT_TRUE(prov);
    EXPECT_EQ(prov->status, DiagnosisCheck::Status::Failed);
    ASSERT_EQ(prov->findings.size(), 1u);
    EXPECT_EQ(prov->findings[0].code, QStringLiteral("blocked"));
    EXPECT_FALSE(prov->findings[0].mitigation.isEmpty());
    EXPECT_EQ(check(d, "payload")->status, DiagnosisCheck::Status::Failed);
}

TEST(DeviceExport, HealthyWhenProvisionedAndEveryMessageModeled)
{
    DeviceRecord record;
    record.setDevice(DeviceId);
    record.append(batch({ message(DeviceId, 1), message(DeviceId, 2) }));
    const ProvisioningReport status = provisioned(DeviceStatus::Provisioned);
    DeviceExportInput in;
    in.deviceId = DeviceId;
    in.provisioning = &status;
    in.record = &record;
    const Diagnosis d = buildDeviceExport(in);
    EXPECT_EQ(d.healthySummary, QStringLiteral("2 message(s), all modeled"));
    EXPECT_TRUE(d.samples.empty());
    // Without a record nothing was seen: the payload check is skipped.
    in.record = nullptr;
    EXPECT_EQ(check(buildDeviceExport(in), "payload")->status, DiagnosisCheck::Status::Skipped);
}

TEST(DeviceExport, SamplesAreNewestFirstBoundedAndSayWhatWasLetGo)
{
    DeviceRecord record(5);
    record.setDevice(DeviceId);
    for (qint64 ms = 1; ms <= 9; ++ms)
        record.append(message(DeviceId, ms, { issue("schema-mismatch", Severity::Error, "t", "x") },
            R"({"t": ")" + std::string(100, 'a') + R"(", "sig": ")" + Key + R"("})"));
    DeviceExportInput in;
    in.deviceId = DeviceId;
    in.record = &record;
    in.maxSamples = 3;
    in.maxBodyChars = 40;
    const Diagnosis d = buildDeviceExport(in);
    ASSERT_EQ(d.samples.size(), 3u);
    EXPECT_EQ(d.samples[0].enqueuedTime, QStringLiteral("1970-01-01T00:00:00.009Z"));
    EXPECT_EQ(d.samples[2].enqueuedTime, QStringLiteral("1970-01-01T00:00:00.007Z"));
    for (const auto& s : d.samples)
        EXPECT_LE(s.body.size(), 40);
    // 9 with issues: 4 evicted by the record, 2 kept but past maxSamples.
    EXPECT_TRUE(check(d, "payload")
                    ->summary.endsWith(
                        QStringLiteral("The newest 3 message(s) with issues are sampled; 6 older are not kept.")))
        << check(d, "payload")->summary.toStdString();
}

TEST(DeviceExport, ADiagnosisOfTheDeviceIsTheBase)
{
    DeviceRecord record;
    record.setDevice(DeviceId);
    record.append(message(DeviceId, 5, { issue("schema-mismatch", Severity::Error, "t", "x") }, R"({"t": "x"})"));
    Diagnosis run;
    run.deviceId = DeviceId;
    run.application = QStringLiteral("https://app");
    run.checks.push_back(DiagnosisCheck { QStringLiteral("app"), QStringLiteral("Application"),
        DiagnosisCheck::Status::Passed, QStringLiteral("reachable"), {} });
    run.samples.push_back(SampleMessage { QStringLiteral("old"), {}, {}, QStringLiteral("{}"), {} });
    DeviceExportInput in;
    in.deviceId = DeviceId;
    in.record = &record;
    in.diagnosis = &run;
    Diagnosis d = buildDeviceExport(in);
    ASSERT_EQ(d.checks.size(), 1u);
    EXPECT_EQ(d.checks[0].id, QStringLiteral("app"));
    EXPECT_EQ(d.application, QStringLiteral("https://app"));
    ASSERT_EQ(d.samples.size(), 1u) << "the record's samples replace the diagnosis' own";
    EXPECT_EQ(d.samples[0].body, QStringLiteral(R"({"t": "x"})"));
    // A diagnosis of another device is not this device's report, nor is another device's record.
    run.deviceId = QStringLiteral("dev-2");
    d = buildDeviceExport(in);
    EXPECT_NE(check(d, "payload"), nullptr);
    record.setDevice(QStringLiteral("dev-3"));
    d = buildDeviceExport(in);
    EXPECT_TRUE(d.samples.empty());
    EXPECT_EQ(check(d, "payload")->status, DiagnosisCheck::Status::Skipped);
}
