#include "templateparser.h"

#include <algorithm>

namespace iotc {

using nlohmann::json;

namespace {

bool hasType(const json& node, std::string_view type)
{
    auto it = node.find("@type");
    if (it == node.end())
        return false;
    if (it->is_string())
        return it->get_ref<const std::string&>() == type;
    if (it->is_array()) {
        for (const auto& t : *it) {
            if (t.is_string() && t.get_ref<const std::string&>() == type)
                return true;
        }
    }
    return false;
}

bool typeContains(const json& node, std::string_view fragment)
{
    auto it = node.find("@type");
    if (it == node.end())
        return false;
    auto test = [&](const json& t) {
        return t.is_string() && t.get_ref<const std::string&>().find(fragment) != std::string::npos;
    };
    if (it->is_array())
        return std::any_of(it->begin(), it->end(), test);
    return test(*it);
}

std::string stringField(const json& node, const char* key)
{
    auto it = node.find(key);
    if (it != node.end() && it->is_string())
        return it->get<std::string>();
    return {};
}

std::string idOf(const json& node)
{
    auto id = stringField(node, "@id");
    return id.empty() ? stringField(node, "id") : id;
}

std::string nameOf(const json& node)
{
    auto name = stringField(node, "name");
    return name.empty() ? stringField(node, "@id") : name;
}

bool isInterface(const json& node)
{
    return node.is_object() && (hasType(node, "Interface") || hasType(node, "CapabilityModel"));
}

} // namespace

std::string localizedText(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_object() && !value.empty()) {
        for (const char* lang : { "en", "en-US", "en-us" }) {
            auto it = value.find(lang);
            if (it != value.end() && it->is_string())
                return it->get<std::string>();
        }
        if (value.begin()->is_string())
            return value.begin()->get<std::string>();
    }
    return {};
}

TemplateParser::TemplateParser(ModelRepository& repository)
    : m_repository(repository)
{
}

DeviceTemplate TemplateParser::parse(const json& document)
{
    DeviceTemplate tpl;
    m_repository.addDocument(document, true);

    const json* root = nullptr;
    if (document.is_object() && document.contains("capabilityModel")) {
        tpl.id = idOf(document);
        tpl.displayName = localizedText(document.value("displayName", json()));
        root = &document.at("capabilityModel");
        if (root->is_string())
            root = &resolveInterface(*root, "the template's capabilityModel");
        if (!root->is_object())
            throw TemplateError("the template's capabilityModel is not an object");
    } else if (isInterface(document)) {
        root = &document;
    } else if (document.is_array()) {
        // Models-repository "expanded" form: the root interface first, its dependencies after.
        for (const auto& element : document) {
            if (isInterface(element)) {
                root = &element;
                break;
            }
        }
        if (!root)
            throw TemplateError("the array holds no DTDL Interface");
    } else {
        throw TemplateError("not a device template: expected an IoT Central template (with \"capabilityModel\") or a "
                            "DTDL Interface (\"@type\": \"Interface\")");
    }

    tpl.modelId = idOf(*root);
    if (tpl.id.empty())
        tpl.id = tpl.modelId;
    if (tpl.displayName.empty())
        tpl.displayName = localizedText(root->value("displayName", json()));

    if (root->contains("implements")) {
        parseLegacyImplements(*root, tpl);
        return tpl;
    }
    tpl.model = flattenModel(*root, tpl);
    return tpl;
}

ModelIndex TemplateParser::flattenModel(const json& model, DeviceTemplate& tpl)
{
    ModelIndex index;
    index.root.interfaceId = idOf(model);
    Walk walk;
    flattenInterface(model, index.root, &index, tpl, walk);
    return index;
}

const json& TemplateParser::resolveInterface(const json& ref, const std::string& what)
{
    if (ref.is_object())
        return ref;
    if (!ref.is_string())
        throw TemplateError(what + " is neither an interface nor a DTMI");
    const auto& dtmi = ref.get_ref<const std::string&>();
    const json* found = m_repository.find(dtmi);
    if (!found)
        throw TemplateError(what + " refers to " + dtmi
            + ", which is not among the loaded models (give the folder that holds it with --models)");
    if (!found->is_object())
        throw TemplateError(dtmi + " is not an interface");
    return *found;
}

