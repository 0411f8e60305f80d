#include "commands.h"
#include "connectionoptions.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "central/devicefilter.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/devicestatus.h"
#include "provisioning/dpscheck.h"
#include "provisioning/provisioningcheck.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <mutex>

namespace iotc::cli {

namespace {

void print(const QJsonObject& o)
{
    writeAll(stdout, QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString());
}

int reportError(const char* command, const CentralError& e)
{
    std::fprintf(stderr, "iotc-diag %s: %s\n", command, qPrintable(printable(e.summary()))); // the server's words
    if (e.knowledge)
        std::fprintf(stderr, "  what to do: %s\n", e.knowledge->mitigation.c_str());
    return ExitUsage;
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

// The central commands' shared start: the connection, and --output (json or text).
CommandSetup prepare(const char* command, const std::vector<std::string>& words)
{
    return setUpCommand(command, words, { .check = [command](const Arguments& args) {
        OptionReader options(args);
        options.choice("output", "json", { "json", "text" });
        return options.ok() ? ExitOk : options.fail(command);
    } });
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
        return reportError("devices", result.error);
    if (args.value("output").value_or("json") == "text") {
        std::string out;
        for (const auto& v : list) {
            const auto o = v.toObject();
            out += printable(o.value(QStringLiteral("id")).toString().toStdString()) + "  "
                + printable(o.value(QStringLiteral("status")).toString().toStdString()) + "  "
                + printable(o.value(QStringLiteral("displayName")).toString().toStdString()) + "\n";
        }
        out += std::to_string(list.size()) + " device(s)\n";
        writeAll(stdout, out);
    } else {
        print({ { QStringLiteral("devices"), list }, { QStringLiteral("count"), list.size() } });
    }
    return ExitOk;
}

int runDeviceShow(const std::vector<std::string>& words)
{
    const auto setup = prepare("device show", words);
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    CentralClient client(connection.profile);
    auto f = client.device(QString::fromStdString(args.positional[0]));
    f.waitForFinished();
    const auto r = f.result();
    if (!r.ok())
        return reportError("device show", r.error);
    print(deviceWithStatus(*r.value));
    return ExitOk;
}

int runTemplateShow(const std::vector<std::string>& words)
{
    const auto setup = prepare("template show", words);
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    CentralClient client(connection.profile);
    auto f = client.deviceTemplate(QString::fromStdString(args.positional[0]));
    f.waitForFinished();
    const auto r = f.result();
    if (!r.ok())
        return reportError("template show", r.error);
    print(*r.value);
    return ExitOk;
}

int runRegistrationInfo(const std::vector<std::string>& words)
{
    const auto setup = prepare("registration-info", words);
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    const Connection& connection = setup.context->connection;
    const QString id = QString::fromStdString(args.positional[0]);
    CentralClient client(connection.profile);
    const ProvisioningReport report = checkProvisioning(client, id);
    if (!report.ok())
        return reportError("registration-info", report.error);
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
        const auto& kb = KnowledgeBase::builtIn();
        const KnowledgeEntry* e = answer.errorCode ? kb.byCode(std::to_string(*answer.errorCode)) : nullptr;
        if (!e && dpsProblem && answer.httpStatus >= 400)
            e = kb.byCode(std::to_string(answer.httpStatus));
        if (e)
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
    if (args.value("output").value_or("json") == "text") {
        std::string text = printable(id.toStdString()) + ": " + meaning.title + "\n  " + meaning.description
            + "\n  What to do: " + meaning.mitigation + "\n";
        if (dps.isObject())
            text += "  DPS: " + printable(QJsonDocument(dps.toObject()).toJson(QJsonDocument::Compact).toStdString())
                + "\n";
        for (const auto& f : findings)
            text += "  - " + printable(f.toObject().value(QStringLiteral("code")).toString().toStdString()) + ": "
                + printable(f.toObject().value(QStringLiteral("explanation")).toString().toStdString()) + "\n";
        writeAll(stdout, text);
    } else {
        print(out);
    }
    return status != DeviceStatus::Provisioned || dpsProblem ? ExitProblem : ExitOk;
}

} // namespace iotc::cli
