#include "validate/schemacheck.h"

#include "testdata.h"

#include <gtest/gtest.h>

using namespace iotc;
using nlohmann::json;

namespace {

struct Result {
    bool ok;
    std::vector<Issue> issues;
};

Result check(const json& value, const Schema& schema)
{
    IssueList issues;
    const PathNode root;
    const PathNode field { &root, "f" };
    const bool ok = checkValue(value, schema, field, issues);
    return { ok, issues.take() };
}

Result check(const char* value, const char* primitive)
{
    return check(json::parse(value), *builtinSchema(primitive));
}

struct Case {
    const char* schema;
    const char* value;
    bool valid;
};

void PrintTo(const Case& c, std::ostream* os)
{
    *os << c.schema << " <- " << c.value << (c.valid ? " valid" : " invalid");
}

class PrimitiveSchemas : public ::testing::TestWithParam<Case> { };

TEST_P(PrimitiveSchemas, Judge)
{
    const auto& c = GetParam();
    const auto r = check(c.value, c.schema);
    EXPECT_EQ(r.ok, c.valid) << c.schema << " <- " << c.value;
    if (c.valid) {
        EXPECT_TRUE(r.issues.empty());
    } else {
        ASSERT_EQ(r.issues.size(), 1u);
        EXPECT_EQ(r.issues[0].code, "schema-mismatch");
        EXPECT_EQ(r.issues[0].severity, Severity::Error);
        EXPECT_EQ(r.issues[0].path, "f");
        EXPECT_EQ(r.issues[0].actual, json::parse(c.value).dump());
    }
}

INSTANTIATE_TEST_SUITE_P(Dtdl, PrimitiveSchemas,
    ::testing::Values(Case { "boolean", "true", true }, Case { "boolean", "0", false },
        Case { "boolean", "\"true\"", false }, Case { "double", "21.5", true }, Case { "double", "-3", true },
        Case { "double", "true", false }, Case { "double", "\"21.5\"", false }, Case { "float", "1.5", true },
        Case { "float", "1e300", false }, Case { "integer", "42", true }, Case { "integer", "42.0", true },
        Case { "integer", "1.5", false }, Case { "integer", "2147483648", false },
        Case { "integer", "-2147483648", true }, Case { "integer", "false", false },
        Case { "long", "9007199254740993", true }, Case { "long", "1.5", false },
        Case { "long", "18446744073709551615", false }, Case { "string", "\"\"", true }, Case { "string", "5", false },
        Case { "date", "\"2024-02-29\"", true }, Case { "date", "\"2023-02-29\"", false },
        Case { "dateTime", "\"2024-05-01T13:45:00Z\"", true }, Case { "dateTime", "\"2024-05-01\"", false },
        Case { "time", "\"13:45:00\"", true }, Case { "time", "1345", false }, Case { "duration", "\"PT0S\"", true },
        Case { "duration", "\"15 minutes\"", false }, Case { "byte", "-128", true }, Case { "byte", "128", false },
        Case { "short", "32767", true }, Case { "unsignedByte", "-1", false }, Case { "unsignedShort", "65535", true },
        Case { "unsignedInteger", "4294967296", false }, Case { "unsignedLong", "18446744073709551615", true },
        Case { "uuid", "\"123e4567-e89b-12d3-a456-426614174000\"", true }, Case { "uuid", "\"nope\"", false },
        Case { "bytes", "\"aGk=\"", true }, Case { "bytes", "\"*\"", false }, Case { "decimal", "\"12.5\"", true },
        Case { "geopoint", R"({"lat": 47.6, "lon": -122.1})", true },
        Case { "geopoint", R"({"lat": 47.6, "lon": -122.1, "alt": 10})", true },
        Case { "geopoint", R"({"lat": 47.6})", false }, Case { "vector", R"({"x": 1, "y": 2, "z": 3})", true },
        Case { "vector", R"({"x": 1, "y": 2})", false },
        Case { "point", R"({"type": "Point", "coordinates": [-122.1, 47.6]})", true },
        Case { "point", R"({"type": "Point", "coordinates": [-122.1]})", false },
        Case { "lineString", R"({"type": "LineString", "coordinates": [[1, 2], [3, 4]]})", true },
        Case { "polygon", R"({"type": "Point", "coordinates": [1, 2]})", false }));

TEST(SchemaCheck, NullIsAlwaysValid)
{
    for (const char* s : { "double", "boolean", "geopoint", "dateTime" })
        EXPECT_TRUE(check("null", s).ok) << s;
}

TEST(SchemaCheck, GeopointReportsTheNestedField)
{
    const auto r = check(R"({"lat": 95, "lon": 1, "latitude": 3})", "geopoint");
    EXPECT_FALSE(r.ok);
    ASSERT_EQ(r.issues.size(), 2u);
    EXPECT_EQ(r.issues[0].path, "f.lat");
    EXPECT_EQ(r.issues[1].path, "f.latitude");
    EXPECT_EQ(r.issues[1].suggestion, "use lat and lon");
    const auto boolean = check(R"({"lat": true, "lon": 1})", "geopoint");
    ASSERT_EQ(boolean.issues.size(), 1u) << "booleans are not coordinates";
    EXPECT_EQ(boolean.issues[0].path, "f.lat");
}

TEST(SchemaCheck, NumericStringsGetAQuoteHint)
{
    const auto r = check("\"21.5\"", "double");
    ASSERT_EQ(r.issues.size(), 1u);
    ASSERT_TRUE(r.issues[0].suggestion);
    EXPECT_NE(r.issues[0].suggestion->find("without quotes"), std::string::npos);
    EXPECT_NE(r.issues[0].message.find("double"), std::string::npos);
}

TEST(SchemaCheck, EnumValuesNotNames)
{
    const auto tpl = iotc::test::loadTemplate("azcli/device_template.json");
    const auto& intEnum = *tpl->model.root.find("IntEnum").front()->schema;
    EXPECT_TRUE(check(json(intEnum.enumValues.front().value), intEnum).ok);
    EXPECT_FALSE(check(json(true), intEnum).ok) << "booleans are not enum integers";
    const auto byName = check(json(intEnum.enumValues.front().name), intEnum);
    EXPECT_FALSE(byName.ok);
    ASSERT_TRUE(byName.issues.front().suggestion);
    EXPECT_NE(byName.issues.front().suggestion->find("not its name"), std::string::npos);
    const auto& stringEnum = *tpl->model.root.find("StringEnum").front()->schema;
    EXPECT_TRUE(check(stringEnum.enumValues.front().value, stringEnum).ok);
    EXPECT_FALSE(check(json(12345), stringEnum).ok);
}

TEST(SchemaCheck, DeepObjectErrorsCarryTheNestedPath)
{
    const auto tpl = iotc::test::loadTemplate("azcli/deeply_nested_template.json");
    const auto& schema = *tpl->model.root.find("RidiculousObject").front()->schema;
    const auto value = json::parse(R"({"LayerA": {"Depth1A": {"Depth2": {"Depth3": {"Depth4": {
        "Depth5": {"Depth6Double": "deep"}, "DeepestVector": {"x": 1, "y": 2, "z": 3}}}}}},
        "LayerB": {"Depth1B": {"somedouble": 1.5, "Extra": 1}}})");
    IssueList issues;
    const PathNode root;
    const PathNode top { &root, "RidiculousObject" };
    EXPECT_FALSE(checkValue(value, schema, top, issues));
    const auto list = issues.take();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].path, "RidiculousObject.LayerA.Depth1A.Depth2.Depth3.Depth4.Depth5.Depth6Double");
    EXPECT_EQ(list[0].expected, "double");
    EXPECT_EQ(list[1].path, "RidiculousObject.LayerB.Depth1B.Extra");
}

