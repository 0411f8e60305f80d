#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "inputfile.h"
#include "textoutput.h"

#include "knowledge/logscanner.h"
#include "report/redact.h"

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
    if (jsonOutput) {
        json list = json::array();
        for (const auto* e : found)
            list.push_back(entryJson(*e));
        writeAll(stdout, dump({ { "query", query }, { "entries", list } }));
    } else {
        std::string out;
        for (const auto* e : found)
            out += e->code + " - " + e->title + " (" + severityName(e->severity) + ")\n  " + e->description
                + "\n  What to do: " + e->mitigation + "\n\n";
        if (found.empty())
            out = "Nothing in the knowledge base matches \"" + printable(query) + "\".\n";
        writeAll(stdout, out);
    }
    return found.empty() ? ExitProblem : ExitOk;
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
    if (jsonOutput) {
        json list = json::array();
        for (const auto& f : scan.findings) {
            list.push_back({ { "line", f.line }, { "text", redacted(f.text) }, { "matched", redacted(f.matched) },
                { "code", f.entry->code }, { "title", f.entry->title }, { "explanation", f.entry->description },
                { "mitigation", f.entry->mitigation }, { "severity", severityName(f.entry->severity) } });
        }
        writeAll(stdout, dump({ { "findings", list }, { "lines", scan.lines }, { "dropped", scan.dropped } }));
    } else {
        const bool colour = isTerminal(stdout);
        std::string out;
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