void TemplateParser::flattenInterface(
    const json& ifaceRef, CapabilityScope& scope, ModelIndex* model, DeviceTemplate& tpl, Walk& walk)
{
    const json& iface = resolveInterface(ifaceRef, "an interface");
    const std::string id = idOf(iface);
    auto& stack = walk.stack;
    // An interface reached twice (diamond inheritance) contributes once.
    if (!id.empty() && !walk.done.insert(id).second && std::find(stack.begin(), stack.end(), id) == stack.end())
        return;
    if (!id.empty() && std::find(stack.begin(), stack.end(), id) != stack.end()) {
        std::string chain;
        for (const auto& s : stack)
            chain += s + " -> ";
        throw TemplateError("interface inheritance cycle: " + chain + id);
    }
    if (static_cast<int>(stack.size()) >= MaxExtendsDepth)
        throw TemplateError("interface " + id + " is inherited more than " + std::to_string(MaxExtendsDepth)
            + " levels deep (DTDL allows at most 10-12)");
    stack.push_back(id);

    // Older IoT Central shapes keep an interface's contents under "schema".
    const json* contents = nullptr;
    if (auto it = iface.find("contents"); it != iface.end() && it->is_array())
        contents = &*it;
    else if (auto s = iface.find("schema"); s != iface.end() && s->is_object() && s->contains("contents"))
        contents = &s->at("contents");

    if (contents) {
        for (const auto& entry : *contents) {
            if (!entry.is_object())
                continue;
            if (hasType(entry, "Component")) {
                if (model)
                    addComponent(entry, *model, tpl);
                else
                    tpl.notes.push_back("component " + nameOf(entry) + " inside component interface " + id
                        + " ignored (DTDL does not allow nested components)");
                continue;
            }
            if (typeContains(entry, "EdgeModule") && entry.contains("target")) {
                if (model && !m_inModule)
                    addModule(entry, tpl);
                else
                    tpl.notes.push_back("edge module " + nameOf(entry) + " inside a module or component ignored");
                continue;
            }
            Capability cap;
            cap.name = nameOf(entry);
            cap.interfaceId = id;
            cap.displayName = localizedText(entry.value("displayName", json()));
            if (auto w = entry.find("writable"); w != entry.end() && w->is_boolean())
                cap.writable = w->get<bool>();
            else if (w != entry.end())
                tpl.notes.push_back(nameOf(entry) + ": \"writable\" is not true or false; read as false");
            if (hasType(entry, "Telemetry"))
                cap.kind = CapabilityKind::Telemetry;
            else if (hasType(entry, "Property"))
                cap.kind = hasType(entry, "Cloud") ? CapabilityKind::CloudProperty : CapabilityKind::Property;
            else if (hasType(entry, "Command"))
                cap.kind = CapabilityKind::Command;
            else if (hasType(entry, "Relationship"))
                cap.kind = CapabilityKind::Relationship;
            if (cap.name.empty())
                continue;
            if (cap.kind == CapabilityKind::Telemetry || cap.kind == CapabilityKind::Property
                || cap.kind == CapabilityKind::CloudProperty) {
                if (auto s = entry.find("schema"); s != entry.end()) {
                    std::vector<std::string> schemaStack;
                    cap.schema = resolveSchema(*s, id + " / " + cap.name, schemaStack);
                }
            }
            scope.add(std::move(cap));
        }
    }

    if (auto ext = iface.find("extends"); ext != iface.end()) {
        if (ext->is_array()) {
            for (const auto& e : *ext)
                flattenInterface(e, scope, model, tpl, walk);
        } else if (!ext->is_null()) {
            flattenInterface(*ext, scope, model, tpl, walk);
        }
    }
    stack.pop_back();
}

