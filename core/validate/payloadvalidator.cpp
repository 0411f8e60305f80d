#include "payloadvalidator.h"

#include "util/asciistrings.h"

#include "contentheaders.h"
#include "edgeruntimerule.h"
#include "payloadchecks.h"
#include "schemacheck.h"
#include "suggest.h"

#include <algorithm>

namespace iotc {

using json = PayloadJson;

namespace {

bool wanted(const Capability& c, PayloadKind kind)
{
    return kind == PayloadKind::Telemetry ? c.kind == CapabilityKind::Telemetry : c.kind == CapabilityKind::Property;
}

std::string joinNames(const std::vector<std::string>& names, size_t max = 20)
{
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i == max) {
            out += ", … (" + std::to_string(names.size() - max) + " more)";
            break;
        }
        out += (i ? ", " : "") + names[i];
    }
    return out;
}

std::string capabilityKindText(CapabilityKind kind)
{
    switch (kind) {
    case CapabilityKind::Telemetry:
        return "telemetry";
    case CapabilityKind::Property:
        return "a device property";
    case CapabilityKind::CloudProperty:
        return "a cloud property (set in IoT Central, never sent by the device)";
    case CapabilityKind::Command:
        return "a command";
    case CapabilityKind::Relationship:
        return "a relationship";
    case CapabilityKind::Other:
        return "something other than telemetry or a property";
    }
    return "something else";
}

bool isAckShaped(const json& value, const Capability& capability)
{
    if (!value.is_object() || !(value.contains("ac") || value.contains("av")))
        return false;
    // An Object schema that itself has ac/av fields is read as a value, not an acknowledgement.
    if (capability.schema && capability.schema->kind == SchemaKind::Object
        && (capability.schema->field("ac") || capability.schema->field("av")))
        return false;
    return true;
}

std::string scopeText(const CapabilityScope& where, std::string_view module)
{
    std::string out = where.name.empty() ? std::string("the root (no component)") : "component " + where.name;
    if (!module.empty())
        out += " of module " + std::string(module);
    return out;
}

} // namespace

struct PayloadValidator::Scope {
    const MessageContext& context;
    const ModelIndex& model;
    const CapabilityScope& scope;
    bool plugAndPlay; // the device announced a model id or sent a component
};

PayloadValidator::PayloadValidator(std::shared_ptr<const DeviceTemplate> deviceTemplate)
    : m_template(std::move(deviceTemplate))
{
}

std::vector<Issue> PayloadValidator::validate(std::string_view body, const MessageContext& context, json* parsed) const
{
    // The template-independent checks first (the same functions as without a template), then the
    // names and values against the template.
    IssueList issues;
    if (context.kind == PayloadKind::Telemetry)
        checkContentHeaders(context, issues);
    json document;
    decodePayload(body, issues, document);
    if (checkIsObject(document, context.kind, issues))
        checkDocument(document, context, issues);
    if (parsed)
        *parsed = std::move(document);
    return issues.take();
}

std::vector<Issue> PayloadValidator::validateParsed(const json& document, const MessageContext& context) const
{
    IssueList issues;
    if (context.kind == PayloadKind::Telemetry)
        checkContentHeaders(context, issues);
    if (checkIsObject(document, context.kind, issues))
        checkDocument(document, context, issues);
    return issues.take();
}

