#include "commands.h"
#include "connectionoptions.h"
#include "textoutput.h"

#include "central/centralclient.h"
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

std::set<std::string> withConnection(std::set<std::string> own, bool flags)
{
    const auto& extra = flags ? connectionFlagOptions() : connectionValueOptions();
    own.insert(extra.begin(), extra.end());
    return own;
}

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

bool prepare(const std::vector<std::string>& words, const char* command, const char* usage,
    const std::set<std::string>& values, const std::set<std::string>& flags, size_t positionals, Arguments& args,
    Connection& connection, int& exitCode)
{
    args = parseArguments(words, withConnection(values, false), withConnection(flags, true));
    if (args.has("help")) {
        std::printf("%s%s", usage, ConnectionUsage);
        exitCode = ExitOk;
        return false;
    }
    if (!args.error.empty() || args.positional.size() != positionals) {
        std::fprintf(stderr, "iotc-diag %s: %s\n%s%s", command,
            args.error.empty() ? "wrong number of arguments" : args.error.c_str(), usage, ConnectionUsage);
        exitCode = ExitUsage;
        return false;
    }
    OptionReader options(args);
    options.choice("output", "json", { "json", "text" });
    options.choice(
        "status", "", { "provisioned", "registered", "blocked", "blocked-or-waiting-for-approval", "unassigned" });
    if (!options.ok()) {
        exitCode = options.fail(command);
        return false;
    }
    if (!resolveConnection(args, command, connection)) {
        exitCode = ExitUsage;
        return false;
    }
    return true;
}

} // namespace

int runDevices(const std::vector<std::string>& words)
{
    Arguments args;
    Connection connection;
    int exitCode = ExitOk;
    static const char* usage
        = "usage: iotc-diag devices [--status S] [--template T] [--search TEXT] [--output json|text]\n";
    if (!prepare(words, "devices", usage, { "status", "template", "search", "output" }, { "help" }, 0, args, connection,
            exitCode))
        return exitCode;
    const QString status = QString::fromStdString(args.value("status").value_or(""));
    const QString tpl = QString::fromStdString(args.value("template").value_or(""));
    const QString search = QString::fromStdString(args.value("search").value_or(""));
    CentralClient client(connection.profile);
    std::mutex mutex;
    QJsonArray list;
    auto future = client.listDevices([&](const QList<Device>& page) {
        std::lock_guard lock(mutex);
        for (const auto& d : page) {
            if (!status.isEmpty() && QString::fromLatin1(statusName(deviceStatus(d))) != status)
                continue;
            if (!tpl.isEmpty() && d.templateId != tpl)
                continue;
            if (!search.isEmpty() && !d.id.contains(search, Qt::CaseInsensitive)
                && !d.displayName.contains(search, Qt::CaseInsensitive))
                continue;
            list.append(deviceWithStatus(d));
        }
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
    Arguments args;
    Connection connection;
    int exitCode = ExitOk;
    static const char* usage = "usage: iotc-diag device show DEVICE_ID   (prints JSON)\n";
    if (!prepare(words, "device show", usage, {}, { "help" }, 1, args, connection, exitCode))
        return exitCode;
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
    Arguments args;
    Connection connection;
    int exitCode = ExitOk;
    static const char* usage = "usage: iotc-diag template show TEMPLATE_ID   (prints JSON)\n";
    if (!prepare(words, "template show", usage, {}, { "help" }, 1, args, connection, exitCode))
        return exitCode;
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
    Arguments args;
    Connection connection;
    int exitCode = ExitOk;
    static const char* usage = "usage: iotc-diag registration-info DEVICE_ID [--output json|text]\n"
                               "The device's provisioning status (with what it means and what to do) and DPS's own\n"
                               "answer for its credentials. Exit 1 when the device is not provisioned and assigned.\n";
    if (!prepare(words, "registration-info", usage, { "output" }, { "help" }, 1, args, connection, exitCode))
        return exitCode;
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
