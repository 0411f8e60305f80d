#include "properties/propertysnapshot.h"
#include "properties/propertyvalidation.h"
#include "testdata.h"

#include <QFile>
#include <QJsonDocument>
#include <gtest/gtest.h>

#include <algorithm>

using namespace iotc;

namespace {

QJsonObject load(const std::string& relative, bool restExample)
{
    QFile f(QString::fromStdString(test::dataPath(relative).string()));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    const auto o = QJsonDocument::fromJson(f.readAll()).object();
    return restExample ? o.value(QStringLiteral("responses"))
                             .toObject()
                             .value(QStringLiteral("200"))
                             .toObject()
                             .value(QStringLiteral("body"))
                             .toObject()
                       : o;
}

} // namespace

TEST(Properties, RestExampleWithComponents)
{
    const auto s = PropertySnapshot::fromRest(load("iotcentral-rest/2022-07-31/devices_properties_get.json", true));
    const auto* manufacturer = s.find(QStringLiteral("deviceinfo.manufacturer"));
    ASSERT_TRUE(manufacturer);
    EXPECT_EQ(manufacturer->reported.toString(), QStringLiteral("manufacturer"));
    EXPECT_EQ(manufacturer->sync, SyncState::None);
    const auto* fan = s.find(QStringLiteral("settings.fanSpeed"));
    ASSERT_TRUE(fan);
    EXPECT_EQ(fan->desired->toInt(), 30);
    EXPECT_EQ(fan->desiredVersion, 2);
    EXPECT_EQ(fan->sync, SyncState::Pending) << "desired 30 at version 2, never acknowledged";
}

TEST(Properties, CliFixtureWithAcknowledgements)
{
    const auto s = PropertySnapshot::fromRest(load("azcli/device_properties.json", false));
    const auto* light = s.find(QStringLiteral("LightThreshold"));
    ASSERT_TRUE(light);
    EXPECT_EQ(light->ackCode, 200);
    EXPECT_EQ(light->sync, SyncState::Accepted);
    EXPECT_TRUE(s.reportedPayload().contains(QStringLiteral("LightThreshold")));
}

TEST(Properties, SyncStates)
{
    PropertyState p;
    EXPECT_EQ(syncStateOf(p), SyncState::None);
    p.desiredVersion = 4;
    EXPECT_EQ(syncStateOf(p), SyncState::Pending);
    p.ackVersion = 3;
    p.ackCode = 200;
    EXPECT_EQ(syncStateOf(p), SyncState::Pending) << "an ack of an older version does not count";
    p.ackVersion = 4;
    EXPECT_EQ(syncStateOf(p), SyncState::Accepted);
    p.ackCode = 202;
    EXPECT_EQ(syncStateOf(p), SyncState::Pending) << "202 means in progress";
    p.ackCode = 400;
    EXPECT_EQ(syncStateOf(p), SyncState::Rejected);
    p.ackVersion = 2;
    EXPECT_EQ(syncStateOf(p, 1000, 70000, 60000), SyncState::Stale);
}

TEST(Properties, DiffReportsEveryKindOfChange)
{
    PropertySnapshot a, b;
    PropertyState x;
    x.name = QStringLiteral("x");
    x.hasReported = true;
    x.reported = 1;
    PropertyState y = x;
    y.name = QStringLiteral("y");
    PropertyState w;
    w.name = QStringLiteral("w");
    w.desiredVersion = 1;
    w.sync = SyncState::Pending;
    a.properties = { x, y, w };
    PropertyState x2 = x;
    x2.reported = 2;
    PropertyState z = x;
    z.name = QStringLiteral("z");
    PropertyState w2 = w;
    w2.sync = SyncState::Stale;
    b.properties = { x2, z, w2 };
    const auto changes = diffSnapshots(a, b);
    ASSERT_EQ(changes.size(), 4);
    EXPECT_EQ(changes[0].kind, PropertyChange::Kind::Changed);
    EXPECT_EQ(changes[1].kind, PropertyChange::Kind::Added);
    EXPECT_EQ(changes[2].kind, PropertyChange::Kind::SyncChanged);
    EXPECT_EQ(changes[3].kind, PropertyChange::Kind::Removed);
    EXPECT_EQ(changes[3].toJson().value(QStringLiteral("property")).toString(), QStringLiteral("y"));
}