void PayloadValidator::checkDocument(const json& document, const MessageContext& context, IssueList& issues) const
{
    const ModelIndex* model = &m_template->model;
    if (!context.module.empty()) {
        const ModuleIndex* module = m_template->module(context.module);
        if (!module) {
            std::vector<std::string> names;
            std::optional<std::string> suggestion;
            for (const auto& m : m_template->modules) {
                names.push_back(m.name);
                if (equalsIgnoringCase(m.name, context.module))
                    suggestion = "did you mean module " + backticked(m.name) + "? Module names are case-sensitive";
            }
            issues.add(codes::UnknownModule, Severity::Warning, nullptr,
                "The message comes from module " + context.module + ", which the device template does not define"
                    + (names.empty() ? std::string(" (it defines no modules)")
                                     : ": known modules are " + joinNames(names)),
                names.empty() ? std::nullopt : std::optional<std::string>(joinNames(names)), context.module,
                suggestion
                    ? suggestion
                    : std::optional<std::string>("add the module to the template's deployment manifest and model"));
            return;
        }
        model = &module->model;
        if (!context.component.empty() && context.kind == PayloadKind::Telemetry) {
            const bool known = context.edgeRuntimeVersion.has_value();
            const bool old = known && edgeRuntimeIsOlder(*context.edgeRuntimeVersion);
            if (!known || old) {
                issues.add(codes::EdgeUnmodeled, Severity::Warning, nullptr,
                    known ? "Component telemetry from module " + context.module + " on IoT Edge "
                            + *context.edgeRuntimeVersion + " shows in IoT Central as _unmodeleddata"
                          : "Component telemetry from module " + context.module
                            + " shows in IoT Central as _unmodeleddata unless the device runs "
                            + edgeRuntimeRequirement(),
                    edgeRuntimeRequirement(), context.edgeRuntimeVersion,
                    "update the IoT Edge runtime (edgeAgent and edgeHub) to " + std::string(MinimumEdgeRuntime)
                        + " or later");
            }
        }
    }

    const CapabilityScope* scope = &model->root;
    if (!context.component.empty()) {
        scope = model->component(context.component);
        if (!scope) {
            reportUnknownComponent(context.component, *model, nullptr, issues);
            return;
        }
    }
    const Scope s { context, *model, *scope, !context.modelId.empty() || !context.component.empty() };
    if (context.kind == PayloadKind::Telemetry)
        checkTelemetry(document, s, issues);
    else
        checkProperties(document, s, issues);
}

void PayloadValidator::reportUnknownComponent(
    std::string_view component, const ModelIndex& model, const PathNode* path, IssueList& issues) const
{
    const auto names = model.componentNames();
    std::optional<std::string> suggestion;
    for (const auto& n : names) {
        if (equalsIgnoringCase(n, component)
            || editDistance(n, component, suggestionDistance(component)) <= suggestionDistance(component)) {
            suggestion = "did you mean component " + backticked(n) + "? Component names are case-sensitive";
            break;
        }
    }
    if (!suggestion && names.empty())
        suggestion = std::string(
            "send this data without a component (no dt-subject / $.sub), or add the component to the template");
    issues.add(codes::UnknownComponent, Severity::Warning, path,
        "The device names component " + backticked(component) + ", which the device template does not define"
            + (names.empty() ? std::string(" (it has no components)") : "; known components: " + joinNames(names)),
        names.empty() ? std::optional<std::string>("no component") : std::optional<std::string>(joinNames(names)),
        std::string(component), std::move(suggestion));
}

void PayloadValidator::checkTelemetry(const json& payload, const Scope& scope, IssueList& issues) const
{
    const PathNode root;
    for (const auto& [key, value] : payload.items()) {
        const PathNode path { &root, key };
        checkCapability(key, value, scope, scope.scope, path, issues);
    }
}

