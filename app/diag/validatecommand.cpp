#include "arguments.h"
#include "batchvalidate.h"
#include "commands.h"
#include "connectionoptions.h"
#include "inputfile.h"
#include "templateloading.h"
#include "textoutput.h"

#include "validate/issuejson.h"
#include "validate/payloadvalidator.h"

#include <cstdio>

namespace iotc::cli {

namespace {

// "1", "1.2", "1.2.0", "1.4.10": what an IoT Edge runtime reports as its version.
bool isVersionNumber(const std::string& text)
{
    int parts = 0;
    size_t at = 0;
    while (true) {
        const size_t dot = text.find('.', at);
        const std::string part = text.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos)
            return false;
        ++parts;
        if (dot == std::string::npos)
            return parts <= 4;
        at = dot + 1;
    }
}

} // namespace

int runValidate(const std::vector<std::string>& words)
{
    std::string output;
    const auto setup = setUpCommand("validate", words, { .check = [&](const Arguments& a) {
        std::string problem;
        if (!a.value("template"))
            problem = "--template is required";
        else if (a.has("payload") == a.has("payloads"))
            problem = "give exactly one of --payload or --payloads";
        OptionReader options(a);
        output = options.choice("output", "json", { "json", "text" });
        if (problem.empty())
            problem = options.error();
        if (const auto v = a.value("edge-version"); problem.empty() && v && !isVersionNumber(*v))
            problem = invalidValue("edge-version", *v, "a runtime version such as 1.2.0");
        return problem.empty() ? ExitOk : usageError(commandSpec("validate"), problem);
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;

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
