#include "testdata.h"

#include "template/templatejson.h"

#include <gtest/gtest.h>

#include <set>

using namespace iotc;
using namespace iotc::test;

namespace {

std::set<std::string> names(const CapabilityScope& scope)
{
    std::set<std::string> out;
    for (const auto& c : scope.capabilities())
        out.insert(c.name);
    return out;
}

const Capability* only(const CapabilityScope& scope, const std::string& name)
{
    auto found = scope.find(name);
    return found.size() == 1 ? found.front() : nullptr;
}

} // namespace

TEST(TemplateParser, EveryDtdlFixtureLoadsAndFlattens)
{
    size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dataPath("dtdl"))) {
        if (entry.path().extension() != ".json")
            continue;
        ++files;
        SCOPED_TRACE(entry.path().string());
        std::shared_ptr<const DeviceTemplate> tpl;
        ASSERT_NO_THROW(tpl = loadTemplate(std::filesystem::relative(entry.path(), dataPath("")).string()));
        EXPECT_FALSE(tpl->modelId.empty());
        size_t capabilities = tpl->model.root.capabilities().size();
        for (const auto& c : tpl->model.components)
            capabilities += c.capabilities().size();
        EXPECT_GT(capabilities, 0u) << "a model that yields nothing was not understood";
    }
    EXPECT_GE(files, 30u);
}

TEST(TemplateParser, TemperatureControllerResolvesComponentsByDtmi)
{
    const auto tpl = loadTemplate(TemperatureController);
    EXPECT_EQ(tpl->id, "dtmi:com:example:TemperatureController;2");
    EXPECT_EQ(tpl->displayName, "Temperature Controller");
    EXPECT_EQ(names(tpl->model.root), (std::set<std::string> { "workingSet", "serialNumber", "reboot" }));
    ASSERT_EQ(
        tpl->model.componentNames(), (std::vector<std::string> { "thermostat1", "thermostat2", "deviceInformation" }));
    const auto* t1 = tpl->model.component("thermostat1");
    EXPECT_EQ(t1->interfaceId, "dtmi:com:example:Thermostat;1");
    const auto* temperature = only(*t1, "temperature");
    ASSERT_TRUE(temperature);
    EXPECT_EQ(temperature->kind, CapabilityKind::Telemetry);
    EXPECT_EQ(temperature->schema->kind, SchemaKind::Double);
    const auto* target = only(*t1, "targetTemperature");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->kind, CapabilityKind::Property);
    EXPECT_TRUE(target->writable);
    EXPECT_EQ(only(*t1, "getMaxMinReport")->kind, CapabilityKind::Command);
    EXPECT_EQ(only(tpl->model.root, "reboot")->kind, CapabilityKind::Command);
}

TEST(TemplateParser, ExtendsByDtmiBringsInheritedComponents)
{
    const auto tpl = loadTemplate("dtdl/dtmi/com/example/temperaturecontroller-3.json");
    EXPECT_TRUE(tpl->model.component("deviceUpdate")) << "component inherited through extends";
    EXPECT_TRUE(tpl->model.component("thermostat1"));
}

TEST(TemplateParser, ExtendsChainAcrossFiles)
{
    const auto tpl = loadTemplate("dtdl/dtmi/azureiot/devkit/freertos/gsgstml475-1.json");
    const auto root = names(tpl->model.root);
    bool inherited = false;
    for (const auto& c : tpl->model.root.capabilities())
        inherited = inherited || c.interfaceId == "dtmi:azureiot:devkit:freertos:gsg;1";
    EXPECT_TRUE(inherited) << "capabilities of the extended interface keep their defining interface";
    EXPECT_FALSE(root.empty());
}