void PayloadValidator::checkProperties(const json& payload, const Scope& scope, IssueList& issues) const
{
    const PathNode root;
    const bool atRoot = scope.scope.name.empty();
    for (const auto& [key, value] : payload.items()) {
        const PathNode path { &root, key };
        if (atRoot && !key.empty() && key[0] != '$') {
            if (const CapabilityScope* component = scope.model.component(key)) {
                if (!value.is_object()) {
                    issues.add(codes::SchemaMismatch, Severity::Error, &path,
                        "Component " + backticked(key) + R"( must be reported as an object marked with "__t": "c")",
                        std::string(R"({"__t": "c", ...})"), excerptJson(value));
                    continue;
                }
                auto marker = value.find("__t");
                if (marker == value.end() || *marker != "c") {
                    issues.add(codes::MissingComponentMarker, Severity::Warning, &path,
                        "Component section " + backticked(key)
                            + R"( lacks the marker "__t": "c", so IoT Central may not read it as a component)",
                        std::string(R"("__t": "c")"),
                        marker == value.end() ? std::optional<std::string>() : excerptJson(*marker),
                        std::string(R"(add "__t": "c" to the component's reported properties)"));
                }
                const Scope inner { scope.context, scope.model, *component, true };
                for (const auto& [innerKey, innerValue] : value.items()) {
                    if (innerKey == "__t")
                        continue;
                    const PathNode innerPath { &path, innerKey };
                    checkCapability(innerKey, innerValue, inner, *component, innerPath, issues);
                }
                continue;
            }
            if (value.is_object() && value.contains("__t") && value.at("__t") == "c") {
                reportUnknownComponent(key, scope.model, &path, issues);
                continue;
            }
        }
        checkCapability(key, value, scope, scope.scope, path, issues);
    }
}

void PayloadValidator::checkCapability(std::string_view name, const json& value, const Scope& scope,
    const CapabilityScope& where, const PathNode& path, IssueList& issues) const
{
    if (!checkFieldName(name, scope.context.kind, path, issues))
        return;
    const Capability* first = nullptr;
    size_t matches = 0;
    const auto& all = where.capabilities();
    for (const auto index : where.indicesOf(name)) {
        if (wanted(all[index], scope.context.kind)) {
            if (!first)
                first = &all[index];
            ++matches;
        }
    }
    if (!first) {
        reportUnmodeled(name, value, scope, where, path, issues);
        return;
    }
    if (matches > 1 && !scope.plugAndPlay) {
        std::vector<std::string> interfaces;
        for (const auto index : where.indicesOf(name)) {
            if (wanted(all[index], scope.context.kind)
                && std::find(interfaces.begin(), interfaces.end(), all[index].interfaceId) == interfaces.end())
                interfaces.push_back(all[index].interfaceId);
        }
        if (interfaces.size() > 1) {
            issues.add(codes::DuplicateCapability, Severity::Warning, &path,
                backticked(name) + " is defined in " + std::to_string(interfaces.size()) + " interfaces ("
                    + joinNames(interfaces)
                    + ") and the device is not IoT Plug and Play (no component, no model id), so IoT Central cannot "
                      "tell which one it means",
                std::string("one definition"), joinNames(interfaces),
                std::string("give the name to one interface only, or make the device IoT Plug and Play "
                            "(announce its model id and send component data with the component name)"));
        }
    }
    if (scope.context.kind == PayloadKind::ReportedProperties && isAckShaped(value, *first)) {
        if (first->writable) {
            checkAck(value, *first, path, issues);
            return;
        }
        if (first->schema && first->schema->kind != SchemaKind::Object) {
            issues.add(codes::SchemaMismatch, Severity::Error, &path,
                backticked(path.render())
                    + " is a read-only property but was reported as a writable-property "
                      "acknowledgement (value/ac/av)",
                describeSchema(*first->schema), excerptJson(value),
                std::string("report read-only properties as plain values; only writable properties are acknowledged"));
            return;
        }
    }
    if (first->schema)
        checkValue(value, *first->schema, path, issues);
}