void TemplateParser::addComponent(const json& entry, ModelIndex& model, DeviceTemplate& tpl)
{
    const std::string name = nameOf(entry);
    auto s = entry.find("schema");
    if (s == entry.end())
        throw TemplateError("component " + name + " has no schema");
    const json& iface = resolveInterface(*s, "component " + name);
    if (model.component(name))
        tpl.notes.push_back("component " + name + " is defined twice; the first definition is used");
    CapabilityScope scope;
    scope.name = name;
    scope.interfaceId = idOf(iface);
    Walk walk;
    flattenInterface(iface, scope, nullptr, tpl, walk);
    if (!model.component(name))
        model.components.push_back(std::move(scope));
}

void TemplateParser::addModule(const json& entry, DeviceTemplate& tpl)
{
    ModuleIndex module;
    module.name = nameOf(entry);
    module.displayName = localizedText(entry.value("displayName", json()));
    const json& target = entry.at("target");
    const json* first = &target;
    if (target.is_array()) {
        if (target.empty()) {
            tpl.notes.push_back("edge module " + module.name + " has no target model");
            return;
        }
        first = &target.front();
    }
    const json& model = resolveInterface(*first, "edge module " + module.name);
    module.modelId = idOf(model);
    m_inModule = true;
    try {
        module.model = flattenModel(model, tpl);
    } catch (...) {
        m_inModule = false;
        throw;
    }
    m_inModule = false;
    tpl.modules.push_back(std::move(module));
}

void TemplateParser::parseLegacyImplements(const json& cm, DeviceTemplate& tpl)
{
    // DTDL v1: the capability model implements named interface instances. Devices of that era sent
    // flat telemetry that IoT Central matched across all interfaces, so every instance's interface
    // feeds the root; each instance is also a component under its own name.
    tpl.legacyV1 = true;
    tpl.notes.push_back("legacy DTDL v1 template (capabilityModel.implements): its interfaces are read as the "
                        "device's own capabilities and as components named after their instances");
    tpl.model.root.interfaceId = idOf(cm);
    Walk rootWalk;
    if (cm.contains("contents"))
        flattenInterface(cm, tpl.model.root, &tpl.model, tpl, rootWalk);
    for (const auto& instance : cm.at("implements")) {
        if (!instance.is_object())
            continue;
        auto s = instance.find("schema");
        if (s == instance.end())
            continue;
        const json& iface = resolveInterface(*s, "interface instance " + nameOf(instance));
        flattenInterface(iface, tpl.model.root, nullptr, tpl, rootWalk);
        CapabilityScope component;
        component.name = nameOf(instance);
        component.interfaceId = idOf(iface);
        Walk componentWalk;
        flattenInterface(iface, component, nullptr, tpl, componentWalk);
        if (!component.name.empty() && !tpl.model.component(component.name))
            tpl.model.components.push_back(std::move(component));
    }
}

SchemaPtr TemplateParser::resolveSchema(const json& node, const std::string& where, std::vector<std::string>& stack)
{
    if (node.is_string()) {
        const auto& name = node.get_ref<const std::string&>();
        if (auto builtin = builtinSchema(name))
            return builtin;
        if (auto it = m_schemaCache.find(name); it != m_schemaCache.end())
            return it->second;
        const json* found = m_repository.find(name);
        if (!found)
            throw TemplateError(where + ": schema " + name
                + " is neither a DTDL schema type nor a schema defined in the loaded models");
        return parseComplexSchema(*found, where, stack);
    }
    if (node.is_object())
        return parseComplexSchema(node, where, stack);
    throw TemplateError(where + ": schema must be a type name or a schema object");
}

