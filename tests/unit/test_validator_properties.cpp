#include "validatorhelpers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace iotc;
using namespace iotc::test;
using ::testing::ElementsAre;

namespace {

class PropertyValidation : public ::testing::Test {
protected:
    PayloadValidator controller { loadTemplate(TemperatureController) };
};

TEST_F(PropertyValidation, HealthyReportedPropertiesWithAcks)
{
    const auto issues = controller.validate(R"({
        "serialNumber": "SN-1",
        "thermostat1": {"__t": "c", "maxTempSinceLastReboot": 30.5,
                        "targetTemperature": {"value": 21.5, "ac": 200, "av": 3, "ad": "completed"}},
        "deviceInformation": {"__t": "c", "manufacturer": "Contoso", "totalMemory": 1024},
        "$version": 12})",
        propertiesMessage());
    EXPECT_THAT(codesOf(issues), ElementsAre("reserved-field"));
    EXPECT_EQ(issues[0].severity, Severity::Info);
}

TEST_F(PropertyValidation, HeadersAreNotCheckedForProperties)
{
    EXPECT_TRUE(controller.validate(R"({"serialNumber": "x"})", propertiesMessage()).empty());
}

TEST_F(PropertyValidation, GuideExampleUndefinedOsVersion)
{
    const auto issues = controller.validate(R"({"osVersion": "10.0"})", propertiesMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "unmodeled-capability");
    EXPECT_EQ(issues[0].path, "osVersion");
    EXPECT_NE(issues[0].message.find("a property"), std::string::npos);
}

TEST_F(PropertyValidation, ComponentPropertyPathAndCasing)
{
    const auto issues = controller.validate(
        R"({"deviceInformation": {"__t": "c", "Manufacturer": "Contoso", "totalMemory": "1 GB"}})",
        propertiesMessage());
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].code, "unmodeled-capability");
    EXPECT_EQ(issues[0].path, "deviceInformation.Manufacturer");
    EXPECT_EQ(issues[0].suggestion, "did you mean `manufacturer`? Names are case-sensitive");
    EXPECT_EQ(issues[1].code, "schema-mismatch");
    EXPECT_EQ(issues[1].path, "deviceInformation.totalMemory");
}

TEST_F(PropertyValidation, MissingComponentMarker)
{
    const auto issues = controller.validate(R"({"thermostat1": {"maxTempSinceLastReboot": 30}})", propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("missing-component-marker"));
    EXPECT_EQ(issues[0].path, "thermostat1");
}

TEST_F(PropertyValidation, UnknownComponentSection)
{
    const auto issues = controller.validate(R"({"thermostat3": {"__t": "c", "x": 1}})", propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("unknown-component"));
    EXPECT_EQ(issues[0].path, "thermostat3");
}

TEST_F(PropertyValidation, AckShape)
{
    auto issues = controller.validate(
        R"({"thermostat1": {"__t": "c", "targetTemperature": {"value": "warm", "ac": "ok", "ad": 5, "extra": 1}}})",
        propertiesMessage());
    EXPECT_THAT(
        codesOf(issues), ElementsAre("schema-mismatch", "invalid-ack", "invalid-ack", "invalid-ack", "invalid-ack"));
    EXPECT_EQ(issues[0].path, "thermostat1.targetTemperature.value");
    EXPECT_EQ(issues[1].path, "thermostat1.targetTemperature.ac");
    EXPECT_EQ(issues[1].severity, Severity::Error);
    EXPECT_EQ(issues[2].path, "thermostat1.targetTemperature.av") << "av is required";
    EXPECT_EQ(issues[3].path, "thermostat1.targetTemperature.ad");
    EXPECT_EQ(issues[3].severity, Severity::Warning);
    EXPECT_EQ(issues[4].path, "thermostat1.targetTemperature.extra");

    issues = controller.validate(
        R"({"thermostat1": {"__t": "c", "targetTemperature": {"ac": 200, "av": 1}}})", propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("invalid-ack"));
    EXPECT_NE(issues[0].message.find("no \"value\""), std::string::npos);
}