void PayloadValidator::checkAck(
    const json& value, const Capability& capability, const PathNode& path, IssueList& issues) const
{
    auto v = value.find("value");
    if (v == value.end()) {
        issues.add(codes::InvalidAck, Severity::Error, &path,
            "The acknowledgement of writable property " + backticked(capability.name) + " has no \"value\"",
            std::string(R"({"value", "ac", "av", "ad"?})"), excerptJson(value),
            std::string(R"(report {"value": <the applied value>, "ac": 200, "av": <desired $version>})"));
    } else if (capability.schema) {
        const PathNode valuePath { &path, "value" };
        checkValue(*v, *capability.schema, valuePath, issues);
    }
    for (const char* key : { "ac", "av" }) {
        auto it = value.find(key);
        const PathNode keyPath { &path, key };
        if (it == value.end()) {
            issues.add(codes::InvalidAck, Severity::Error, &keyPath,
                std::string("The acknowledgement of ") + backticked(capability.name) + " has no \"" + key + "\" ("
                    + (key[1] == 'c' ? "the status code, e.g. 200" : "the desired $version it acknowledges") + ")",
                std::string("an integer"), std::nullopt);
        } else if (!isIntegralNumber(*it)) {
            issues.add(codes::InvalidAck, Severity::Error, &keyPath,
                std::string("\"") + key + "\" in the acknowledgement of " + backticked(capability.name)
                    + " must be an integer",
                std::string("an integer"), excerptJson(*it));
        }
    }
    if (auto ad = value.find("ad"); ad != value.end() && !ad->is_string() && !ad->is_null()) {
        const PathNode keyPath { &path, "ad" };
        issues.add(codes::InvalidAck, Severity::Warning, &keyPath,
            "\"ad\" (the description) in the acknowledgement of " + backticked(capability.name) + " should be a string",
            std::string("a string"), excerptJson(*ad));
    }
    for (const auto& [key, member] : value.items()) {
        if (key != "value" && key != "ac" && key != "av" && key != "ad") {
            const PathNode keyPath { &path, key };
            issues.add(codes::InvalidAck, Severity::Warning, &keyPath,
                backticked(key) + " is not part of a writable-property acknowledgement (value, ac, av, ad)",
                std::string("value, ac, av, ad"), key);
        }
    }
}

void PayloadValidator::reportUnmodeled(std::string_view name, const json& value, const Scope& scope,
    const CapabilityScope& where, const PathNode& path, IssueList& issues) const
{
    // A device that sends a wrong name sends it in every message: the finding (suggestions
    // included) is worked out once per name and place, then reused.
    std::string key = path.render();
    key += '\x1f';
    key += where.name;
    key += '\x1f';
    key += scope.context.module;
    key += scope.context.kind == PayloadKind::Telemetry ? "\x1ft" : "\x1fp";
    key += value.is_object() ? 'o' : 'v';
    {
        std::lock_guard lock(m_unmodeledMutex);
        if (auto it = m_unmodeledCache.find(key); it != m_unmodeledCache.end()) {
            issues.add(it->second);
            return;
        }
    }
    IssueList fresh;
    buildUnmodeled(name, value, scope, where, path, fresh);
    auto built = fresh.take();
    if (built.empty())
        return;
    {
        std::lock_guard lock(m_unmodeledMutex);
        if (m_unmodeledCache.size() >= 4096)
            m_unmodeledCache.clear(); // bounded: a flood of distinct names cannot grow it
        m_unmodeledCache.emplace(std::move(key), built.front());
    }
    issues.add(std::move(built.front()));
}

