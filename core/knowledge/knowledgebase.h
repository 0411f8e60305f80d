#pragma once

#include "validate/issue.h"

#include <QByteArray>

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace iotc {

// One error code or status the troubleshooting guide (and a device developer's day) knows, with
// what it means and what to do, in our words. Data: resources/knowledge/codes.json.
struct KnowledgeEntry {
    std::string code; // as the guide writes it: 401002, IoTHubUnauthorized, DEVICE_BLOCKED, 429, blocked ...
    std::string kind; // dps, iothub, file-upload, mqtt, amqp, tls, dns, network, provisioning-status
    std::string title;
    std::string description;
    std::string mitigation;
    std::string source;
    Severity severity = Severity::Error;
    std::optional<int> httpStatus;
    std::vector<std::string> aliases;
    std::vector<std::string> supersedes; // more general codes this one makes redundant on a line
    // The diagnosis cause (advice.json "causes") this code in a device log is evidence of, when it
    // names one of its own (401002: dps-invalid-credentials, 403006: file-upload-limit-exceeded);
    // empty for the rest, which logCause() in logscanner.h reports together.
    std::string cause;
    std::vector<std::regex> patterns; // how it shows up in device logs
    // Lower-case substrings of which every match of the patterns contains at least one: a cheap test
    // that spares the regexes on almost every line, and on most of a long line.
    std::vector<std::string> anchors;
};

class KnowledgeBase {
public:
    // Throws std::runtime_error when the data is unusable (bad JSON, bad pattern).
    static KnowledgeBase fromJson(const QByteArray& json);
    static const KnowledgeBase& builtIn();

    const std::vector<KnowledgeEntry>& entries() const { return m_entries; }
    // By code or alias, ignoring case; numeric codes match exactly.
    const KnowledgeEntry* byCode(std::string_view code) const;
    // The same, only among the entries of one kind (dps, iothub ...): a code two services both
    // answer (404, 429) means what the service that answered says it means.
    const KnowledgeEntry* byCode(std::string_view code, std::string_view kind) const;
    // A code or alias first; otherwise entries whose code, title or description contain every word.
    std::vector<const KnowledgeEntry*> search(std::string_view text) const;

private:
    std::vector<KnowledgeEntry> m_entries;
};

} // namespace iotc