TEST_F(PropertyValidation, AckVersionsMustBeIntegersInRange)
{
    const auto issues = controller.validate(
        R"({"thermostat1": {"__t": "c", "targetTemperature": {"value": 21, "ac": 200.0, "av": 1e300}}})",
        propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("invalid-ack")) << "200.0 is integral; 1e300 is not a 64-bit integer";
    EXPECT_EQ(issues[0].path, "thermostat1.targetTemperature.av");
}

TEST_F(PropertyValidation, WritablePropertyAsPlainValueIsAccepted)
{
    EXPECT_TRUE(
        controller.validate(R"({"thermostat1": {"__t": "c", "targetTemperature": 21}})", propertiesMessage()).empty());
}

TEST_F(PropertyValidation, ReadOnlyPropertyReportedAsAck)
{
    const auto issues = controller.validate(
        R"({"thermostat1": {"__t": "c", "maxTempSinceLastReboot": {"value": 3, "ac": 200, "av": 1}}})",
        propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("schema-mismatch"));
    EXPECT_NE(issues[0].suggestion->find("read-only"), std::string::npos);
}

TEST_F(PropertyValidation, TelemetryNameReportedAsProperty)
{
    const auto issues = controller.validate(R"({"workingSet": 5})", propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("unmodeled-capability"));
    EXPECT_NE(issues[0].message.find("telemetry"), std::string::npos);
}

TEST_F(PropertyValidation, FixedComponentFromContext)
{
    auto c = propertiesMessage();
    c.component = "thermostat2";
    EXPECT_TRUE(controller.validate(R"({"maxTempSinceLastReboot": 1})", c).empty());
}

TEST(PropertyDuplicates, CliFixtureWithThreeInterfaces)
{
    const PayloadValidator v(loadTemplate("azcli/property_validation_template.json"));
    const auto issues = v.validate(R"({"Model": "m", "TotalStorage": "1", "addRootProperty": true,
        "_rpgcmdpo": {"__t": "c", "component1Prop": {"value": true, "ac": 200, "av": 2}}})",
        propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("duplicate-capability"));
    EXPECT_EQ(issues[0].path, "Model");
}

TEST(PropertyCloud, CloudPropertyReportedByTheDevice)
{
    const PayloadValidator v(loadTemplate("azcli/device_template_edge.json"));
    const auto issues = v.validate(R"({"testCloudProperty": "2020-01-01T00:00:00Z"})", propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("unmodeled-capability"));
    EXPECT_NE(issues[0].message.find("cloud property"), std::string::npos);
}

TEST(PropertyCloud, TelemetryNamedLikeACloudPropertyIsNotTelemetry)
{
    const PayloadValidator v(loadRestExampleTemplate("iotcentral-rest/2022-07-31/devicetemplates_create.json"));
    const auto issues = v.validate(R"({"status": 2, "humidity": 40})", jsonMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("unmodeled-capability"));
    EXPECT_EQ(issues[0].path, "status");
    EXPECT_NE(issues[0].message.find("cloud property"), std::string::npos) << issues[0].message;
    // Reported by the device itself (in its twin), it is not the device's either.
    EXPECT_THAT(codesOf(v.validate(R"({"status": 2})", propertiesMessage())), ElementsAre("unmodeled-capability"));
}

TEST(PropertyLegacy, LegacyTemplateValidatesItsTelemetry)
{
    const PayloadValidator v(loadTemplate("azcli/device_template_int_test_preview.json"));
    EXPECT_TRUE(v.validate(R"({"Temperature": 20, "Humidity": 40})", jsonMessage()).empty());
    const auto issues = v.validate(R"({"temperature": 20})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].suggestion, "did you mean `Temperature`? Names are case-sensitive");
}

} // namespace
