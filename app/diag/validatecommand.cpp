#include "arguments.h"
#include "batchvalidate.h"
#include "commands.h"
#include "inputfile.h"
#include "templateloading.h"
#include "textoutput.h"

#include "validate/issuejson.h"
#include "validate/payloadvalidator.h"

#include <cstdio>

namespace iotc::cli {

namespace {

constexpr const char* Usage
    = "usage: iotc-diag validate --template FILE (--payload FILE|- | --payloads FILE.jsonl)\n"
      "                          [--component NAME] [--module NAME] [--model-id DTMI]\n"
      "                          [--content-type T] [--content-encoding E] [--properties]\n"
      "                          [--edge-version V] [--models DIR] [--output json|text]\n"
      "Validates a device payload against its device template. Omitted --content-type /\n"
      "--content-encoding mean the message carried none. Exit 0: no errors, 1: errors, 2: usage.\n";

} // namespace

int runValidate(const std::vector<std::string>& words)
{
    const auto args = parseArguments(words,
        { "template", "payload", "payloads", "component", "module", "model-id", "content-type", "content-encoding",
            "edge-version", "models", "output" },
        { "properties", "help" });
    if (args.has("help")) {
        std::fputs(Usage, stdout);
        return ExitOk;
    }
    std::string problem = args.error;
    if (problem.empty() && !args.value("template"))
        problem = "--template is required";
    if (problem.empty() && args.has("payload") == args.has("payloads"))
        problem = "give exactly one of --payload or --payloads";
    if (problem.empty() && !args.positional.empty())
        problem = "unexpected argument " + args.positional.front();
    OptionReader options(args);
    const std::string output = options.choice("output", "text", { "json", "text" });
    if (problem.empty())
        problem = options.error();
    if (!problem.empty()) {
        std::fprintf(stderr, "iotc-diag validate: %s\n%s", problem.c_str(), Usage);
        return ExitUsage;
    }

    const auto tpl = loadTemplateOrReport(*args.value("template"), args.value("models").value_or(""));
    if (!tpl)
        return ExitUsage;
    const PayloadValidator validator(tpl);

    MessageContext context;
    context.kind = args.has("properties") ? PayloadKind::ReportedProperties : PayloadKind::Telemetry;
    context.contentType = args.value("content-type");
    context.contentEncoding = args.value("content-encoding");
    context.component = args.value("component").value_or("");
    context.module = args.value("module").value_or("");
    context.modelId = args.value("model-id").value_or("");
    context.edgeRuntimeVersion = args.value("edge-version");

    if (auto batch = args.value("payloads")) {
        BatchSummary summary;
        if (!runBatch(validator, *batch, context, output == "json", stdout, summary))
            return ExitUsage;
        return summary.withErrors > 0 ? ExitProblem : ExitOk;
    }

    std::string body;
    std::string readError;
    if (!readInputFile(*args.value("payload"), body, readError)) {
        std::fprintf(stderr, "iotc-diag validate: --payload: %s\n", printable(readError).c_str());
        return ExitUsage;
    }
    const auto issues = validator.validate(body, context);
    if (output == "json") {
        std::string out = "{\"issues\":";
        appendIssuesJson(out, issues);
        out += "}\n";
        writeAll(stdout, out);
    } else {
        const bool colour = isTerminal(stdout);
        std::string out;
        for (const auto& i : issues)
            out += formatIssueText(i, colour);
        if (issues.empty())
            out = "No issues: the payload matches the template.\n";
        writeAll(stdout, out);
    }
    return hasErrors(issues) ? ExitProblem : ExitOk;
}

} // namespace iotc::cli
