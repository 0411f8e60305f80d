#pragma once

#include "issue.h"

#include "template/schema.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace iotc {

// A field's place in the payload, built on the stack while walking it; rendered only when an
// issue needs it (keeps the happy path free of string building).
struct PathNode {
    const PathNode* parent = nullptr;
    std::string_view key; // object member name, or empty for an array element
    long index = -1; // array index, or -1

    std::string render() const;
};

// Collects the issues of one message, with a cap so a pathological payload cannot produce
// unbounded output. What is over the cap is counted and reported, never dropped silently.
class IssueList {
public:
    explicit IssueList(size_t cap = 200)
        : m_cap(cap)
    {
    }

    void add(Issue issue);
    void add(std::string_view code, Severity severity, const PathNode* path, std::string message,
        std::optional<std::string> expected = std::nullopt, std::optional<std::string> actual = std::nullopt,
        std::optional<std::string> suggestion = std::nullopt);
    // The issues, with a last too-many-issues entry when some were over the cap.
    std::vector<Issue> take();

private:
    std::vector<Issue> m_issues;
    size_t m_cap;
    size_t m_dropped = 0;
};

// Quotes a name for messages: `name`.
std::string backticked(std::string_view name);

// A JSON value as compact text for "actual", cut to a readable length.
std::string excerptJson(const PayloadJson& value, size_t maxLength = 120);

bool isValidFieldName(std::string_view name);

} // namespace iotc
