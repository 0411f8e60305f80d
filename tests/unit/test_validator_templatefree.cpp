// The checks a payload needs no template for: they run without one, and the validator with a template
// gives the same findings through the same functions.
#include "validate/payloadchecks.h"
#include "validatorhelpers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

using namespace iotc;
using namespace iotc::test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

// The template-independent findings only, for comparing the two paths.
std::vector<std::string> withoutUnmodeled(const std::vector<Issue>& issues)
{
    std::vector<std::string> out;
    for (const auto& i : issues)
        if (i.code != "unmodeled-capability")
            out.push_back(i.code + "@" + i.path + ": " + i.message);
    return out;
}

} // namespace

TEST(TemplateFree, HealthyTelemetryHasNoIssue)
{
    PayloadJson parsed;
    EXPECT_THAT(validateWithoutTemplate(R"({"temperature": 21.5, "_x1": "a"})", jsonMessage(), &parsed), IsEmpty());
    ASSERT_TRUE(parsed.is_object()) << "the decoded body is handed on (for charts)";
    EXPECT_EQ(parsed.at("temperature"), 21.5);
}

TEST(TemplateFree, InvalidJson)
{
    PayloadJson parsed;
    const auto issues = validateWithoutTemplate("{\"temperature\": 21.5,}", jsonMessage(), &parsed);
    ASSERT_THAT(codesOf(issues), ElementsAre("invalid-json"));
    ASSERT_TRUE(issues[0].position);
    EXPECT_EQ(issues[0].position->line, 1u);
    EXPECT_TRUE(parsed.is_discarded());
}

TEST(TemplateFree, Utf16BodyDeclaredUtf8IsAnEncodingError)
{
    const std::string body("\xFF\xFE{\0\"\0t\0\"\0:\0"
                           "1\0}\0",
        16);
    const auto issues = validateWithoutTemplate(body, jsonMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("invalid-encoding"));
    EXPECT_NE(issues[0].message.find("UTF-16"), std::string::npos) << issues[0].message;
}

TEST(TemplateFree, ContentTypeAndEncodingAreChecked)
{
    MessageContext text = jsonMessage();
    text.contentType = "text/plain";
    EXPECT_THAT(codesOf(validateWithoutTemplate(R"({"t": 1})", text)), ElementsAre("content-type-mismatch"));
    MessageContext bare;
    EXPECT_THAT(codesOf(validateWithoutTemplate(R"({"t": 1})", bare)),
        ElementsAre("content-type-mismatch", "missing-content-encoding"));
    MessageContext latin = jsonMessage();
    latin.contentEncoding = "iso-8859-1";
    EXPECT_THAT(codesOf(validateWithoutTemplate(R"({"t": 1})", latin)), ElementsAre("unsupported-content-encoding"));
    // Reported properties carry no content headers to check.
    EXPECT_THAT(validateWithoutTemplate(R"({"t": 1})", propertiesMessage()), IsEmpty());
}

TEST(TemplateFree, FieldNamesAreChecked)
{
    const auto issues = validateWithoutTemplate(R"({"temp-1": 1, "ok": 2, "$id": 3, "9lives": 4})", jsonMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("invalid-field-name", "reserved-field", "invalid-field-name"));
    EXPECT_EQ(issues[0].path, R"(["temp-1"])") << "a name that is not an identifier is quoted";
    EXPECT_EQ(issues[0].severity, Severity::Error);
    EXPECT_EQ(issues[2].path, R"(["9lives"])");
}

TEST(TemplateFree, ComponentSectionsOfReportedPropertiesAreWalked)
{
    const auto issues = validateWithoutTemplate(
        R"({"thermostat1": {"__t": "c", "max temp": 1, "ok": 2}, "serial": "x"})", propertiesMessage());
    ASSERT_THAT(codesOf(issues), ElementsAre("invalid-field-name"));
    EXPECT_EQ(issues[0].path, R"(thermostat1["max temp"])");
}

TEST(TemplateFree, NotAnObjectAndNulBytes)
{
    EXPECT_THAT(codesOf(validateWithoutTemplate("[1, 2]", jsonMessage())), ElementsAre("not-an-object"));
    EXPECT_THAT(
        codesOf(validateWithoutTemplate(std::string("{\"a\": 1}\0x", 10), jsonMessage())), ElementsAre("invalid-json"));
}

TEST(TemplateFree, TheTemplatePathGivesTheSameFindings)
{
    // One implementation of each check: with a template, the same issues (word for word) come first,
    // then only what needs the template.
    const PayloadValidator v(loadTemplate(TemperatureController));
    MessageContext text = jsonMessage();
    text.contentType = "text/plain";
    const std::string utf16("\xFF\xFE{\0}\0", 6);
    for (const auto& [body, context] : std::vector<std::pair<std::string, MessageContext>> {
             { "{\"temperature\": 21.5,}", jsonMessage() }, { utf16, jsonMessage() }, { R"({"workingSet": 1})", text },
             { R"({"bad name": 1, "$x": 2, "workingSet": 3})", jsonMessage() }, { "[1]", jsonMessage() },
             { R"({"serial number": "x"})", propertiesMessage() } }) {
        SCOPED_TRACE(body);
        const auto free = validateWithoutTemplate(body, context);
        ASSERT_FALSE(free.empty());
        EXPECT_EQ(withoutUnmodeled(v.validate(body, context)), withoutUnmodeled(free));
    }
}
