#pragma once

#include "capabilityindex.h"
#include "modelrepository.h"

#include <filesystem>
#include <unordered_map>
#include <unordered_set>

namespace iotc {

// Turns a device template into a DeviceTemplate index. Understands:
//  - IoT Central's REST shape (capabilityModel with contents/extends/components, edge modules),
//  - plain DTDL v2/v3/v4 interfaces (a single object or an array of them, root first),
//  - the legacy DTDL v1 shape (capabilityModel.implements with interface instances).
// References by DTMI (extends, component schemas, reusable schemas) are resolved through the
// repository. Throws TemplateError for anything it cannot understand.
class TemplateParser {
public:
    explicit TemplateParser(ModelRepository& repository);

    DeviceTemplate parse(const nlohmann::json& document);

    static constexpr int MaxExtendsDepth = 12;
    static constexpr int MaxSchemaDepth = 16;

private:
    ModelIndex flattenModel(const nlohmann::json& model, DeviceTemplate& tpl);
    struct Walk {
        std::vector<std::string> stack; // the extends chain being followed (cycle check)
        std::unordered_set<std::string> done; // interfaces already flattened into this scope
    };
    void flattenInterface(
        const nlohmann::json& iface, CapabilityScope& scope, ModelIndex* model, DeviceTemplate& tpl, Walk& walk);
    void addComponent(const nlohmann::json& entry, ModelIndex& model, DeviceTemplate& tpl);
    void addModule(const nlohmann::json& entry, DeviceTemplate& tpl);
    void parseLegacyImplements(const nlohmann::json& cm, DeviceTemplate& tpl);
    const nlohmann::json& resolveInterface(const nlohmann::json& ref, const std::string& what);
    SchemaPtr resolveSchema(const nlohmann::json& node, const std::string& where, std::vector<std::string>& stack);
    SchemaPtr parseComplexSchema(const nlohmann::json& node, const std::string& where, std::vector<std::string>& stack);

    ModelRepository& m_repository;
    std::unordered_map<std::string, SchemaPtr> m_schemaCache;
    bool m_inModule = false;
};

// Reads and parses a template file. models (may be empty) is a folder of DTDL files to resolve
// references against; a models-repository layout around the template file is found by itself.
DeviceTemplate loadTemplateFile(const std::filesystem::path& file, const std::filesystem::path& models = {});

// Parses a self-contained template held in memory (a REST answer, a built-in resource); source
// names it in error messages.
DeviceTemplate parseTemplateText(std::string_view text, const std::string& source);

// A localizable DTDL string ("x" or {"en": "x", ...}) as plain text.
std::string localizedText(const nlohmann::json& value);

} // namespace iotc