TEST(TemplateParser, RestTemplateWithInheritedInterfacesAndDuplicateNames)
{
    const auto tpl = loadTemplate("azcli/device_template.json");
    EXPECT_EQ(tpl->id, "urn:d9cltbeus:tvj4oal1a0");
    const auto bools = tpl->model.root.find("Bool");
    ASSERT_EQ(bools.size(), 2u) << "same name in two interfaces is kept twice";
    EXPECT_NE(bools[0]->interfaceId, bools[1]->interfaceId);
    EXPECT_EQ(tpl->model.root.find("bool").size(), 1u) << "names are case-sensitive";
    const std::map<std::string, SchemaKind> expected { { "Date", SchemaKind::Date },
        { "DateTime", SchemaKind::DateTime }, { "Double", SchemaKind::Double }, { "Duration", SchemaKind::Duration },
        { "IntEnum", SchemaKind::Enum }, { "StringEnum", SchemaKind::Enum }, { "Float", SchemaKind::Float },
        { "Geopoint", SchemaKind::Geopoint }, { "Int", SchemaKind::Integer }, { "Long", SchemaKind::Long },
        { "Object", SchemaKind::Object }, { "String", SchemaKind::String }, { "Time", SchemaKind::Time },
        { "Vector", SchemaKind::Vector } };
    for (const auto& [name, kind] : expected) {
        const auto found = tpl->model.root.find(name);
        ASSERT_FALSE(found.empty()) << name;
        EXPECT_EQ(found.front()->schema->kind, kind) << name;
    }
    EXPECT_EQ(tpl->model.root.find("StringEnum").front()->schema->enumValueKind, SchemaKind::String);
}

TEST(TemplateParser, Utf16TemplateWithDeepObject)
{
    const auto tpl = loadTemplate("azcli/deeply_nested_template.json");
    const auto* object = only(tpl->model.root, "RidiculousObject");
    ASSERT_TRUE(object);
    const Schema* s = object->schema.get();
    for (const char* field : { "LayerA", "Depth1A", "Depth2", "Depth3", "Depth4" }) {
        ASSERT_EQ(s->kind, SchemaKind::Object) << field;
        const auto* f = s->field(field);
        ASSERT_TRUE(f) << field;
        s = f->schema.get();
    }
    ASSERT_TRUE(s->field("DeepestGeopoint"));
    EXPECT_EQ(s->field("DeepestGeopoint")->schema->kind, SchemaKind::Geopoint);
    EXPECT_EQ(s->field("DeepestVector")->schema->kind, SchemaKind::Vector);
    EXPECT_EQ(s->field("DeepestComplexEnum")->schema->kind, SchemaKind::Enum);
}

TEST(TemplateParser, IdFieldAndThreeInterfacesWithDuplicates)
{
    const auto tpl = loadTemplate("azcli/property_validation_template.json");
    EXPECT_EQ(tpl->id, "urn:d9cltbeus:tvj4oal1a0") << "REST templates may use id instead of @id";
    EXPECT_EQ(tpl->model.root.find("Model").size(), 3u);
    EXPECT_EQ(tpl->model.root.find("Manufacturer").size(), 2u);
    EXPECT_EQ(tpl->model.components.size(), 2u);
    EXPECT_TRUE(tpl->model.component("_rpgcmdpo"));
}

TEST(TemplateParser, EdgeTemplateHasModuleWithItsOwnModel)
{
    const auto tpl = loadTemplate("azcli/device_template_edge.json");
    ASSERT_EQ(tpl->modules.size(), 1u);
    const auto& module = tpl->modules.front();
    EXPECT_EQ(module.name, "testModule");
    EXPECT_EQ(module.modelId, "dtmi:contoso:testModuleCapabilityModel;1");
    EXPECT_TRUE(only(module.model.root, "testModuleTelemetry"));
    EXPECT_TRUE(module.model.component("ModuleComponent"));
    EXPECT_FALSE(only(tpl->model.root, "testModule")) << "the module relationship is not a device capability";
    EXPECT_EQ(only(tpl->model.root, "testCloudProperty")->kind, CapabilityKind::CloudProperty);
    EXPECT_EQ(only(tpl->model.root, "device")->kind, CapabilityKind::Relationship);
}

TEST(TemplateParser, LegacyImplementsShapeIsUnderstood)
{
    const auto tpl = loadTemplate("azcli/device_template_int_test_preview.json");
    EXPECT_TRUE(tpl->legacyV1);
    EXPECT_FALSE(tpl->notes.empty());
    EXPECT_EQ(names(tpl->model.root), (std::set<std::string> { "Temperature", "Humidity", "Occupancy" }));
    ASSERT_TRUE(tpl->model.component("Interface"));
    EXPECT_EQ(only(tpl->model.root, "Temperature")->kind, CapabilityKind::Telemetry);
}

