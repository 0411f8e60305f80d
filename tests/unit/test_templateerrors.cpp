#include "testdata.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

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

namespace {

std::string errorOfFile(const std::filesystem::path& file, const std::filesystem::path& models = {})
{
    try {
        loadTemplateFile(file, models);
    } catch (const TemplateError& e) {
        return e.what();
    }
    return {};
}

void writeText(const std::filesystem::path& path, const std::string& text)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

} // namespace

// Issue 12: only ids that fit DTDL's DTMI grammar are ever mapped to a file path.
TEST(TemplateErrors, DtmiGrammar)
{
    for (const char* valid : { "dtmi:com:example:Thermostat;1", "dtmi:a;999999999", "dtmi:a:b;1.2", "dtmi:a;1.999999",
             "dtmi:sampleApp:_rpgcmdpo;4", "dtmi:TestEdgeDeviceTemplate", "dtmi:a_b1:c;12" })
        EXPECT_TRUE(isValidDtmi(valid)) << valid;
    for (const char* invalid : { "dtmi:..:..:x;1", "dtmi:a/b;1", "dtmi:a:..;1", "dtmi:a;01", "dtmi:a;1234567890",
             "dtmi:a;0", "dtmi:a_;1", "dtmi:1a;1", "dtmi:_;1", "dtmi:a;1.0", "dtmi:a;1.1234567", "dtmi:", "dtmi:a;",
             "dtmi:a:;1", "dtmi::a;1", "DTMI:a;1", "dtmi:a;1 ", "dtmi:a b;1", "dtmi:a;1;2", "dtmi:a\\b;1", "" })
        EXPECT_FALSE(isValidDtmi(invalid)) << invalid;
    EXPECT_TRUE(isValidDtmi("dtmi:" + std::string(2041, 'a') + ";1")) << "2048 characters";
    EXPECT_FALSE(isValidDtmi("dtmi:" + std::string(2042, 'a') + ";1")) << "2049 characters";
}

TEST(TemplateErrors, DtmiPathTraversalIsRefusedAndNothingOutsideIsRead)
{
    const auto root = std::filesystem::temp_directory_path() / ("iotc-traversal-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    const auto models = root / "models";
    std::filesystem::create_directories(models / "dtmi");
    // Where dtmi:..:..:x;1 pointed: models/dtmi/../../x-1.json.
    writeText(root / "x-1.json",
        R"({"@id": "dtmi:..:..:x;1", "@type": "Interface", "contents": [{"@type": "Telemetry", "name": "stolen", "schema": "double"}]})");
    writeText(root / "tpl" / "t.json", R"({"@id": "dtmi:a:b;1", "@type": "Interface", "extends": "dtmi:..:..:x;1"})");
    const auto error = errorOfFile(root / "tpl" / "t.json", models);
    EXPECT_NE(error.find("invalid DTMI"), std::string::npos) << error;
    EXPECT_NE(error.find("dtmi:..:..:x;1"), std::string::npos) << error;

    // A valid DTMI whose file is a symbolic link out of the models folder is not read either.
    writeText(root / "outside" / "y-1.json", R"({"@id": "dtmi:com:y;1", "@type": "Interface", "contents": []})");
    std::filesystem::create_directories(models / "dtmi" / "com");
    std::filesystem::create_symlink(root / "outside" / "y-1.json", models / "dtmi" / "com" / "y-1.json");
    ModelRepository repository;
    repository.addRepositoryRoot(models);
    EXPECT_EQ(repository.find("dtmi:com:y;1"), nullptr);
    ASSERT_EQ(repository.errors().size(), 1u);
    EXPECT_NE(repository.errors()[0].find("outside"), std::string::npos) << repository.errors()[0];
    std::filesystem::remove_all(root);
}

// Issue 12: a directory or an endless device as a template is a clear error, not an abort or a hang.
TEST(TemplateErrors, DirectoryOrEndlessFileIsAClearError)
{
    const auto dir = std::filesystem::temp_directory_path();
    auto error = errorOfFile(dir);
    EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
    error = errorOfFile("/dev/zero");
    EXPECT_NE(error.find("larger than 64 MiB"), std::string::npos) << error;
    error = errorOfFile("/nonexistent/template.json");
    EXPECT_NE(error.find("cannot open /nonexistent/template.json"), std::string::npos) << error;
}