SchemaPtr TemplateParser::parseComplexSchema(
    const json& node, const std::string& where, std::vector<std::string>& stack)
{
    const std::string id = stringField(node, "@id");
    if (!id.empty()) {
        if (auto it = m_schemaCache.find(id); it != m_schemaCache.end())
            return it->second;
        if (std::find(stack.begin(), stack.end(), id) != stack.end())
            throw TemplateError(where + ": schema " + id + " contains itself");
    }
    if (static_cast<int>(stack.size()) >= MaxSchemaDepth)
        throw TemplateError(where + ": schemas nested more than " + std::to_string(MaxSchemaDepth) + " levels deep");
    stack.push_back(id.empty() ? std::string("(inline)") : id);

    auto schema = std::make_shared<Schema>();
    schema->id = id;
    static constexpr std::pair<std::string_view, SchemaKind> complexTypes[] = {
        { "Enum", SchemaKind::Enum },
        { "Object", SchemaKind::Object },
        { "Map", SchemaKind::Map },
        { "Array", SchemaKind::Array },
    };
    for (const auto& [name, kind] : complexTypes) {
        if (hasType(node, name)) {
            schema->kind = kind;
            schema->typeName = std::string(name);
            break;
        }
    }
    switch (schema->kind) {
    case SchemaKind::Enum: {
        const auto valueSchema = stringField(node, "valueSchema");
        auto vs = builtinSchema(valueSchema.empty() ? "integer" : valueSchema);
        schema->enumValueKind = vs ? vs->kind : SchemaKind::Integer;
        if (auto values = node.find("enumValues"); values != node.end() && values->is_array()) {
            for (const auto& v : *values) {
                if (v.is_object() && v.contains("enumValue"))
                    schema->enumValues.push_back({ stringField(v, "name"), PayloadJson(v.at("enumValue")) });
            }
        }
        break;
    }
    case SchemaKind::Object:
        if (auto fields = node.find("fields"); fields != node.end() && fields->is_array()) {
            for (const auto& f : *fields) {
                if (!f.is_object() || !f.contains("schema"))
                    continue;
                SchemaField field;
                field.name = nameOf(f);
                field.schema = resolveSchema(f.at("schema"), where + "." + field.name, stack);
                schema->fields.push_back(std::move(field));
            }
        }
        break;
    case SchemaKind::Map: {
        auto key = node.find("mapKey");
        auto value = node.find("mapValue");
        if (key != node.end() && key->is_object())
            schema->mapKeyName = stringField(*key, "name");
        if (value == node.end() || !value->is_object() || !value->contains("schema"))
            throw TemplateError(where + ": Map schema without mapValue.schema");
        schema->mapValueName = stringField(*value, "name");
        schema->element = resolveSchema(value->at("schema"), where + "{}", stack);
        break;
    }
    case SchemaKind::Array: {
        auto element = node.find("elementSchema");
        if (element == node.end())
            throw TemplateError(where + ": Array schema without elementSchema");
        schema->element = resolveSchema(*element, where + "[]", stack);
        break;
    }
    default: {
        // Not a complex schema we know: keep its name so the index can show it; values are not judged.
        auto t = node.find("@type");
        if (t != node.end() && t->is_string())
            schema->typeName = t->get<std::string>();
        else if (t != node.end() && t->is_array() && !t->empty() && t->front().is_string())
            schema->typeName = t->front().get<std::string>();
        else
            schema->typeName = "unknown";
        break;
    }
    }
    stack.pop_back();
    if (!id.empty())
        m_schemaCache.emplace(id, schema);
    return schema;
}

DeviceTemplate loadTemplateFile(const std::filesystem::path& file, const std::filesystem::path& models)
{
    ModelRepository repository;
    if (!models.empty()) {
        repository.loadDirectory(models);
        repository.addRepositoryRoot(models);
    }
    // A template inside a models-repository checkout (…/dtmi/com/example/x-1.json) resolves its
    // references from that checkout.
    std::error_code ec;
    auto dir = std::filesystem::absolute(file, ec).parent_path();
    for (auto p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
        if (p.filename() == "dtmi") {
            repository.addRepositoryRoot(p.parent_path());
            break;
        }
    }
    const json document = readJsonFile(file);
    TemplateParser parser(repository);
    return parser.parse(document);
}

DeviceTemplate parseTemplateText(std::string_view text, const std::string& source)
{
    ModelRepository repository;
    TemplateParser parser(repository);
    return parser.parse(parseJsonDocument(text, source));
}

} // namespace iotc
