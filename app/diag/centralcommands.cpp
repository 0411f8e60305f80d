#include "centraloutput.h"
#include "commands.h"
#include "connectionoptions.h"
#include "templatetext.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "central/devicefilter.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/devicestatus.h"
#include "provisioning/dpscheck.h"
#include "provisioning/provisioningcheck.h"
#include "template/templateparser.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <mutex>

namespace iotc::cli {

void printJson(const QJsonObject& o)
{
    writeAll(stdout, QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString());
}

int reportCentralError(const char* command, const CentralError& e)
{
    std::fprintf(stderr, "iotc-diag %s: %s\n", command, qPrintable(printable(e.summary()))); // the server's words
    if (e.knowledge)
        std::fprintf(stderr, "  what to do: %s\n", e.knowledge->mitigation.c_str());
    return ExitUsage;
}

namespace {

std::string yesNo(bool b)
{
    return b ? "true" : "false";
}

// device show --output text: the device's fields aligned, its status and what the status means.
std::string deviceText(const Device& d)
{
    const DeviceStatus status = deviceStatus(d);
    const KnowledgeEntry& meaning = statusKnowledge(status);
    const auto text = [](const QString& s, const char* none) {
        return s.isEmpty() ? std::string(none) : printable(s.toStdString());
    };
    return alignedRows({
        { "id", text(d.id, "") },
        { "display name", text(d.displayName, "(none)") },
        { "template", text(d.templateId, "(none)") },
        { "enabled", yesNo(d.enabled) },
        { "provisioned", yesNo(d.provisioned) },
        { "simulated", yesNo(d.simulated) },
        { "organizations", text(d.organizations.join(QStringLiteral(", ")), "(none)") },
        { "status", std::string(statusName(status)) + ": " + meaning.title },
        { "meaning", meaning.description },
        { "what to do", meaning.mitigation },
    });
}

// The command's --output (json or text), judged before anything connects.
std::function<int(const Arguments&)> outputCheck(const char* command, std::string& output)
{
    return [command, &output](const Arguments& args) {
        OptionReader options(args);
        output = options.choice("output", "json", { "json", "text" });
        return options.ok() ? ExitOk : options.fail(command);
    };
}

QJsonObject knowledgeFinding(const KnowledgeEntry& e, const QString& source, const QString& evidence)
{
    return { { QStringLiteral("code"), QString::fromStdString(e.code) },
        { QStringLiteral("title"), QString::fromStdString(e.title) },
        { QStringLiteral("explanation"), QString::fromStdString(e.description) },
        { QStringLiteral("mitigation"), QString::fromStdString(e.mitigation) },
        { QStringLiteral("severity"), QString::fromLatin1(severityName(e.severity)) },
        { QStringLiteral("source"), source }, { QStringLiteral("evidence"), evidence } };
}

QJsonObject deviceWithStatus(const Device& d)
{
    QJsonObject o = d.toJson();
    o.insert(QStringLiteral("status"), QString::fromLatin1(statusName(deviceStatus(d))));
    return o;
}

} // namespace

int runDevices(const std::vector<std::string>& words)
{
    DeviceListFilter filter;
    const auto setup = setUpCommand("devices", words, { .check = [&filter](const Arguments& args) {
        OptionReader options(args);
        options.choice("output", "json", { "json", "text" });
        const std::string status = options.choice(
            "status", "", { "provisioned", "registered", "blocked", "blocked-or-waiting-for-approval", "unassigned" });
        if (const auto tpl = args.value("template"); options.ok() && tpl && tpl->empty())
            return usageError(commandSpec("devices"), invalidValue("template", "", "a template id"));
        if (!options.ok())
            return options.fail("devices");
        filter.status = statusFromName(status); // nullopt: any status
        if (const auto tpl = args.value("template"); tpl && !tpl->empty())
            filter.templateId = QString::fromStdString(*tpl);
        filter.text = QString::fromStdString(args.value("search").value_or(""));
        return int(ExitOk);
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    CentralClient client(connection.profile);
    std::mutex mutex;
    QJsonArray list;
    auto future = client.listDevices([&](const QList<Device>& page) {
        std::lock_guard lock(mutex);
        for (const auto& d : page)
            if (matches(d, filter))
                list.append(deviceWithStatus(d));
        return true;
    });
    future.waitForFinished();
    const auto result = future.result();
    if (!result.ok())
        return reportCentralError("devices", result.error);
    if (args.value("output").value_or("json") == "text") {
        std::vector<std::vector<std::string>> rows { { "ID", "STATUS", "TEMPLATE", "DISPLAY NAME" } };
        const auto field = [](const QJsonObject& o, const char* key) {
            return printable(o.value(QLatin1String(key)).toString().toStdString());
        };
        for (const auto& v : list) {
            const auto o = v.toObject();
            rows.push_back({ field(o, "id"), field(o, "status"), field(o, "template"), field(o, "displayName") });
        }
        writeAll(stdout, alignedRows(rows) + std::to_string(list.size()) + " device(s)\n");
    } else {
        printJson({ { QStringLiteral("devices"), list }, { QStringLiteral("count"), list.size() } });
    }
    return ExitOk;
}

int runDeviceShow(const std::vector<std::string>& words)
{
    std::string output;
    const auto setup = setUpCommand("device show", words, { .check = outputCheck("device show", output) });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    CentralClient client(connection.profile);
    auto f = client.device(QString::fromStdString(args.positional[0]));
    f.waitForFinished();
    const auto r = f.result();
    if (!r.ok())
        return reportCentralError("device show", r.error);
    if (output == "text")
        writeAll(stdout, deviceText(*r.value));
    else
        printJson(deviceWithStatus(*r.value));
    return ExitOk;
}

int runTemplateShow(const std::vector<std::string>& words)
{
    std::string output;
    const auto setup = setUpCommand("template show", words, { .check = outputCheck("template show", output) });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    CentralClient client(connection.profile);
    auto f = client.deviceTemplate(QString::fromStdString(args.positional[0]));
    f.waitForFinished();
    const auto r = f.result();
    if (!r.ok())
        return reportCentralError("template show", r.error);
    if (output == "json") {
        printJson(*r.value);
        return ExitOk;
    }
    // The same index 'template --output text' prints, parsed as the monitor parses the app's templates.
    const QByteArray json = QJsonDocument(*r.value).toJson(QJsonDocument::Compact);
    try {
        const DeviceTemplate tpl
            = parseTemplateText(std::string_view(json.constData(), static_cast<size_t>(json.size())), "template");
        writeAll(stdout, templateIndexText(tpl));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iotc-diag template show: the application's template cannot be understood: %s\n",
            printable(e.what()).c_str());
        return ExitUsage;
    }
    return ExitOk;
}

int runRegistrationInfo(const std::vector<std::string>& words)
{
    std::string output;
    const auto setup = setUpCommand("registration-info", words, { .check = outputCheck("registration-info", output) });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    const QString id = QString::fromStdString(args.positional[0]);
    CentralClient client(connection.profile);
    const ProvisioningReport report = checkProvisioning(client, id);
    if (!report.ok())
        return reportCentralError("registration-info", report.error);
    const DeviceStatus status = report.status;
    const KnowledgeEntry& meaning = statusKnowledge(status);
    QJsonArray findings;
    if (status != DeviceStatus::Provisioned)
        findings.append(knowledgeFinding(meaning, QStringLiteral("status"),
            QStringLiteral("enabled=%1, provisioned=%2, template=%3")
                .arg(report.device.enabled ? QStringLiteral("true") : QStringLiteral("false"),
                    report.device.provisioned ? QStringLiteral("true") : QStringLiteral("false"),
                    report.device.templateId.isEmpty() ? QStringLiteral("none") : report.device.templateId)));

    auto note = [&](const char* code, const char* title, const char* severity, const QString& explanation,
                    const char* mitigation) {
        findings.append(QJsonObject { { QStringLiteral("code"), QLatin1String(code) },
            { QStringLiteral("title"), QLatin1String(title) }, { QStringLiteral("explanation"), explanation },
            { QStringLiteral("mitigation"), QLatin1String(mitigation) },
            { QStringLiteral("severity"), QLatin1String(severity) },
            { QStringLiteral("source"), QStringLiteral("dps") } });
    };
    QJsonValue dps;
    bool dpsProblem = false;
    if (!report.dps) {
        note("dps-not-checked", "DPS not checked", "info", report.dpsNote,
            "Use a token whose role can read device credentials (Administrator or Builder), or check the device's "
            "logs for DPS errors (iotc-diag scan-log).");
    } else if (!report.dps->reached()) {
        dpsProblem = true;
        note("dps-unreachable", "DPS could not be reached", "warning", report.dps->transportError.summary(),
            "Check --dps-endpoint and the network path to it.");
    } else {
        const DpsAnswer& answer = *report.dps;
        dps = answer.toJson();
        dpsProblem = report.dpsProblem();
        if (const KnowledgeEntry* e = dpsKnowledge(answer))
            findings.append(knowledgeFinding(*e, QStringLiteral("dps"), dpsAnswerText(answer)));
    }
    const Device& device = report.device;
    QJsonObject out { { QStringLiteral("deviceId"), id },
        { QStringLiteral("status"), QString::fromLatin1(statusName(status)) },
        { QStringLiteral("statusText"), QString::fromStdString(meaning.title) },
        { QStringLiteral("description"), QString::fromStdString(meaning.description) },
        { QStringLiteral("mitigation"), QString::fromStdString(meaning.mitigation) },
        { QStringLiteral("device"), deviceWithStatus(device) }, { QStringLiteral("dps"), dps },
        { QStringLiteral("findings"), findings } };
    if (output == "text") {
        std::string text = printable(id.toStdString()) + ": " + meaning.title + "\n  " + meaning.description
            + "\n  What to do: " + meaning.mitigation + "\n";
        if (dps.isObject()) {
            // DPS's own answer, field by field (what it left out, it did not say).
            std::vector<std::vector<std::string>> rows;
            const QJsonObject answer = dps.toObject();
            for (auto it = answer.begin(); it != answer.end(); ++it) {
                if (it.value().isNull() || it.value().isUndefined())
                    continue;
                const QJsonValue v = it.value();
                rows.push_back({ printable(it.key().toStdString()),
                    v.isString() ? printable(v.toString().toStdString())
                                 : printable(QJsonDocument(QJsonArray { v })
                                                 .toJson(QJsonDocument::Compact)
                                                 .mid(1)
                                                 .chopped(1)
                                                 .toStdString()) });
            }
            text += "  DPS answered:\n" + alignedRows(rows, 4);
        }
        for (const auto& f : findings) {
            const auto o = f.toObject();
            if (o.value(QStringLiteral("source")).toString() == QLatin1String("status"))
                continue; // the status, its meaning and what to do head the text already
            const auto field
                = [&o](const char* key) { return printable(o.value(QLatin1String(key)).toString().toStdString()); };
            text += "  - " + field("code") + ": " + field("explanation") + "\n    What to do: " + field("mitigation")
                + "\n";
        }
        writeAll(stdout, text);
    } else {
        printJson(out);
    }
    return status != DeviceStatus::Provisioned || dpsProblem ? ExitProblem : ExitOk;
}

} // namespace iotc::cli
