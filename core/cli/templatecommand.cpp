#include "arguments.h"
#include "commands.h"
#include "templateloading.h"
#include "textoutput.h"

#include "template/modelrepository.h"
#include "template/templatejson.h"
#include "template/templateparser.h"

#include <cstdio>

namespace iotc::cli {

std::shared_ptr<const DeviceTemplate> loadTemplateOrReport(const std::string& file, const std::string& models)
{
    try {
        return std::make_shared<const DeviceTemplate>(loadTemplateFile(file, models));
    } catch (const TemplateError& e) {
        std::fprintf(stderr, "iotc-diag: cannot use the template: %s\n", e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iotc-diag: cannot use the template %s: %s\n", file.c_str(), e.what());
    }
    return nullptr;
}

namespace {

std::string scopeText(const CapabilityScope& scope, const std::string& indent)
{
    std::string out;
    for (const auto& c : scope.capabilities()) {
        out += indent + c.name + "  " + capabilityKindName(c.kind);
        if (c.schema)
            out += "  " + c.schema->typeName;
        if (c.writable)
            out += "  writable";
        if (!c.interfaceId.empty())
            out += "  (" + c.interfaceId + ")";
        out += "\n";
    }
    return out;
}

std::string modelText(const ModelIndex& model, const std::string& indent)
{
    std::string out = indent + "root:\n" + scopeText(model.root, indent + "  ");
    for (const auto& c : model.components)
        out += indent + "component " + c.name + " (" + c.interfaceId + "):\n" + scopeText(c, indent + "  ");
    return out;
}

} // namespace

int runTemplate(const std::vector<std::string>& words)
{
    const auto args = parseArguments(words, { "template", "models", "output" }, { "help" });
    if (args.has("help")) {
        std::puts("usage: iotc-diag template --template FILE [--models DIR] [--output json|text]\n"
                  "Prints the device template's flattened capability index.");
        return ExitOk;
    }
    if (!args.error.empty() || !args.value("template")) {
        std::fprintf(stderr,
            "iotc-diag template: %s\nusage: iotc-diag template --template FILE [--models DIR] "
            "[--output json|text]\n",
            args.error.empty() ? "--template is required" : args.error.c_str());
        return ExitUsage;
    }
    const std::string output = args.value("output").value_or("json");
    if (output != "json" && output != "text") {
        std::fprintf(stderr, "iotc-diag template: --output must be json or text\n");
        return ExitUsage;
    }
    const auto tpl = loadTemplateOrReport(*args.value("template"), args.value("models").value_or(""));
    if (!tpl)
        return ExitUsage;
    if (output == "json") {
        writeAll(stdout, templateToJson(*tpl).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        return ExitOk;
    }
    std::string out = "template " + tpl->id + (tpl->displayName.empty() ? "" : " \"" + tpl->displayName + "\"") + "\n";
    for (const auto& note : tpl->notes)
        out += "note: " + note + "\n";
    out += modelText(tpl->model, "");
    for (const auto& m : tpl->modules)
        out += "module " + m.name + " (" + m.modelId + "):\n" + modelText(m.model, "  ");
    writeAll(stdout, out);
    return ExitOk;
}

} // namespace iotc::cli