TEST(TemplateParser, ComponentTypeAsListAndInlineSchemas)
{
    const auto tpl = parseTemplate(R"({
      "@id": "urn:t:1", "displayName": {"en": "Localized"},
      "capabilityModel": {
        "@id": "dtmi:t:root;1", "@type": "Interface",
        "contents": [
          {"@type": ["Component"], "name": "comp", "schema": {"@id": "dtmi:t:c;1", "@type": "Interface",
             "contents": [{"@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "degreeCelsius"}]}},
          {"@type": "Telemetry", "name": "m", "schema": {"@type": "Map", "mapKey": {"name": "k", "schema": "string"},
             "mapValue": {"name": "v", "schema": {"@type": "Array", "elementSchema": "integer"}}}},
          {"@type": "Telemetry", "name": "ref", "schema": "dtmi:t:reusable;1"}
        ],
        "schemas": [{"@id": "dtmi:t:reusable;1", "@type": "Enum", "valueSchema": "string",
                     "enumValues": [{"name": "on", "enumValue": "ON"}]}]
      }})");
    EXPECT_EQ(tpl->displayName, "Localized");
    ASSERT_TRUE(tpl->model.component("comp"));
    EXPECT_TRUE(only(*tpl->model.component("comp"), "t"));
    const auto* map = only(tpl->model.root, "m");
    ASSERT_TRUE(map);
    EXPECT_EQ(map->schema->kind, SchemaKind::Map);
    EXPECT_EQ(map->schema->element->kind, SchemaKind::Array);
    EXPECT_EQ(map->schema->element->element->kind, SchemaKind::Integer);
    const auto* ref = only(tpl->model.root, "ref");
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->schema->kind, SchemaKind::Enum);
    EXPECT_EQ(ref->schema->enumValues.at(0).value, "ON");
}

TEST(TemplateParser, GeospatialAndV4Schemas)
{
    const auto tpl = parseTemplate(R"({"@id": "dtmi:t:geo;1", "@type": "Interface", "@context": "dtmi:dtdl:context;4",
      "contents": [
        {"@type": "Telemetry", "name": "where", "schema": "point"},
        {"@type": "Telemetry", "name": "route", "schema": "dtmi:standard:schema:geospatial:lineString;3"},
        {"@type": "Telemetry", "name": "id", "schema": "uuid"},
        {"@type": "Telemetry", "name": "small", "schema": "unsignedByte"}
      ]})");
    EXPECT_EQ(only(tpl->model.root, "where")->schema->kind, SchemaKind::GeoPoint);
    EXPECT_EQ(only(tpl->model.root, "route")->schema->kind, SchemaKind::GeoLineString);
    EXPECT_EQ(only(tpl->model.root, "id")->schema->kind, SchemaKind::Uuid);
    EXPECT_EQ(only(tpl->model.root, "small")->schema->kind, SchemaKind::UnsignedByte);
}

TEST(TemplateParser, IndexAsJson)
{
    const auto tpl = loadTemplate(TemperatureController);
    const auto j = templateToJson(*tpl);
    EXPECT_EQ(j["id"], "dtmi:com:example:TemperatureController;2");
    ASSERT_TRUE(j["components"].contains("thermostat1"));
    bool found = false;
    for (const auto& c : j["components"]["thermostat1"]) {
        if (c["name"] == "targetTemperature") {
            found = true;
            EXPECT_EQ(c["kind"], "property");
            EXPECT_EQ(c["schema"], "double");
            EXPECT_EQ(c["writable"], true);
            EXPECT_EQ(c["interface"], "dtmi:com:example:Thermostat;1");
        }
    }
    EXPECT_TRUE(found);
    EXPECT_TRUE(j["modules"].is_object());
}

TEST(TemplateParser, IotCentralCloudPropertyIsKeptAndMarked)
{
    // IoT Central's REST example: "@type": ["Property", "Cloud"] at the root of the capability model.
    const auto tpl = loadRestExampleTemplate("iotcentral-rest/2022-07-31/devicetemplates_create.json");
    const Capability* status = only(tpl->model.root, "status");
    ASSERT_TRUE(status) << "the cloud property is in the index";
    EXPECT_EQ(status->kind, CapabilityKind::CloudProperty);
    ASSERT_TRUE(status->schema);
    EXPECT_EQ(status->schema->kind, SchemaKind::Enum);
    EXPECT_EQ(status->displayName, "Online Status");
    EXPECT_EQ(only(tpl->model.root, "testReadOnly")->kind, CapabilityKind::Property) << "a device property stays one";
    ASSERT_TRUE(tpl->model.component("settings"));
    EXPECT_EQ(only(*tpl->model.component("settings"), "threshold")->kind, CapabilityKind::Property);
    EXPECT_STREQ(capabilityKindName(CapabilityKind::CloudProperty), "cloudProperty");
}
