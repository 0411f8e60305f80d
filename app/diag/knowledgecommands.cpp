#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "inputfile.h"
#include "textoutput.h"

#include "knowledge/advice.h"
#include "knowledge/logscanner.h"
#include "util/redact.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace iotc::cli {

namespace {

using nlohmann::json;

json entryJson(const KnowledgeEntry& e)
{
    return {
        { "code", e.code },
        { "kind", e.kind },
        { "title", e.title },
        { "description", e.description },
        { "mitigation", e.mitigation },
        { "severity", severityName(e.severity) },
        { "httpStatus", e.httpStatus ? json(*e.httpStatus) : json() },
        { "aliases", e.aliases },
        { "source", e.source },
    };
}

std::string dump(const json& j)
{
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// A device log's lines often hold connection strings and tokens: never echoed as they are.
std::string redacted(const std::string& text)
{
    return redactSecrets(QString::fromStdString(text)).toStdString();
}

// The advice book's texts for a code of ours (an issue, a diagnosis cause or a check's finding),
// every kind that has it: the same code may be both an issue and a cause, with different words.
struct AdviceMatch {
    const char* kind; // "issue", "cause", "finding"
    const Advice* advice;
};

std::vector<AdviceMatch> adviceMatches(const std::string& query)
{
    std::string code;
    for (const char c : query)
        code += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; // the codes are lower-case
    std::vector<AdviceMatch> out;
    for (const auto& [kind, name] : { std::pair { AdviceKind::Issue, "issue" },
             std::pair { AdviceKind::Cause, "cause" }, std::pair { AdviceKind::Finding, "finding" } })
        if (const Advice* a = adviceFor(kind, code))
            out.push_back({ name, a });
    return out;
}

// The shape of entryJson: the advice has no severity, HTTP status or aliases; its link is the source.
json adviceJson(const AdviceMatch& m)
{
    return {
        { "code", m.advice->code },
        { "kind", m.kind },
        { "title", m.advice->title },
        { "description", m.advice->meaning },
        { "mitigation", m.advice->whatToDo },
        { "severity", json() },
        { "httpStatus", json() },
        { "aliases", json::array() },
        { "source", m.advice->docs },
    };
}

std::string adviceText(const AdviceMatch& m)
{
    std::string out = m.advice->code + " - " + m.advice->title + " (" + m.kind + ")\n";
    if (!m.advice->meaning.empty())
        out += "  " + m.advice->meaning + "\n";
    out += "  What to do: " + m.advice->whatToDo + "\n";
    if (!m.advice->docs.empty())
        out += "  More: " + m.advice->docs + "\n";
    return out + "\n";
}

bool outputOption(const Arguments& args, const char* command, bool& jsonOutput)
{
    OptionReader options(args);
    jsonOutput = options.choice("output", "json", { "json", "text" }) == "json";
    if (!options.ok())
        options.fail(command);
    return options.ok();
}

} // namespace

int runExplain(const std::vector<std::string>& words)
{
    bool jsonOutput = true;
    const auto setup = setUpCommand("explain", words,
        { .check = [&](const Arguments& a) { return outputOption(a, "explain", jsonOutput) ? ExitOk : ExitUsage; } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    std::string query;
    for (const auto& w : args.positional)
        query += (query.empty() ? "" : " ") + w;
    const auto found = KnowledgeBase::builtIn().search(query);
    // Nothing from the guide: our own codes (unmodeled-capability, no-data ...) have advice.
    const auto advice = found.empty() ? adviceMatches(query) : std::vector<AdviceMatch> {};
    if (jsonOutput) {
        json list = json::array();
        for (const auto* e : found)
            list.push_back(entryJson(*e));
        for (const auto& m : advice)
            list.push_back(adviceJson(m));
        writeAll(stdout, dump({ { "query", query }, { "entries", list } }));
    } else {
        std::string out;
        for (const auto* e : found)
            out += e->code + " - " + e->title + " (" + severityName(e->severity) + ")\n  " + e->description
                + "\n  What to do: " + e->mitigation + "\n\n";
        for (const auto& m : advice)
            out += adviceText(m);
        if (found.empty() && advice.empty())
            out = "Nothing in the knowledge base matches \"" + printable(query) + "\".\n";
        writeAll(stdout, out);
    }
    return found.empty() && advice.empty() ? ExitProblem : ExitOk;
}

int runScanLog(const std::vector<std::string>& words)
{
    bool jsonOutput = true;
    const auto setup = setUpCommand("scan-log", words,
        { .check = [&](const Arguments& a) { return outputOption(a, "scan-log", jsonOutput) ? ExitOk : ExitUsage; } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    std::string bytes;
    std::string readError;
    if (!readInputFile(args.positional.front(), bytes, readError, MaxLogBytes)) {
        std::fprintf(stderr, "iotc-diag scan-log: %s\n", printable(readError).c_str());
        return ExitUsage;
    }
    const auto scan = scanLog(bytes);
    const auto headline = logHeadline(scan); // the cause the log points to, with what to do
    if (jsonOutput) {
        json list = json::array();
        for (const auto& f : scan.findings) {
            list.push_back({ { "line", f.line }, { "text", redacted(f.text) }, { "matched", redacted(f.matched) },
                { "code", f.entry->code }, { "title", f.entry->title }, { "explanation", f.entry->description },
                { "mitigation", f.entry->mitigation }, { "severity", severityName(f.entry->severity) } });
        }
        json head; // null when the log shows no error
        if (headline) {
            const auto& f = scan.findings[headline->finding];
            head = { { "cause", headline->cause },
                { "title", headline->advice ? headline->advice->title : f.entry->title },
                { "whatToDo", headline->advice ? headline->advice->whatToDo : f.entry->mitigation },
                { "code", f.entry->code }, { "line", f.line }, { "occurrences", headline->occurrences } };
        }
        writeAll(stdout,
            dump({ { "headline", head }, { "findings", list }, { "lines", scan.lines }, { "dropped", scan.dropped } }));
    } else {
        const bool colour = isTerminal(stdout);
        std::string out;
        if (headline) {
            const auto& f = scan.findings[headline->finding];
            out += "Headline: " + (headline->advice ? headline->advice->title : f.entry->title) + " [" + headline->cause
                + "] (" + f.entry->code + " at line " + std::to_string(f.line)
                + ")\n  What to do: " + (headline->advice ? headline->advice->whatToDo : f.entry->mitigation) + "\n\n";
        }
        for (const auto& f : scan.findings) {
            Issue issue;
            issue.code = f.entry->code;
            issue.severity = f.entry->severity;
            issue.path = "line " + std::to_string(f.line);
            issue.message = f.entry->title + ": " + f.entry->description;
            issue.actual = redacted(f.matched);
            issue.suggestion = f.entry->mitigation;
            out += formatIssueText(issue, colour);
        }
        out += std::to_string(scan.findings.size()) + " finding(s) in " + std::to_string(scan.lines) + " line(s)"
            + (scan.dropped ? ", " + std::to_string(scan.dropped) + " more not listed" : std::string()) + "\n";
        writeAll(stdout, out);
    }
    return scan.findings.empty() ? ExitOk : ExitProblem;
}

} // namespace iotc::cli
