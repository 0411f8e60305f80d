#include "util/versions.h"
#include "validatorhelpers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace iotc;
using namespace iotc::test;
using ::testing::ElementsAre;

namespace {

class TelemetryValidation : public ::testing::Test {
protected:
    PayloadValidator controller { loadTemplate(TemperatureController) };
};

TEST_F(TelemetryValidation, HealthyComponentTelemetryHasNoIssues)
{
    EXPECT_TRUE(controller.validate(R"({"temperature": 21.5})", jsonMessage("thermostat1")).empty());
    EXPECT_TRUE(controller.validate(R"({"workingSet": 1024})", jsonMessage()).empty());
}

TEST_F(TelemetryValidation, GuideExampleTemperatureCasing)
{
    const auto issues = controller.validate(R"({"Temperature": 21.5})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    const auto& i = issues[0];
    EXPECT_EQ(i.code, "unmodeled-capability");
    EXPECT_EQ(i.severity, Severity::Warning);
    EXPECT_EQ(i.path, "Temperature");
    ASSERT_TRUE(i.suggestion);
    EXPECT_NE(i.suggestion->find("`temperature`"), std::string::npos) << *i.suggestion;
    EXPECT_NE(i.suggestion->find("thermostat1, thermostat2"), std::string::npos) << *i.suggestion;
}

TEST_F(TelemetryValidation, CasingInsideTheRightComponent)
{
    const auto issues = controller.validate(R"({"Temperature": 21.5})", jsonMessage("thermostat1"));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].suggestion, "did you mean `temperature`? Names are case-sensitive");
}

TEST_F(TelemetryValidation, ComponentTelemetrySentWithoutComponent)
{
    const auto issues = controller.validate(R"({"temperature": 21.5})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "unmodeled-capability");
    EXPECT_NE(issues[0].suggestion->find("dt-subject"), std::string::npos) << *issues[0].suggestion;
}

TEST_F(TelemetryValidation, GuideExampleStringForDouble)
{
    const auto issues = controller.validate(R"({"temperature": "curr_temp"})", jsonMessage("thermostat1"));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "schema-mismatch");
    EXPECT_EQ(issues[0].severity, Severity::Error);
    EXPECT_EQ(issues[0].expected, "double");
    EXPECT_EQ(issues[0].actual, "\"curr_temp\"");
    EXPECT_EQ(issues[0].path, "temperature");
}

TEST_F(TelemetryValidation, CommandNameSentAsTelemetryIsUnmodeled)
{
    const auto issues = controller.validate(R"({"reboot": 1, "serialNumber": "x"})", jsonMessage());
    ASSERT_EQ(issues.size(), 2u);
    EXPECT_EQ(issues[0].code, "unmodeled-capability");
    EXPECT_NE(issues[0].message.find("a command"), std::string::npos) << issues[0].message;
    EXPECT_NE(issues[1].message.find("device property"), std::string::npos) << issues[1].message;
}

TEST_F(TelemetryValidation, NearMissSpellingIsSuggested)
{
    const auto issues = controller.validate(R"({"tempreature": 1})", jsonMessage("thermostat1"));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].suggestion, "did you mean `temperature`?");
}

TEST_F(TelemetryValidation, UnknownComponentListsTheKnownOnes)
{
    const auto issues = controller.validate(R"({"temperature": 1})", jsonMessage("Thermostat1"));
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "unknown-component");
    EXPECT_NE(issues[0].message.find("thermostat1, thermostat2, deviceInformation"), std::string::npos);
    EXPECT_NE(issues[0].suggestion->find("`thermostat1`"), std::string::npos);
}

