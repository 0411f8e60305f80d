#pragma once

#include <QByteArray>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace iotc {

// What a code means and what to do about it, in our words. Data: resources/knowledge/advice.json.
// The same code may name a diagnosis cause and an issue (invalid-json ...) with different texts, so
// every lookup says which kind it means.
enum class AdviceKind {
    Cause, // a diagnosis verdict: causeRanking() in diagnose/diagnosis.h
    Issue, // an issue code on a message or a property: codes:: in validate/issue.h
    Finding, // a finding of one diagnosis check that is neither (dps-unreachable ...)
};

struct Advice {
    std::string code;
    std::string title; // a headline: for causes, the verdict itself
    std::string meaning; // what it means; may be empty for causes, whose title says it
    std::string whatToDo; // never empty
    std::string docs; // a link to read more, or empty
};

class AdviceBook {
public:
    // Throws std::runtime_error when the data is unusable: not JSON, over the size limits, an entry
    // without code or what to do, or a code twice in one kind.
    static AdviceBook fromJson(const QByteArray& json);
    // Loaded once from the resources, thread-safe. Never throws: a broken resource gives an empty
    // book whose loadError() says why (and the tests fail).
    static const AdviceBook& builtIn();

    // Exact, case-sensitive code (the codes are stable, lower-case); null when there is none.
    const Advice* find(AdviceKind kind, std::string_view code) const;
    const std::vector<Advice>& entries(AdviceKind kind) const;
    const std::string& loadError() const { return m_error; }

private:
    std::array<std::vector<Advice>, 3> m_entries;
    std::string m_error;
};

// AdviceBook::builtIn().find(kind, code).
const Advice* adviceFor(AdviceKind kind, std::string_view code);

// "<what it means> What to do: <what to do>" for an issue code from the advice book, else for a code
// the knowledge base knows (error codes, provisioning statuses); empty when neither knows it.
std::string issueAdviceText(std::string_view code);

} // namespace iotc