TEST(SchemaCheck, ArrayAndMapPaths)
{
    const auto tpl = iotc::test::parseTemplate(R"({"@id": "dtmi:t:a;1", "@type": "Interface", "contents": [
        {"@type": "Telemetry", "name": "arr", "schema": {"@type": "Array", "elementSchema": "integer"}},
        {"@type": "Telemetry", "name": "map", "schema": {"@type": "Map", "mapKey": {"name": "k", "schema": "string"},
          "mapValue": {"name": "v", "schema": "boolean"}}}]})");
    const auto& arr = *tpl->model.root.find("arr").front()->schema;
    const auto& map = *tpl->model.root.find("map").front()->schema;
    const PathNode root;
    const PathNode arrPath { &root, "arr" };
    IssueList issues;
    EXPECT_FALSE(checkValue(json::parse("[1, 2, \"x\"]"), arr, arrPath, issues));
    const PathNode mapPath { &root, "map" };
    EXPECT_FALSE(checkValue(json::parse(R"({"a": true, "odd key": 1})"), map, mapPath, issues));
    EXPECT_TRUE(checkValue(json::parse("[]"), arr, arrPath, issues));
    const auto list = issues.take();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].path, "arr[2]");
    EXPECT_EQ(list[1].path, "map[\"odd key\"]");
}

TEST(SchemaCheck, DescribeSchemaNamesEnumValues)
{
    const auto tpl = iotc::test::loadTemplate("azcli/device_template.json");
    const auto text = describeSchema(*tpl->model.root.find("IntEnum").front()->schema);
    EXPECT_EQ(text.rfind("Enum (integer): ", 0), 0u) << text;
}

} // namespace
