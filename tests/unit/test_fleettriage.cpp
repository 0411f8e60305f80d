// Fleet triage's rules (core/triage/fleettriage): one cause per device from its status and what the
// event stream showed, ranked by severity and then by how many devices share the cause; counts
// that agree with the list; bounded per device.
#include "diagnose/diagnosis.h"
#include "report/csvtext.h"
#include "triage/fleettriage.h"
#include "validate/issue.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

constexpr qint64 ListenStart = 1'800'000'000'000; // ms since the epoch
constexpr double ListenSeconds = 60;

Device device(const char* id, bool provisioned = true, bool enabled = true, const char* templateId = "dtmi:t;1")
{
    Device d;
    d.id = QString::fromLatin1(id);
    d.displayName = d.id.toUpper();
    d.provisioned = provisioned;
    d.enabled = enabled;
    d.templateId = QString::fromLatin1(templateId);
    return d;
}

Observation message(const char* id, qint64 enqueuedMs, std::vector<Issue> issues = {})
{
    Observation o;
    o.event.deviceId = QString::fromLatin1(id);
    o.event.enqueuedMs = enqueuedMs;
    o.issues = std::move(issues);
    return o;
}

Issue issue(std::string_view code, Severity severity, const char* message)
{
    Issue i;
    i.code = std::string(code);
    i.severity = severity;
    i.message = message;
    return i;
}

const TriageDevice& find(const TriageResult& r, const char* id)
{
    for (const auto& d : r.devices)
        if (d.deviceId == QLatin1String(id))
            return d;
    static TriageDevice none;
    ADD_FAILURE() << id << " not in the result";
    return none;
}

} // namespace

TEST(FleetTriage, EachDeviceGetsTheCauseItsStatusAndDataShow)
{
    FleetTriage t;
    t.addDevices({ device("healthy"), device("blocked", true, false), device("waiting", false, false),
        device("unassigned", true, true, ""), device("registered", false), device("silent"), device("bad-json"),
        device("casing"), device("stopped"), device("headers") });
    std::vector<Observation> batch;
    for (int i = 0; i < 5; ++i)
        batch.push_back(message("healthy", ListenStart + i * 10000));
    batch.push_back(
        message("bad-json", ListenStart + 1000, { issue(codes::InvalidJson, Severity::Error, "not JSON") }));
    batch.push_back(message("bad-json", ListenStart + 2000));
    batch.push_back(message("casing", ListenStart + 1000,
        { issue(codes::UnmodeledCapability, Severity::Warning, "'Temperature' is not in the template") }));
    // Sent every 5 s in the look-back, nothing while listening for 60 s: stopped.
    for (int i = 1; i <= 6; ++i)
        batch.push_back(message("stopped", ListenStart - 60000 - i * 5000));
    // Two headers wrong in one message: one message with that cause.
    batch.push_back(message("headers", ListenStart + 1000,
        { issue(codes::ContentTypeMismatch, Severity::Warning, "no content type"),
            issue(codes::MissingContentEncoding, Severity::Warning, "no content encoding") }));
    // A twin change is not data.
    Observation twin = message("silent", ListenStart + 500);
    twin.event.messageSource = QStringLiteral("twinChangeEvents");
    batch.push_back(twin);
    t.addObservations(batch);

    const TriageResult r = t.result(ListenStart, ListenSeconds, 10);
    ASSERT_EQ(r.devices.size(), 10u);
    EXPECT_EQ(find(r, "headers").cause, causes::ContentTypeOrEncoding);
    EXPECT_TRUE(find(r, "headers").evidence.startsWith(QStringLiteral("1 of 1 message(s)")))
        << find(r, "headers").evidence.toStdString();
    EXPECT_EQ(find(r, "healthy").cause, QLatin1String(HealthyCause));
    EXPECT_EQ(find(r, "healthy").messages, 5);
    EXPECT_EQ(find(r, "blocked").cause, causes::DeviceBlocked);
    EXPECT_EQ(find(r, "waiting").cause, causes::DeviceBlockedOrWaitingForApproval);
    EXPECT_EQ(find(r, "unassigned").cause, causes::DeviceUnassigned);
    EXPECT_EQ(find(r, "registered").cause, causes::DeviceNeverConnected);
    EXPECT_EQ(find(r, "silent").cause, causes::NoData) << "a twin change is not the device's data";
    EXPECT_TRUE(find(r, "silent").evidence.contains(QStringLiteral("10 min")));
    EXPECT_EQ(find(r, "bad-json").cause, causes::InvalidJson);
    EXPECT_EQ(find(r, "bad-json").severity, Severity::Error);
    EXPECT_TRUE(find(r, "bad-json").evidence.contains(QStringLiteral("1 of 2 message(s); e.g. not JSON")));
    EXPECT_EQ(find(r, "casing").cause, causes::UnmodeledCapability);
    EXPECT_EQ(find(r, "casing").severity, Severity::Warning);
    EXPECT_EQ(find(r, "stopped").cause, causes::DataStopped);
    EXPECT_TRUE(find(r, "stopped").evidence.contains(QStringLiteral("usual interval about 5.0 s")))
        << find(r, "stopped").evidence.toStdString();
    for (const auto& d : r.devices) {
        if (d.cause != QLatin1String(HealthyCause)) {
            EXPECT_FALSE(d.mitigation.isEmpty()) << d.deviceId.toStdString() << ": the advice book's what-to-do";
        }
    }
}