namespace {

std::vector<std::string> issueCodes(const std::vector<Issue>& issues)
{
    std::vector<std::string> out;
    out.reserve(issues.size());
    for (const auto& i : issues)
        out.push_back(i.code + "@" + i.path);
    return out;
}

// A REST properties answer: osVersion is not in the template, serialNumber has the wrong type,
// the thermostat's targetTemperature was rejected, a root writable is pending and one accepted.
QJsonObject restAnswer()
{
    return QJsonDocument::fromJson(R"({
        "serialNumber": 42,
        "osVersion": "10.0",
        "$metadata": {
            "serialNumber": {"lastUpdateTime": "2024-01-01T00:00:00Z"},
            "osVersion": {"lastUpdateTime": "2024-01-01T00:00:00Z"},
            "pendingOne": {"desiredValue": 5, "desiredVersion": 3}
        },
        "thermostat1": {
            "__t": "c",
            "targetTemperature": 21,
            "$metadata": {
                "targetTemperature": {"desiredValue": 99, "desiredVersion": 7, "ackVersion": 7, "ackCode": 400,
                                      "ackDescription": "out of range"},
                "maxTempSinceLastReboot": {"desiredValue": 1, "desiredVersion": 2, "ackVersion": 2, "ackCode": 200}
            }
        }
    })")
        .object();
}

} // namespace

TEST(PropertyIssues, ReportedValidationThenAcknowledgementsInSnapshotOrder)
{
    const PayloadValidator validator(test::loadTemplate(test::TemperatureController));
    const auto snapshot = PropertySnapshot::fromRest(restAnswer(), componentNamesOf(&validator));
    const auto issues = propertyIssues(snapshot, &validator, std::nullopt);
    // The validator's own findings, then one per writable property the device did not accept.
    const auto reported = validateReportedProperties(snapshot, validator);
    ASSERT_GE(reported.size(), 2u);
    ASSERT_EQ(issues.size(), reported.size() + 2);
    for (size_t k = 0; k < reported.size(); ++k)
        EXPECT_EQ(issues[k].code + "@" + issues[k].path, reported[k].code + "@" + reported[k].path);
    const auto codes = issueCodes(issues);
    EXPECT_NE(std::find(codes.begin(), codes.end(), "unmodeled-capability@osVersion"), codes.end());
    EXPECT_NE(std::find(codes.begin(), codes.end(), "schema-mismatch@serialNumber"), codes.end());
    // Snapshot order: thermostat1 (a component level) is read before the root level.
    const Issue& rejected = issues[reported.size()];
    EXPECT_EQ(rejected.code, "writable-property-rejected");
    EXPECT_EQ(rejected.path, "thermostat1.targetTemperature");
    EXPECT_EQ(rejected.severity, Severity::Error);
    EXPECT_NE(rejected.message.find("out of range"), std::string::npos);
    const Issue& pending = issues[reported.size() + 1];
    EXPECT_EQ(pending.code, "writable-property-not-acknowledged");
    EXPECT_EQ(pending.path, "pendingOne");
    EXPECT_EQ(pending.severity, Severity::Warning);
}

TEST(PropertyIssues, WithoutATemplateSaysWhyAndStillChecksAcknowledgements)
{
    const auto snapshot = PropertySnapshot::fromRest(restAnswer(), { QStringLiteral("thermostat1") });
    Issue why;
    why.code = "template-unavailable";
    why.severity = Severity::Info;
    why.message = "no template";
    EXPECT_EQ(issueCodes(propertyIssues(snapshot, nullptr, why)),
        (std::vector<std::string> { "template-unavailable@", "writable-property-rejected@thermostat1.targetTemperature",
            "writable-property-not-acknowledged@pendingOne" }));
    // Without a reason (the diagnoser's use), only the acknowledgements.
    EXPECT_EQ(issueCodes(propertyIssues(snapshot, nullptr)),
        (std::vector<std::string> { "writable-property-rejected@thermostat1.targetTemperature",
            "writable-property-not-acknowledged@pendingOne" }));
}

