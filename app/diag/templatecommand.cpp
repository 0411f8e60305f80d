#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "templateloading.h"
#include "templatetext.h"
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
        std::fprintf(stderr, "iotc-diag: cannot use the template: %s\n", printable(e.what()).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iotc-diag: cannot use the template %s: %s\n", printable(file).c_str(),
            printable(e.what()).c_str());
    }
    return nullptr;
}

std::shared_ptr<TemplateResolver> resolverFromArguments(const Arguments& args, std::shared_ptr<CentralClient> client)
{
    if (auto file = args.value("template")) {
        auto tpl = loadTemplateOrReport(*file, args.value("models").value_or(""));
        return tpl ? std::make_shared<TemplateResolver>(tpl) : nullptr;
    }
    return std::make_shared<TemplateResolver>(std::move(client));
}

namespace {

// Every name below comes from the template file: printed through printable(). One aligned row per
// capability: name, kind, schema, writable, interface.
std::string scopeText(const CapabilityScope& scope, const std::string& indent)
{
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : scope.capabilities())
        rows.push_back({ printable(c.name), capabilityKindName(c.kind),
            c.schema ? printable(c.schema->typeName) : std::string(), c.writable ? "writable" : "",
            c.interfaceId.empty() ? std::string() : "(" + printable(c.interfaceId) + ")" });
    return alignedRows(rows, indent.size());
}

std::string modelText(const ModelIndex& model, const std::string& indent)
{
    std::string out = indent + "root:\n" + scopeText(model.root, indent + "  ");
    for (const auto& c : model.components)
        out += indent + "component " + printable(c.name) + " (" + printable(c.interfaceId) + "):\n"
            + scopeText(c, indent + "  ");
    return out;
}

} // namespace

int runTemplate(const std::vector<std::string>& words)
{
    std::string output;
    const auto setup = setUpCommand("template", words, { .check = [&](const Arguments& a) {
        if (!a.value("template"))
            return usageError(commandSpec("template"), "--template is required");
        OptionReader options(a);
        output = options.choice("output", "json", { "json", "text" });
        return options.ok() ? ExitOk : options.fail("template");
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const auto tpl = loadTemplateOrReport(*args.value("template"), args.value("models").value_or(""));
    if (!tpl)
        return ExitUsage;
    if (output == "json") {
        writeAll(stdout, templateToJson(*tpl).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        return ExitOk;
    }
    writeAll(stdout, templateIndexText(*tpl));
    return ExitOk;
}

std::string templateIndexText(const DeviceTemplate& tpl)
{
    std::string out = "template " + printable(tpl.id)
        + (tpl.displayName.empty() ? "" : " \"" + printable(tpl.displayName) + "\"") + "\n";
    for (const auto& note : tpl.notes)
        out += "note: " + printable(note) + "\n";
    out += modelText(tpl.model, "");
    for (const auto& m : tpl.modules)
        out += "module " + printable(m.name) + " (" + printable(m.modelId) + "):\n" + modelText(m.model, "  ");
    return out;
}

} // namespace iotc::cli