TEST(FleetTriage, CountsAgreeWithTheListAndTheRankIsSeverityThenSharedCause)
{
    FleetTriage t;
    QList<Device> devices;
    for (int i = 0; i < 3; ++i)
        devices << device(qPrintable(QStringLiteral("silent-%1").arg(i)));
    devices << device("blocked", true, false) << device("casing-1") << device("casing-2") << device("ok");
    t.addDevices(devices);
    t.addObservations(
        { message("casing-1", ListenStart + 1, { issue(codes::UnmodeledCapability, Severity::Warning, "x") }),
            message("casing-2", ListenStart + 1, { issue(codes::UnmodeledCapability, Severity::Warning, "x") }),
            message("ok", ListenStart + 1), message("deleted-device", ListenStart + 1) });
    const TriageResult r = t.result(ListenStart, ListenSeconds, 10);
    EXPECT_EQ(r.healthy, 1);
    EXPECT_EQ(r.byCause.at(causes::NoData), 3);
    EXPECT_EQ(r.byCause.at(causes::DeviceBlocked), 1);
    EXPECT_EQ(r.byCause.at(causes::UnmodeledCapability), 2);
    int counted = r.healthy;
    for (const auto& [cause, n] : r.byCause)
        counted += n;
    EXPECT_EQ(counted, static_cast<int>(r.devices.size()));
    EXPECT_EQ(r.messagesFromUnlisted, 1) << "counted, not judged";
    // Errors first, the cause shared by most devices first among them; warnings; healthy last.
    EXPECT_EQ(r.devices[0].cause, causes::NoData);
    EXPECT_EQ(r.devices[2].cause, causes::NoData);
    EXPECT_EQ(r.devices[3].cause, causes::DeviceBlocked);
    EXPECT_EQ(r.devices[4].cause, causes::UnmodeledCapability);
    EXPECT_EQ(r.devices.back().cause, QLatin1String(HealthyCause));
}

TEST(FleetTriage, TheWorstCauseOfADeviceWinsAndMemoryPerDeviceIsBounded)
{
    FleetTriage t;
    t.addDevices({ device("mixed") });
    std::vector<Observation> batch;
    for (int i = 0; i < 10000; ++i)
        batch.push_back(message("mixed", ListenStart + i,
            { issue(codes::UnmodeledCapability, Severity::Warning, "w"),
                issue(i == 9999 ? codes::SchemaMismatch : codes::ReservedField, Severity::Error, "schema") }));
    t.addObservations(batch);
    const auto r = t.result(ListenStart, ListenSeconds, 10);
    EXPECT_EQ(r.devices.front().cause, causes::SchemaMismatch) << "ranked above unmodeled names";
    EXPECT_EQ(r.devices.front().messages, 10000);
    EXPECT_EQ(r.devices.front().lastSeenMs, ListenStart + 9999);
}

TEST(CsvRecord, QuotesWhatNeedsItAndDisarmsFormulas)
{
    EXPECT_EQ(csvRecord({ "a", "b,c", "say \"hi\"", "line\nbreak" }),
        QStringLiteral("a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n"));
    EXPECT_EQ(csvRecord({ "=HYPERLINK(\"x\")", "-1", "@sum", "+x" }),
        QStringLiteral("\"'=HYPERLINK(\"\"x\"\")\",'-1,'@sum,'+x\r\n"));
    EXPECT_EQ(csvRecord({}), QStringLiteral("\r\n"));
}