TEST_F(TelemetryValidation, NestedComponentObjectGetsAdvice)
{
    const auto issues = controller.validate(R"({"thermostat1": {"temperature": 1}})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_NE(issues[0].suggestion->find("is a component"), std::string::npos);
}

TEST_F(TelemetryValidation, InvalidFieldName)
{
    const auto issues = controller.validate(R"({"work-set": 1, "1st": 2})", jsonMessage());
    EXPECT_THAT(codesOf(issues), ElementsAre("invalid-field-name", "invalid-field-name"));
    EXPECT_EQ(issues[0].severity, Severity::Error);
    EXPECT_EQ(issues[0].path, "[\"work-set\"]") << "issues follow the payload's order";
    EXPECT_EQ(issues[1].path, "[\"1st\"]");
}

TEST_F(TelemetryValidation, ReservedNamesAreInfo)
{
    const auto issues = controller.validate(R"({"$metadata": {}, "workingSet": 1})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "reserved-field");
    EXPECT_EQ(issues[0].severity, Severity::Info);
}

TEST_F(TelemetryValidation, NullValueIsNotAnError)
{
    EXPECT_TRUE(controller.validate(R"({"temperature": null})", jsonMessage("thermostat1")).empty());
}

TEST_F(TelemetryValidation, NotAnObject)
{
    for (const char* body : { "[1,2]", "42", "\"text\"" }) {
        const auto issues = controller.validate(body, jsonMessage());
        ASSERT_EQ(issues.size(), 1u) << body;
        EXPECT_EQ(issues[0].code, "not-an-object");
        EXPECT_EQ(issues[0].severity, Severity::Error);
    }
}

struct BrokenJson {
    const char* body;
    size_t line;
    size_t column;
    const char* hint;
};

void PrintTo(const BrokenJson& b, std::ostream* os)
{
    *os << nlohmann::json(b.body).dump();
}

class InvalidJson : public ::testing::TestWithParam<BrokenJson> { };

TEST_P(InvalidJson, PositionAndHint)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const auto& p = GetParam();
    const auto issues = v.validate(p.body, jsonMessage());
    ASSERT_EQ(issues.size(), 1u) << p.body;
    const auto& i = issues[0];
    EXPECT_EQ(i.code, "invalid-json");
    EXPECT_EQ(i.severity, Severity::Error);
    ASSERT_TRUE(i.position);
    EXPECT_EQ(i.position->line, p.line) << p.body;
    EXPECT_EQ(i.position->column, p.column) << p.body;
    EXPECT_NE(i.message.find(p.hint), std::string::npos) << i.message;
    EXPECT_TRUE(i.actual.has_value());
}

INSTANTIATE_TEST_SUITE_P(RealisticMistakes, InvalidJson,
    ::testing::Values(BrokenJson { "{\"a\": 1,}", 1, 9, "Trailing comma" },
        BrokenJson { "{'temperature': 21}", 1, 2, "double quotes" },
        BrokenJson { "{\"temperature\": 21.5, \"hum", 1, 27, "ends before" },
        BrokenJson { "{\n  \"temperature\": NaN\n}", 2, 18, "NaN" }, BrokenJson { "", 1, 1, "empty" },
        BrokenJson { "{temperature: 1}", 1, 2, "must be a string" }));

TEST(Encoding, Utf16BodyIsAnEncodingError)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const std::string body("\xFF\xFE{\0}\0", 6);
    const auto issues = v.validate(body, jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "invalid-encoding");
    EXPECT_NE(issues[0].message.find("UTF-16"), std::string::npos) << issues[0].message;
}

TEST(Encoding, Utf16WithoutBomIsAnEncodingError)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const std::string body("{\0\"\0a\0\"\0:\0"
                           "1\0}\0",
        14);
    const auto issues = v.validate(body, jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "invalid-encoding");
    EXPECT_NE(issues[0].message.find("UTF-16 LE"), std::string::npos) << issues[0].message;
}

TEST(Encoding, Latin1BodyIsAnEncodingError)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const auto issues = v.validate("{\"name\": \"caf\xE9\"}", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "invalid-encoding");
    EXPECT_EQ(issues[0].actual, "bytes E9 22 7D at offset 13");
}

TEST(Headers, ContentTypeAndEncoding)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const std::string body = R"({"workingSet": 1})";
    MessageContext c;
    EXPECT_THAT(codesOf(v.validate(body, c)), ElementsAre("content-type-mismatch", "missing-content-encoding"));
    c.contentType = "text/plain";
    c.contentEncoding = "utf-16";
    EXPECT_THAT(codesOf(v.validate(body, c)), ElementsAre("content-type-mismatch", "unsupported-content-encoding"));
    c.contentType = "application/json; charset=utf-8";
    c.contentEncoding = "UTF-8";
    EXPECT_TRUE(v.validate(body, c).empty()) << "a charset parameter and upper case are fine";
    c.contentType = "Application/JSON;charset=\"iso-8859-1\"";
    EXPECT_THAT(codesOf(v.validate(body, c)), ElementsAre("content-type-mismatch"));
    c.contentType = "application/json";
    c.contentEncoding = "utf8";
    const auto issues = v.validate(body, c);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "unsupported-content-encoding");
    EXPECT_EQ(issues[0].severity, Severity::Warning);
}

