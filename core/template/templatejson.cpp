#include "templatejson.h"

namespace iotc {

using nlohmann::json;

namespace {

json scopeToJson(const CapabilityScope& scope)
{
    json list = json::array();
    for (const auto& c : scope.capabilities()) {
        list.push_back({
            { "name", c.name },
            { "kind", capabilityKindName(c.kind) },
            { "schema", c.schema ? json(c.schema->typeName) : json() },
            { "writable", c.writable },
            { "interface", c.interfaceId.empty() ? json() : json(c.interfaceId) },
        });
    }
    return list;
}

json modelToJson(const ModelIndex& model, json out)
{
    out["root"] = scopeToJson(model.root);
    json components = json::object();
    for (const auto& c : model.components)
        components[c.name] = scopeToJson(c);
    out["components"] = std::move(components);
    return out;
}

} // namespace

json templateToJson(const DeviceTemplate& tpl)
{
    json out = {
        { "id", tpl.id.empty() ? json() : json(tpl.id) },
        { "displayName", tpl.displayName.empty() ? json() : json(tpl.displayName) },
        { "modelId", tpl.modelId.empty() ? json() : json(tpl.modelId) },
    };
    out = modelToJson(tpl.model, std::move(out));
    json modules = json::object();
    for (const auto& m : tpl.modules) {
        json module = {
            { "displayName", m.displayName.empty() ? json() : json(m.displayName) },
            { "modelId", m.modelId.empty() ? json() : json(m.modelId) },
        };
        modules[m.name] = modelToJson(m.model, std::move(module));
    }
    out["modules"] = std::move(modules);
    out["legacy"] = tpl.legacyV1;
    out["notes"] = tpl.notes;
    return out;
}

} // namespace iotc
