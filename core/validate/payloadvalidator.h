#pragma once

#include "issue.h"
#include "issuelist.h"
#include "messagecontext.h"
#include "template/capabilityindex.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace iotc {

// Judges device payloads (telemetry or reported properties) against one device template.
// Thread-safe: validate() only reads the template.
class PayloadValidator {
public:
    explicit PayloadValidator(std::shared_ptr<const DeviceTemplate> deviceTemplate);

    // parsed, when given, receives the decoded JSON (discarded when the body is not JSON).
    std::vector<Issue> validate(
        std::string_view body, const MessageContext& context, PayloadJson* parsed = nullptr) const;

    // The same for a body already decoded as JSON (the batch form carries bodies as JSON values).
    std::vector<Issue> validateParsed(const PayloadJson& document, const MessageContext& context) const;

    const DeviceTemplate& deviceTemplate() const { return *m_template; }

private:
    struct Scope;

    void checkDocument(const PayloadJson& document, const MessageContext& context, IssueList& issues) const;
    void checkTelemetry(const PayloadJson& payload, const Scope& scope, IssueList& issues) const;
    void checkProperties(const PayloadJson& payload, const Scope& scope, IssueList& issues) const;
    void checkCapability(std::string_view name, const PayloadJson& value, const Scope& scope,
        const CapabilityScope& where, const PathNode& path, IssueList& issues) const;
    void checkAck(
        const PayloadJson& value, const Capability& capability, const PathNode& path, IssueList& issues) const;
    void reportUnmodeled(std::string_view name, const PayloadJson& value, const Scope& scope,
        const CapabilityScope& where, const PathNode& path, IssueList& issues) const;
    void buildUnmodeled(std::string_view name, const PayloadJson& value, const Scope& scope,
        const CapabilityScope& where, const PathNode& path, IssueList& issues) const;
    void reportUnknownComponent(
        std::string_view component, const ModelIndex& model, const PathNode* path, IssueList& issues) const;

    std::shared_ptr<const DeviceTemplate> m_template;
    mutable std::mutex m_unmodeledMutex;
    mutable std::unordered_map<std::string, Issue> m_unmodeledCache;
};

} // namespace iotc