TEST(Duplicates, SameNameInTwoInterfacesOfANonPnpDevice)
{
    const PayloadValidator v(loadTemplate("azcli/device_template.json"));
    auto issues = v.validate(R"({"Bool": true})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "duplicate-capability");
    EXPECT_NE(issues[0].message.find("largerTelemetryDevice_g4"), std::string::npos);
    EXPECT_NE(issues[0].message.find("duplicateFieldName_ed"), std::string::npos);
    auto pnp = jsonMessage();
    pnp.modelId = "dtmi:contoso:device;1";
    EXPECT_TRUE(v.validate(R"({"Bool": true})", pnp).empty()) << "a Plug and Play device announces its model";
    EXPECT_TRUE(v.validate(R"({"bool": false})", jsonMessage()).empty()) << "the other casing is its own capability";
}

TEST(AllSchemaTypes, TheCliFixtureTelemetry)
{
    const PayloadValidator v(loadTemplate("azcli/device_template.json"));
    auto pnp = jsonMessage();
    pnp.modelId = "dtmi:x;1";
    const auto good = v.validate(R"({"Date": "2020-01-01", "DateTime": "2020-01-01T00:00:00Z", "Double": 1.5,
        "Duration": "PT1H", "Float": 2, "Geopoint": {"lat": 1, "lon": 2}, "Int": 3, "Long": 4, "String": "s",
        "Time": "10:00:00", "Vector": {"x": 1, "y": 2, "z": 3}, "Object": {}})",
        pnp);
    EXPECT_TRUE(good.empty()) << good.front().message;
    const auto bad = v.validate(R"({"Date": "2020-13-01", "Double": true, "Int": 1.5, "Time": "25:00:00",
        "Vector": {"x": 1}, "Duration": "1 hour"})",
        pnp);
    EXPECT_EQ(bad.size(), 6u);
    for (const auto& i : bad)
        EXPECT_EQ(i.code, "schema-mismatch") << i.path;
}

TEST(Edge, ModuleTelemetryUsesTheModuleModel)
{
    const PayloadValidator v(loadTemplate("azcli/device_template_edge.json"));
    auto c = jsonMessage();
    c.module = "testModule";
    EXPECT_TRUE(v.validate(R"({"testModuleTelemetry": 1.5})", c).empty());
    const auto deviceOnly = v.validate(R"({"testTelemetry": 1.5})", c);
    ASSERT_EQ(deviceOnly.size(), 1u);
    EXPECT_EQ(deviceOnly[0].code, "unmodeled-capability") << "device interfaces are not the module's";
}

TEST(Edge, ComponentTelemetryFromAModuleWarnsAboutOldRuntimes)
{
    const auto tpl
        = parseTemplate(R"({"@id": "urn:edge", "capabilityModel": {"@id": "dtmi:e:root;1", "@type": "Interface",
      "contents": [{"@type": ["Relationship", "EdgeModule"], "name": "sensor", "target": [{"@id": "dtmi:e:mod;1",
        "@type": "Interface", "contents": [{"@type": "Component", "name": "probe", "schema": {"@id": "dtmi:e:probe;1",
        "@type": "Interface", "contents": [{"@type": "Telemetry", "name": "level", "schema": "double"}]}}]}]}]}})");
    const PayloadValidator v(tpl);
    auto c = jsonMessage("probe");
    c.module = "sensor";
    auto issues = v.validate(R"({"level": 3})", c);
    EXPECT_THAT(codesOf(issues), ElementsAre("edge-unmodeled"));
    EXPECT_NE(issues[0].message.find("1.2.4"), std::string::npos);
    c.edgeRuntimeVersion = "1.2.0";
    issues = v.validate(R"({"level": 3})", c);
    ASSERT_THAT(codesOf(issues), ElementsAre("edge-unmodeled"));
    EXPECT_EQ(issues[0].actual, "1.2.0");
    c.edgeRuntimeVersion = "1.4.10";
    EXPECT_TRUE(v.validate(R"({"level": 3})", c).empty());
    c.module = "Sensor";
    issues = v.validate(R"({"level": 3})", c);
    ASSERT_THAT(codesOf(issues), ElementsAre("unknown-module"));
    EXPECT_NE(issues[0].suggestion->find("`sensor`"), std::string::npos);
}

