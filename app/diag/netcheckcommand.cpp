// iotc-diag netcheck: can this network reach what a device needs (DPS, the IoT hubs, the event
// hub) on the device's protocols and ports? No credentials; the rules live in core/net/netcheck.
#include "commands.h"
#include "commandtable.h"
#include "connectionoptions.h"
#include "streamoutput.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "device/apptargets.h"
#include "net/netcheck.h"

#include <nlohmann/json.hpp>

namespace iotc::cli {

using nlohmann::json;

namespace {

constexpr const char* DpsGlobalHost = "global.azure-devices-provisioning.net";

QStringList hostList(const Arguments& args, const char* name)
{
    QStringList hosts;
    if (auto v = args.value(name)) {
        for (const auto& h : QString::fromStdString(*v).split(QLatin1Char(','), Qt::SkipEmptyParts))
            hosts << h.trimmed();
    }
    return hosts;
}

json targetJson(const NetTargetResult& r)
{
    json j { { "role", r.target.role.toStdString() }, { "host", r.target.host.toStdString() },
        { "port", r.target.port }, { "protocol", protocolName(r.target.protocol) },
        { "status", r.passed ? "passed" : "failed" }, { "detail", r.detail.toStdString() } };
    json dns { { "addresses", json::array() } };
    for (const auto& a : r.addresses)
        dns["addresses"].push_back(a.toStdString());
    if (r.dnsMs >= 0)
        dns["ms"] = r.dnsMs;
    j["dns"] = dns;
    if (r.tcpMs >= 0)
        j["tcpMs"] = r.tcpMs;
    if (r.tls.attempted) {
        json tls { { "ok", r.tls.ok }, { "trusted", r.tls.trusted }, { "sni", r.target.host.toStdString() } };
        if (!r.tls.protocol.isEmpty())
            tls["protocol"] = r.tls.protocol.toStdString();
        if (!r.tls.issuer.isEmpty())
            tls["issuer"] = r.tls.issuer.toStdString();
        if (!r.tls.root.isEmpty())
            tls["root"] = r.tls.root.toStdString();
        if (!r.tls.error.isEmpty())
            tls["error"] = r.tls.error.toStdString();
        j["tls"] = tls;
    }
    if (!r.proxy.isEmpty())
        j["proxy"] = r.proxy.toStdString();
    if (!r.code.isEmpty())
        j["code"] = r.code.toStdString();
    if (!r.mitigation.isEmpty())
        j["mitigation"] = r.mitigation.toStdString();
    return j;
}

std::string reportText(const NetCheckReport& report)
{
    std::string out;
    for (const auto& r : report.targets) {
        out += std::string(r.passed ? "  [ok]   " : "  [FAIL] ") + r.target.role.toStdString() + " "
            + r.target.host.toStdString() + ":" + std::to_string(r.target.port) + " (" + protocolName(r.target.protocol)
            + ")";
        if (r.dnsMs >= 0)
            out += "  dns " + std::to_string(r.dnsMs) + " ms";
        if (r.tcpMs >= 0)
            out += "  tcp " + std::to_string(r.tcpMs) + " ms";
        if (!r.proxy.isEmpty())
            out += "  via " + r.proxy.toStdString();
        out += "\n         " + r.detail.toStdString() + "\n";
    }
    if (report.clockSkewSeconds)
        out += "\nClock: this machine is " + std::to_string(*report.clockSkewSeconds)
            + " s off the server's (positive: ahead).\n";
    out += report.ok() ? "\nVerdict: passed.\n" : "\nVerdict: failed.\n";
    for (const auto& line : report.verdictLines())
        out += "  " + line.toStdString() + "\n";
    return out;
}

} // namespace

int runNetcheck(const std::vector<std::string>& words)
{
    bool jsonOutput = true;
    NetworkSettings network;
    NetPorts ports;
    double timeoutSeconds = 8;
    const auto setup = setUpCommand("netcheck", words, { .check = [&](const Arguments& a) {
        OptionReader reader(a);
        jsonOutput = reader.choice("output", "json", { "json", "text" }) == "json";
        ports.mqtt = static_cast<int>(reader.integer("mqtt-port", 8883, 1, 65535));
        ports.amqp = static_cast<int>(reader.integer("amqp-port", 5671, 1, 65535));
        ports.websocket = static_cast<int>(reader.integer("websocket-port", 443, 1, 65535));
        timeoutSeconds = reader.number("step-timeout", 8, 0.1, 120, "seconds");
        if (!reader.ok())
            return reader.fail("netcheck");
        return int(ExitOk);
    } });
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    QString dps = QString::fromStdString(args.value("dps").value_or(DpsGlobalHost)).trimmed();
    QStringList hubs = hostList(args, "hub");
    QStringList eventHubs = hostList(args, "eventhub");
    json notes = json::array();
    network = setup.context->network; // --proxy and --ca-file
    if (setup.context->haveApp) {
        // The application names its event hubs, and DPS the device's hub.
        CentralClient client(setup.context->connection.profile);
        const AppNetTargets app = appNetTargets(client, QString::fromStdString(args.value("device-id").value_or("")));
        if (!args.value("dps") && !app.dpsHost.isEmpty() && !setup.context->connection.demo)
            dps = app.dpsHost;
        for (const auto& h : app.hubHosts)
            if (!hubs.contains(h))
                hubs << h;
        for (const auto& h : app.eventHubHosts)
            if (!eventHubs.contains(h))
                eventHubs << h;
        for (const auto& n : app.notes) {
            notes.push_back(n.toStdString());
            std::fprintf(stderr, "iotc-diag netcheck: %s\n", qPrintable(n));
        }
    }
    const auto targets = deviceTargets(dps, hubs, eventHubs, ports);
    NetCheckOptions options;
    options.network = network;
    options.timeoutMs = static_cast<int>(timeoutSeconds * 1000);
    const NetCheckReport report = runNetCheck(targets, options);
    if (jsonOutput) {
        json list = json::array();
        for (const auto& r : report.targets)
            list.push_back(targetJson(r));
        json verdict { { "ok", report.ok() }, { "lines", json::array() } };
        for (const auto& line : report.verdictLines())
            verdict["lines"].push_back(line.toStdString());
        json out { { "targets", list }, { "verdict", verdict } };
        if (!notes.empty())
            out["notes"] = notes;
        if (report.clockSkewSeconds)
            out["clockSkewSeconds"] = *report.clockSkewSeconds; // positive: this clock is ahead
        writeAll(stdout, dumpLine(out) + "\n");
    } else {
        writeAll(stdout, reportText(report));
    }
    return report.ok() ? ExitOk : ExitProblem;
}

} // namespace iotc::cli
