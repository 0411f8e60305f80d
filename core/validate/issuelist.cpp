#include "issuelist.h"

#include <vector>

namespace iotc {

bool isValidFieldName(std::string_view name)
{
    if (name.empty())
        return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!alpha(name[0]))
        return false;
    for (char c : name.substr(1)) {
        if (!alpha(c) && !(c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

std::string PathNode::render() const
{
    std::vector<const PathNode*> chain;
    for (const PathNode* n = this; n; n = n->parent) {
        if (n->index >= 0 || !n->key.empty())
            chain.push_back(n);
    }
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const PathNode* n = *it;
        if (n->index >= 0) {
            out += '[';
            out += std::to_string(n->index);
            out += ']';
        } else if (isValidFieldName(n->key)) {
            if (!out.empty())
                out += '.';
            out += n->key;
        } else {
            out += "[";
            out += PayloadJson(std::string(n->key)).dump(-1, ' ', false, PayloadJson::error_handler_t::replace);
            out += "]";
        }
    }
    return out;
}

void IssueList::add(Issue issue)
{
    if (m_issues.size() >= m_cap) {
        ++m_dropped;
        return;
    }
    m_issues.push_back(std::move(issue));
}

void IssueList::add(std::string_view code, Severity severity, const PathNode* path, std::string message,
    std::optional<std::string> expected, std::optional<std::string> actual, std::optional<std::string> suggestion)
{
    if (m_issues.size() >= m_cap) {
        ++m_dropped;
        return;
    }
    Issue issue;
    issue.code = std::string(code);
    issue.severity = severity;
    if (path)
        issue.path = path->render();
    issue.message = std::move(message);
    issue.expected = std::move(expected);
    issue.actual = std::move(actual);
    issue.suggestion = std::move(suggestion);
    m_issues.push_back(std::move(issue));
}

std::vector<Issue> IssueList::take()
{
    if (m_dropped > 0) {
        Issue issue;
        issue.code = std::string(codes::TooManyIssues);
        issue.severity = Severity::Info;
        issue.message = std::to_string(m_dropped) + " more issue(s) in this message were not listed (limit "
            + std::to_string(m_cap) + " per message)";
        issue.actual = std::to_string(m_dropped);
        m_issues.push_back(std::move(issue));
        m_dropped = 0;
    }
    return std::move(m_issues);
}

std::string backticked(std::string_view name)
{
    std::string out;
    out.reserve(name.size() + 2);
    out += '`';
    out += name;
    out += '`';
    return out;
}

std::string excerptJson(const PayloadJson& value, size_t maxLength)
{
    std::string text = value.dump(-1, ' ', false, PayloadJson::error_handler_t::replace);
    if (text.size() > maxLength) {
        size_t cut = maxLength;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut; // do not split a UTF-8 sequence
        text.resize(cut);
        text += "…";
    }
    return text;
}

} // namespace iotc