TEST(Limits, HugePayloadIssuesAreCappedAndCounted)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    std::string body = "{";
    for (int i = 0; i < 500; ++i)
        body += (i ? ",\"x" : "\"x") + std::to_string(i) + "\": 1";
    body += "}";
    const auto issues = v.validate(body, jsonMessage());
    ASSERT_FALSE(issues.empty());
    EXPECT_EQ(issues.back().code, "too-many-issues");
    EXPECT_EQ(issues.back().actual, "300");
    EXPECT_EQ(issues.size(), 201u);
}

TEST(Versions, Compare)
{
    EXPECT_LT(compareVersions("1.2.0", "1.2.4"), 0);
    EXPECT_GT(compareVersions("1.10", "1.2.4"), 0);
    EXPECT_EQ(compareVersions("1.2.4", "1.2.4"), 0);
    EXPECT_LT(compareVersions("1.1.17-rc1", "1.2.4"), 0);
}

} // namespace

namespace {

TEST(Hostile, NumberTooLargeIsAnIssueNotACrash)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const auto issues = v.validate(R"({"workingSet": 1e999})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "invalid-json");
    EXPECT_NE(issues[0].message.find("too large"), std::string::npos) << issues[0].message;
}

TEST(Hostile, DeeplyNestedBodyIsRefusedBeforeParsing)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const std::string body = std::string(200000, '[') + std::string(200000, ']');
    const auto issues = v.validate(body, jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].code, "invalid-json");
    EXPECT_NE(issues[0].message.find("levels deep"), std::string::npos);
}

TEST(Hostile, JsonErrorSpotsAndHeadlines)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    auto issues = v.validate(R"({"a": tru})", jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].position->column, 7u) << "the bad word's first letter";
    issues = v.validate("[1, abc]", jsonMessage());
    EXPECT_EQ(issues[0].message.find("member name"), std::string::npos) << "inside an array: " << issues[0].message;
    issues = v.validate("{\"a\": \xC3\xA9}", jsonMessage());
    ASSERT_TRUE(issues[0].actual);
    EXPECT_NE(issues[0].actual->find("\xE2\x9F\xA6\xC3\xA9\xE2\x9F\xA7"), std::string::npos)
        << "the marker keeps the whole UTF-8 character";
    EXPECT_EQ(issues[0].message.find('\xC3'), std::string::npos) << "no raw bytes echoed in the message";
}

TEST(Suggestions, RootCapabilitySentUnderAComponent)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const auto issues = v.validate(R"({"workingSet": 1})", jsonMessage("thermostat1"));
    ASSERT_EQ(issues.size(), 1u);
    ASSERT_TRUE(issues[0].suggestion);
    EXPECT_NE(issues[0].suggestion->find("at the root"), std::string::npos) << *issues[0].suggestion;
    EXPECT_EQ(issues[0].suggestion->find("$.sub="), std::string::npos) << *issues[0].suggestion;
}

TEST(Versions, HugeNumbersDoNotOverflow)
{
    EXPECT_GT(compareVersions("99999999999999999999999.1", "1.2.4"), 0);
}

} // namespace

namespace {

TEST(UnmodeledCache, RepeatedNamesGiveTheSameFindingAndPlacesStayApart)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    const auto first = v.validate(R"({"Temperature": 1})", jsonMessage());
    const auto second = v.validate(R"({"Temperature": 2})", jsonMessage());
    ASSERT_EQ(first.size(), 1u);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(first[0].message, second[0].message);
    EXPECT_EQ(first[0].suggestion, second[0].suggestion);
    const auto inComponent = v.validate(R"({"Temperature": 1})", jsonMessage("thermostat1"));
    ASSERT_EQ(inComponent.size(), 1u);
    EXPECT_NE(inComponent[0].suggestion, first[0].suggestion) << "the component changes the advice";
    const auto nested = v.validate(R"({"thermostat1": {"temperature": 1}})", jsonMessage());
    const auto flat = v.validate(R"({"thermostat1": 5})", jsonMessage());
    EXPECT_NE(nested[0].suggestion, flat[0].suggestion) << "an object value gets the nested-component advice";
}

} // namespace