TEST(PropertyIssues, ASnapshotInSyncHasNone)
{
    PropertySnapshot s;
    PropertyState accepted;
    accepted.name = QStringLiteral("setPoint");
    accepted.desiredVersion = 2;
    accepted.ackVersion = 2;
    accepted.ackCode = 200;
    accepted.sync = syncStateOf(accepted);
    s.properties = { accepted };
    EXPECT_TRUE(propertyIssues(s, nullptr).empty());
    s.properties[0].sync = SyncState::Stale;
    const auto stale = propertyIssues(s, nullptr);
    ASSERT_EQ(stale.size(), 1u);
    EXPECT_EQ(stale[0].severity, Severity::Error) << "stale: the device probably never answers";
}

namespace {

// IoT Central's own example template: `status` is a cloud property ("@type": ["Property", "Cloud"]),
// testReadOnly and testProperty are device properties, settings a component.
std::shared_ptr<const DeviceTemplate> cloudPropertyTemplate()
{
    return test::loadRestExampleTemplate("iotcentral-rest/2022-07-31/devicetemplates_create.json");
}

// GET /devices/{id}/properties of a healthy device: the app returns its cloud property's value
// (status) alongside what the device reported.
QJsonObject answerWithCloudValue(const char* readOnlyValue)
{
    return QJsonDocument::fromJson(QByteArray(R"({
        "testReadOnly": )")
        + readOnlyValue + R"(,
        "testProperty": "initialValue1",
        "status": 2,
        "$metadata": {
            "testReadOnly": {"lastUpdateTime": "2024-01-01T00:00:00Z"},
            "testProperty": {"desiredValue": "initialValue1", "desiredVersion": 2, "ackVersion": 2, "ackCode": 200,
                             "lastUpdateTime": "2024-01-01T00:00:00Z"}
        },
        "settings": {
            "threshold": 30,
            "$metadata": {
                "threshold": {"desiredValue": 30, "desiredVersion": 1, "ackVersion": 1, "ackCode": 200}
            }
        }
    })")
        .object();
}

} // namespace

TEST(PropertyIssues, ACloudPropertyValueIsNotDeviceData)
{
    const PayloadValidator validator(cloudPropertyTemplate());
    const auto snapshot = PropertySnapshot::fromRest(answerWithCloudValue(R"("1.0.3")"), componentNamesOf(&validator));
    const auto* status = snapshot.find(QStringLiteral("status"));
    ASSERT_TRUE(status) << "the value is still part of the snapshot the user sees";
    EXPECT_EQ(status->reported.toInt(), 2);
    EXPECT_TRUE(isCloudProperty(*status, validator.deviceTemplate()));
    EXPECT_FALSE(isCloudProperty(*snapshot.find(QStringLiteral("testReadOnly")), validator.deviceTemplate()));
    EXPECT_FALSE(isCloudProperty(*snapshot.find(QStringLiteral("settings.threshold")), validator.deviceTemplate()));
    EXPECT_EQ(issueCodes(propertyIssues(snapshot, &validator)), std::vector<std::string> {})
        << "a healthy device with a cloud property has nothing wrong";

    // The device's own values are judged as before, the cloud property's never blamed on it.
    const auto wrong = PropertySnapshot::fromRest(answerWithCloudValue("42"), componentNamesOf(&validator));
    EXPECT_EQ(
        issueCodes(propertyIssues(wrong, &validator)), std::vector<std::string> { "schema-mismatch@testReadOnly" });
}

TEST(PropertyIssues, ANameTheTemplateDoesNotDefineIsStillUnmodeled)
{
    // Only a cloud property's value is the application's: an unknown name is still the device's.
    const PayloadValidator validator(cloudPropertyTemplate());
    QJsonObject answer = answerWithCloudValue(R"("1.0.3")");
    answer.insert(QStringLiteral("Status"), 1);
    answer.insert(QStringLiteral("humidity"), 40);
    const auto snapshot = PropertySnapshot::fromRest(answer, componentNamesOf(&validator));
    EXPECT_EQ(issueCodes(propertyIssues(snapshot, &validator)),
        (std::vector<std::string> { "unmodeled-capability@Status", "unmodeled-capability@humidity" }));
}
