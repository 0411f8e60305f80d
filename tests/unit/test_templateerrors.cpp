#include "testdata.h"

#include <gtest/gtest.h>

using namespace iotc;
using namespace iotc::test;

namespace {

std::string errorOf(const std::string& json)
{
    try {
        parseTemplate(json);
    } catch (const TemplateError& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST(TemplateErrors, UnresolvedComponentSchemaNamesTheDtmi)
{
    const auto error = errorOf(R"({"@id": "dtmi:t:a;1", "@type": "Interface",
        "contents": [{"@type": "Component", "name": "c", "schema": "dtmi:t:missing;1"}]})");
    EXPECT_NE(error.find("dtmi:t:missing;1"), std::string::npos) << error;
    EXPECT_NE(error.find("--models"), std::string::npos) << error;
}

TEST(TemplateErrors, InheritanceCycleIsReported)
{
    const auto error = errorOf(R"([
        {"@id": "dtmi:t:a;1", "@type": "Interface", "extends": "dtmi:t:b;1", "contents": []},
        {"@id": "dtmi:t:b;1", "@type": "Interface", "extends": ["dtmi:t:a;1"], "contents": []}])");
    EXPECT_NE(error.find("cycle"), std::string::npos) << error;
}

TEST(TemplateErrors, ExtendsDepthIsLimited)
{
    std::string json = "[";
    for (int i = 0; i < 20; ++i) {
        json += (i ? "," : "") + std::string(R"({"@id": "dtmi:t:i)") + std::to_string(i)
            + R"(;1", "@type": "Interface", "contents": [], "extends": "dtmi:t:i)" + std::to_string(i + 1) + R"(;1"})";
    }
    json += R"(,{"@id": "dtmi:t:i20;1", "@type": "Interface", "contents": []}])";
    const auto error = errorOf(json);
    EXPECT_NE(error.find("levels deep"), std::string::npos) << error;
}

TEST(TemplateErrors, SelfContainingSchemaIsReported)
{
    const auto error = errorOf(R"([{"@id": "dtmi:t:a;1", "@type": "Interface",
        "contents": [{"@type": "Telemetry", "name": "x", "schema": "dtmi:t:o;1"}],
        "schemas": [{"@id": "dtmi:t:o;1", "@type": "Object", "fields": [{"name": "self", "schema": "dtmi:t:o;1"}]}]}])");
    EXPECT_NE(error.find("contains itself"), std::string::npos) << error;
}

TEST(TemplateErrors, UnknownSchemaNameIsReported)
{
    const auto error = errorOf(R"({"@id": "dtmi:t:a;1", "@type": "Interface",
        "contents": [{"@type": "Telemetry", "name": "x", "schema": "doubel"}]})");
    EXPECT_NE(error.find("doubel"), std::string::npos) << error;
}

TEST(TemplateErrors, NotATemplate)
{
    EXPECT_NE(errorOf(R"({"value": []})").find("not a device template"), std::string::npos);
    EXPECT_NE(errorOf("[1, 2]").find("no DTDL Interface"), std::string::npos);
}

TEST(TemplateErrors, BrokenJsonGivesLineAndColumn)
{
    try {
        parseJsonDocument("{\n  \"a\": 1,\n  oops\n}", "broken.json");
        FAIL() << "no error";
    } catch (const TemplateError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("broken.json"), std::string::npos) << what;
        EXPECT_NE(what.find("line 3"), std::string::npos) << what;
    }
}

TEST(TemplateErrors, MissingFileIsAClearError)
{
    EXPECT_THROW(loadTemplateFile("/nonexistent/template.json"), TemplateError);
}

TEST(TemplateErrors, EntriesWithoutTypeOrNameDoNotCrash)
{
    const auto tpl = parseTemplate(R"({"@id": "dtmi:t:a;1", "@type": "Interface",
        "contents": [{"name": "noType", "schema": "double"}, {"@type": "Telemetry"}, 42, null,
                     {"@type": "Telemetry", "name": "ok", "schema": "double"}]})");
    EXPECT_EQ(tpl->model.root.find("ok").size(), 1u);
    ASSERT_EQ(tpl->model.root.find("noType").size(), 1u);
    EXPECT_EQ(tpl->model.root.find("noType").front()->kind, CapabilityKind::Other);
}

TEST(TemplateErrors, DiamondInheritanceFlattensOnce)
{
    std::string json = "[";
    // Each level lists the next interface ten times: without de-duplication 10^9 walks.
    for (int i = 0; i < 9; ++i) {
        json += (i ? "," : "") + std::string(R"({"@id": "dtmi:t:d)") + std::to_string(i)
            + R"(;1", "@type": "Interface", "contents": [{"@type": "Telemetry", "name": "t)" + std::to_string(i)
            + R"(", "schema": "double"}], "extends": [)";
        for (int k = 0; k < 10; ++k)
            json += (k ? "," : "") + std::string(R"("dtmi:t:d)") + std::to_string(i + 1) + R"(;1")";
        json += "]}";
    }
    json += R"(,{"@id": "dtmi:t:d9;1", "@type": "Interface", "contents": []}])";
    const auto tpl = parseTemplate(json);
    EXPECT_EQ(tpl->model.root.find("t5").size(), 1u);
    EXPECT_EQ(tpl->model.root.capabilities().size(), 9u);
}

TEST(TemplateErrors, NonBooleanWritableIsANoteNotAFailure)
{
    const auto tpl = parseTemplate(R"({"@id": "dtmi:t:a;1", "@type": "Interface",
        "contents": [{"@type": "Property", "name": "p", "schema": "double", "writable": "true"}]})");
    EXPECT_FALSE(tpl->model.root.find("p").front()->writable);
    EXPECT_FALSE(tpl->notes.empty());
}

TEST(TemplateErrors, HugeNumberOrDeepNestingInATemplate)
{
    EXPECT_THROW(parseJsonDocument(R"({"x": 1e999})", "t"), TemplateError);
    EXPECT_THROW(parseJsonDocument(std::string(100000, '[') + std::string(100000, ']'), "t"), TemplateError);
}

TEST(TemplateErrors, TemplateDefinitionsWinOverTheModelsFolder)
{
    ModelRepository repository;
    repository.addDocument(nlohmann::json::parse(R"({"@id": "dtmi:t:c;1", "@type": "Interface",
        "contents": [{"@type": "Telemetry", "name": "old", "schema": "double"}]})"));
    TemplateParser parser(repository);
    const auto tpl = parser.parse(nlohmann::json::parse(R"([
        {"@id": "dtmi:t:root;1", "@type": "Interface", "contents": [{"@type": "Component", "name": "c", "schema": "dtmi:t:c;1"}]},
        {"@id": "dtmi:t:c;1", "@type": "Interface", "contents": [{"@type": "Telemetry", "name": "new", "schema": "double"}]}])"));
    ASSERT_TRUE(tpl.model.component("c"));
    EXPECT_EQ(tpl.model.component("c")->find("new").size(), 1u);
}