namespace {

// Issue 12: members are found through a hash index in large objects; everything observable must
// stay as with nlohmann::ordered_json, around the switch-over size too.
TEST(LargeObjects, SameMembersOrderAndLookupsAsOrderedJson)
{
    for (int n : { 0, 1, 5, 31, 32, 33, 100, 1000 }) {
        std::string text = "{";
        for (int i = 0; i < n; ++i) { // every third key repeats an earlier one
            text += (i ? ",\"k" : "\"k") + std::to_string(i % 3 == 2 ? i / 2 : i) + "\":" + std::to_string(i);
        }
        text += "}";
        PayloadJson ours = PayloadJson::parse(text);
        nlohmann::ordered_json reference = nlohmann::ordered_json::parse(text);
        EXPECT_EQ(ours.dump(), reference.dump()) << n;
        for (int k = 0; k <= n; ++k) {
            const std::string key = "k" + std::to_string(k);
            ASSERT_EQ(ours.contains(key), reference.contains(key)) << key;
            if (reference.contains(key)) {
                EXPECT_EQ(ours.at(key), PayloadJson(reference.at(key).get<int>())) << key;
            }
        }
        for (int k = 0; k < n; k += 4) {
            const std::string key = "k" + std::to_string(k);
            EXPECT_EQ(ours.erase(key), reference.erase(key));
        }
        ours["added"] = 1;
        reference["added"] = 1;
        EXPECT_EQ(ours.dump(), reference.dump()) << "after erasing and adding, " << n;
        for (int k = 0; k <= n; ++k) {
            const std::string key = "k" + std::to_string(k);
            EXPECT_EQ(ours.contains(key), reference.contains(key)) << "after erasing: " << key;
        }
        const PayloadJson copy = ours;
        EXPECT_EQ(copy, ours);
        EXPECT_TRUE(copy.contains("added"));
    }
}

// Issue 12: with std::hash (Murmur with a fixed, public seed) keys that all collide can be built
// offline, turning every index lookup into a scan; the index hash is keyed per process instead.
TEST(LargeObjects, IndexHashIsKeyedWithTheProcessRandomSeed)
{
    using KeyHash = PayloadJson::object_t::KeyHash;
    EXPECT_EQ(KeyHash {}.seed, size_t(QHashSeed::globalSeed()));
    EXPECT_NE(KeyHash {}.seed, 0u) << "a zero seed is the deterministic one (QT_HASH_SEED=0)";
    int sameAsStd = 0, seedIgnored = 0;
    for (int i = 0; i < 200; ++i) {
        const std::string key = "k" + std::to_string(i) + std::string(size_t(i % 20), 'x');
        sameAsStd += KeyHash {}(key) == std::hash<std::string_view> {}(key);
        seedIgnored += KeyHash { 1 }(key) == KeyHash { 2 }(key);
    }
    EXPECT_EQ(sameAsStd, 0);
    EXPECT_EQ(seedIgnored, 0) << "the seed must change the hash, short and long keys alike";
}

// The attack itself: keys of two 8-byte blocks that all share one std::hash value (libstdc++'s
// Murmur with its fixed seed is invertible block by block), built in a loop. Each lands in its own
// place under the index's keyed hash, and every one is still found.
TEST(LargeObjects, KeysCollidingUnderStdHashAreSpreadByTheIndexHash)
{
    constexpr uint64_t mul = (uint64_t(0xc6a4a793) << 32) + 0x5bd1e995;
    uint64_t inverse = mul; // Newton's iteration: the inverse of an odd number modulo 2^64
    for (int i = 0; i < 6; ++i)
        inverse *= 2 - mul * inverse;
    auto mix = [](uint64_t v) { return v ^ (v >> 47); }; // its own inverse
    auto block = [&](uint64_t k) { return mix(k * mul) * mul; };
    auto unblock = [&](uint64_t v) { return mix(v * inverse) * inverse; };
    const uint64_t start = uint64_t(0xc70f6907) ^ (16 * mul);
    std::vector<std::string> keys;
    for (uint64_t i = 0; i < 5000; ++i) {
        const uint64_t first = i * 0x9e3779b97f4a7c15;
        const uint64_t second = unblock(0x1234 ^ ((start ^ block(first)) * mul));
        std::string key(16, '\0');
        std::memcpy(key.data(), &first, 8);
        std::memcpy(key.data() + 8, &second, 8);
        keys.push_back(key);
    }
    const std::hash<std::string_view> stdHash;
    if (stdHash(keys[0]) != stdHash(keys[1]) || stdHash(keys[0]) != stdHash(keys.back()))
        GTEST_SKIP() << "not libstdc++'s std::hash: its collisions are built differently";
    using Object = PayloadJson::object_t;
    std::set<size_t> indexHashes;
    for (const auto& key : keys)
        indexHashes.insert(Object::KeyHash {}(key));
    EXPECT_GE(indexHashes.size(), keys.size() - 1);
    Object object;
    for (size_t i = 0; i < keys.size(); ++i)
        ASSERT_TRUE(object.emplace(std::string(keys[i]), PayloadJson(i)).second) << i;
    for (size_t i = 0; i < keys.size(); ++i)
        ASSERT_EQ(object.at(keys[i]), PayloadJson(i)) << i;
}

TEST(LargeObjects, ManyMembersAreAllFoundInOrder)
{
    constexpr int n = 50000;
    std::string text = "{";
    for (int i = 0; i < n; ++i)
        text += (i ? ",\"m" : "\"m") + std::to_string(n - i) + "\":" + std::to_string(i);
    text += "}";
    const PayloadJson ours = PayloadJson::parse(text);
    ASSERT_EQ(ours.size(), size_t(n));
    int i = 0;
    for (const auto& [key, value] : ours.items()) {
        ASSERT_EQ(key, "m" + std::to_string(n - i));
        ASSERT_EQ(value, PayloadJson(i));
        ++i;
    }
    for (int k = 0; k < n; ++k)
        ASSERT_EQ(ours.at("m" + std::to_string(n - k)), PayloadJson(k)) << k;
    EXPECT_FALSE(ours.contains("m0"));
    EXPECT_FALSE(ours.contains("m" + std::to_string(n + 1)));
}

TEST(LargeObjects, RepeatedNameKeepsItsFirstPlaceAndTheLastValue)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    auto body = [](const char* first, const char* last) {
        std::string b = std::string("{\"workingSet\": ") + first;
        for (int i = 0; i < 40; ++i)
            b += ",\"x" + std::to_string(i) + "\": 1";
        return b + ",\"workingSet\": " + last + "}";
    };
    auto issues = v.validate(body("\"text\"", "5"), jsonMessage());
    EXPECT_EQ(findIssue(issues, "schema-mismatch"), nullptr) << "the last value (5) is judged";
    ASSERT_EQ(issues.size(), 40u);
    EXPECT_EQ(issues.front().path, "x0");
    EXPECT_EQ(issues.back().path, "x39") << "issues in payload order";
    issues = v.validate(body("5", "\"text\""), jsonMessage());
    ASSERT_EQ(issues.size(), 41u);
    EXPECT_EQ(issues.front().code, "schema-mismatch") << "at the place of the first occurrence";
    EXPECT_EQ(issues.front().path, "workingSet");
}

