#pragma once

#include "schema.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace iotc {

// What a template entry is. Telemetry must only match Telemetry and reported properties only
// Property: a command or relationship name sent as telemetry is unmodeled.
enum class CapabilityKind { Telemetry, Property, CloudProperty, Command, Relationship, Other };

const char* capabilityKindName(CapabilityKind kind);

struct Capability {
    std::string name;
    CapabilityKind kind = CapabilityKind::Other;
    bool writable = false;
    SchemaPtr schema; // null for commands, relationships and entries without a schema
    std::string interfaceId; // the interface that defines it (own or inherited)
    std::string displayName;
};

struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view> {}(s); }
};

// The capabilities visible in one place of the device: the root (own + inherited interfaces) or
// one component. Names may repeat when several interfaces define them.
class CapabilityScope {
public:
    std::string name; // component name; empty for the root
    std::string interfaceId; // the root interface or the component's schema

    void add(Capability capability);
    const std::vector<Capability>& capabilities() const { return m_capabilities; }
    std::vector<const Capability*> find(std::string_view name) const;
    // The same without allocating: positions in capabilities(), empty when the name is unknown.
    std::span<const uint32_t> indicesOf(std::string_view name) const;
    // Names equal ignoring ASCII case (not the exact name).
    std::vector<const Capability*> findIgnoringCase(std::string_view name) const;
    // Interface ids in the order they contributed capabilities.
    const std::vector<std::string>& interfaces() const { return m_interfaces; }

private:
    std::vector<Capability> m_capabilities;
    std::unordered_map<std::string, std::vector<uint32_t>, TransparentHash, std::equal_to<>> m_byName;
    std::unordered_map<std::string, std::vector<uint32_t>, TransparentHash, std::equal_to<>> m_byLowerName;
    std::vector<std::string> m_interfaces;
};

// A capability model flattened: its root scope and its components.
struct ModelIndex {
    CapabilityScope root;
    std::vector<CapabilityScope> components;

    const CapabilityScope* component(std::string_view name) const;
    std::vector<std::string> componentNames() const;
};

struct ModuleIndex {
    std::string name; // the EdgeModule relationship's name, which is the module id on the device
    std::string displayName;
    std::string modelId;
    ModelIndex model;
};

// A device template (IoT Central REST shape, a plain DTDL interface or the legacy v1 shape)
// flattened for validation.
struct DeviceTemplate {
    std::string id; // template id (REST "@id"/"id") or the root interface's DTMI
    std::string displayName;
    std::string modelId; // the capability model's DTMI
    ModelIndex model;
    std::vector<ModuleIndex> modules;
    std::vector<std::string> notes; // things worth telling the user (legacy shape, ...)
    bool legacyV1 = false;

    const ModuleIndex* module(std::string_view name) const;
};

} // namespace iotc
