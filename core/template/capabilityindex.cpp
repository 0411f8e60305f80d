#include "capabilityindex.h"

#include "util/asciistrings.h"

#include <algorithm>

namespace iotc {

const char* capabilityKindName(CapabilityKind kind)
{
    switch (kind) {
    case CapabilityKind::Telemetry:
        return "telemetry";
    case CapabilityKind::Property:
        return "property";
    case CapabilityKind::CloudProperty:
        return "cloudProperty";
    case CapabilityKind::Command:
        return "command";
    case CapabilityKind::Relationship:
        return "relationship";
    case CapabilityKind::Other:
        return "other";
    }
    return "other";
}

void CapabilityScope::add(Capability capability)
{
    const auto index = static_cast<uint32_t>(m_capabilities.size());
    if (!capability.interfaceId.empty()
        && std::find(m_interfaces.begin(), m_interfaces.end(), capability.interfaceId) == m_interfaces.end())
        m_interfaces.push_back(capability.interfaceId);
    m_byName[capability.name].push_back(index);
    m_byLowerName[asciiLower(capability.name)].push_back(index);
    m_capabilities.push_back(std::move(capability));
}

std::vector<const Capability*> CapabilityScope::find(std::string_view name) const
{
    std::vector<const Capability*> out;
    if (auto it = m_byName.find(name); it != m_byName.end()) {
        out.reserve(it->second.size());
        for (auto i : it->second)
            out.push_back(&m_capabilities[i]);
    }
    return out;
}

std::span<const uint32_t> CapabilityScope::indicesOf(std::string_view name) const
{
    if (auto it = m_byName.find(name); it != m_byName.end())
        return it->second;
    return {};
}

std::vector<const Capability*> CapabilityScope::findIgnoringCase(std::string_view name) const
{
    std::vector<const Capability*> out;
    if (auto it = m_byLowerName.find(asciiLower(name)); it != m_byLowerName.end()) {
        for (auto i : it->second) {
            if (m_capabilities[i].name != name)
                out.push_back(&m_capabilities[i]);
        }
    }
    return out;
}

const CapabilityScope* ModelIndex::component(std::string_view name) const
{
    for (const auto& c : components) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

std::vector<std::string> ModelIndex::componentNames() const
{
    std::vector<std::string> names;
    names.reserve(components.size());
    for (const auto& c : components)
        names.push_back(c.name);
    return names;
}

const ModuleIndex* DeviceTemplate::module(std::string_view name) const
{
    for (const auto& m : modules) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

} // namespace iotc