void PayloadValidator::buildUnmodeled(std::string_view name, const json& value, const Scope& scope,
    const CapabilityScope& where, const PathNode& path, IssueList& issues) const
{
    const PayloadKind kind = scope.context.kind;
    const std::string noun = payloadKindNoun(kind);
    std::string message = backticked(name) + " is not defined as "
        + (kind == PayloadKind::Telemetry ? std::string("telemetry") : std::string("a property")) + " in "
        + scopeText(where, scope.context.module) + " of the device template";
    std::optional<std::string> suggestion;

    // The same name with another capability kind in this scope (telemetry named like a command...).
    for (const auto* c : where.find(name)) {
        message += "; the template defines it as " + capabilityKindText(c->kind);
        break;
    }

    // The name differs only by case in this scope.
    for (const auto* c : where.findIgnoringCase(name)) {
        if (wanted(*c, kind)) {
            suggestion = "did you mean " + backticked(c->name) + "? Names are case-sensitive";
            break;
        }
    }

    // Defined elsewhere: in components when sent to the root, in the root or other components otherwise.
    if (!suggestion) {
        std::vector<std::string> exact, caseless;
        std::string caselessName;
        auto consider = [&](const CapabilityScope& other) {
            if (&other == &where)
                return;
            const std::string label = other.name.empty() ? std::string() : other.name; // empty = the root
            for (const auto* c : other.find(name)) {
                if (wanted(*c, kind)) {
                    exact.push_back(label);
                    return;
                }
            }
            for (const auto* c : other.findIgnoringCase(name)) {
                if (wanted(*c, kind) && (caselessName.empty() || caselessName == c->name)) {
                    caselessName = c->name;
                    caseless.push_back(label);
                    return;
                }
            }
        };
        consider(scope.model.root);
        for (const auto& component : scope.model.components)
            consider(component);
        const bool atRoot = !exact.empty() && exact.front().empty();
        if (atRoot) {
            suggestion = backticked(name) + " is defined at the root of the device, not in component " + where.name
                + (kind == PayloadKind::Telemetry ? ": send it without a component name (no dt-subject / $.sub)"
                                                  : ": report it at the top level, outside the component section");
        } else if (!caseless.empty() && caseless.front().empty()) {
            suggestion = "did you mean " + backticked(caselessName)
                + " (at the root, without a component)? Names are "
                  "case-sensitive";
        } else if (!exact.empty()) {
            suggestion = backticked(name) + " is defined in " + (exact.size() == 1 ? "component " : "components ")
                + joinNames(exact) + ": send it as that component's " + noun
                + (kind == PayloadKind::Telemetry ? " (component name in dt-subject, MQTT $.sub=" + exact.front() + ")"
                                                  : " (inside {\"" + exact.front() + R"(": {"__t": "c", ...}}))");
        } else if (!caseless.empty()) {
            suggestion = "did you mean " + backticked(caselessName) + " (in " + joinNames(caseless)
                + ")? Names are case-sensitive";
        }
    }

    // A component name used as a telemetry field: the device nested component data in one message.
    if (!suggestion && kind == PayloadKind::Telemetry && scope.model.component(name) && value.is_object())
        suggestion = backticked(name)
            + " is a component: send its telemetry in its own message with the component name "
              "in dt-subject (MQTT $.sub="
            + std::string(name) + "), not nested under its name";

    // A near miss by spelling.
    if (!suggestion) {
        const size_t max = suggestionDistance(name);
        size_t best = max + 1;
        const Capability* bestCap = nullptr;
        if (max > 0) {
            for (const auto& c : where.capabilities()) {
                if (!wanted(c, kind))
                    continue;
                const size_t d = editDistance(name, c.name, max);
                if (d < best) {
                    best = d;
                    bestCap = &c;
                }
            }
        }
        if (bestCap)
            suggestion = "did you mean " + backticked(bestCap->name) + "?";
    }

    std::vector<std::string> known;
    for (const auto& c : where.capabilities()) {
        if (wanted(c, kind) && std::find(known.begin(), known.end(), c.name) == known.end())
            known.push_back(c.name);
    }
    std::string expected = known.empty()
        ? std::string("no ") + noun + " is defined in " + scopeText(where, scope.context.module)
        : std::string(noun == "telemetry" ? "telemetry" : "a property") + " of "
            + scopeText(where, scope.context.module) + ": " + joinNames(known);
    if (!suggestion && known.empty())
        suggestion = std::string("add ") + backticked(name) + " to the device template, or stop sending it";
    Issue issue;
    issue.code = std::string(codes::UnmodeledCapability);
    issue.severity = Severity::Warning;
    issue.path = path.render();
    issue.message = std::move(message);
    issue.expected = std::move(expected);
    issue.actual = std::string(name);
    issue.suggestion = std::move(suggestion);
    issues.add(std::move(issue));
}

} // namespace iotc