// Issue 12: nlohmann stops reading at a NUL byte, so what followed it was never judged.
TEST(Hostile, NulByteEndsNothing)
{
    const PayloadValidator v(loadTemplate(TemperatureController));
    using namespace std::string_literals;
    for (const auto& body : { "{\"workingSet\": 1}\0garbage"s, "{\"workingSet\": 1}\0"s, "\0{\"workingSet\": 1}"s,
             "{\"workingSet\": \"a\0b\"}"s }) {
        const auto issues = v.validate(body, jsonMessage());
        ASSERT_EQ(issues.size(), 1u) << nlohmann::json(body).dump();
        EXPECT_EQ(issues[0].code, "invalid-json");
        EXPECT_EQ(issues[0].severity, Severity::Error);
        EXPECT_NE(issues[0].message.find("NUL"), std::string::npos) << issues[0].message;
        ASSERT_TRUE(issues[0].position);
        EXPECT_EQ(issues[0].position->offset, body.find('\0'));
    }
    // A mistake before the NUL is the one reported.
    const auto issues = v.validate("{'workingSet': 1}\0"s, jsonMessage());
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_NE(issues[0].message.find("double quotes"), std::string::npos) << issues[0].message;
    EXPECT_EQ(issues[0].position->offset, 1u);
}

} // namespace
