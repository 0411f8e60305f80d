// iotc-diag probe DEVICE_ID --as-device: DPS, the hub and one message exactly as the device, then
// the application's event stream until it arrives. The rules live in core/device/deviceprobe.
#include "commands.h"
#include "commandtable.h"
#include "connectionoptions.h"
#include "inputfile.h"
#include "streamoutput.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "device/deviceprobe.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace iotc::cli {

using nlohmann::json;

namespace {

json stepJson(const ProbeStep& s)
{
    json j { { "name", s.name.toStdString() }, { "status", s.status.toStdString() },
        { "detail", s.detail.toStdString() } };
    if (!s.protocol.isEmpty())
        j["protocol"] = s.protocol.toStdString();
    if (!s.code.isEmpty())
        j["code"] = s.code.toStdString();
    if (!s.mitigation.isEmpty())
        j["mitigation"] = s.mitigation.toStdString();
    if (s.ms >= 0)
        j["ms"] = s.ms;
    return j;
}

std::string stepText(const ProbeStep& s)
{
    const char* mark = s.status == QLatin1String("passed") ? "[ok]  "
        : s.status == QLatin1String("failed")              ? "[FAIL]"
                                                           : "[skip]";
    std::string line = std::string("  ") + mark + " " + s.name.toStdString();
    std::vector<std::string> notes;
    if (!s.protocol.isEmpty() && s.protocol != QLatin1String("https"))
        notes.push_back(s.protocol.toStdString());
    if (s.ms >= 0)
        notes.push_back(std::to_string(s.ms) + " ms");
    for (size_t i = 0; i < notes.size(); ++i)
        line += (i == 0 ? " (" : ", ") + notes[i] + (i + 1 == notes.size() ? ")" : "");
    line += ": " + s.detail.toStdString() + "\n";
    if (!s.mitigation.isEmpty())
        line += "         What to do: " + s.mitigation.toStdString() + "\n";
    return line;
}

} // namespace

int runProbe(const std::vector<std::string>& words)
{
    bool jsonOutput = true;
    ProbeOptions options;
    std::string payloadFile;
    const auto setup = setUpCommand("probe", words, { .check = [&](const Arguments& a) {
        OptionReader reader(a);
        jsonOutput = reader.choice("output", "json", { "json", "text" }) == "json";
        const std::string protocol = reader.choice("protocol", "mqtt", { "mqtt", "mqtt-ws", "amqp", "amqp-ws", "all" });
        options.mqttPort = static_cast<int>(reader.integer("mqtt-port", 8883, 1, 65535));
        options.amqpPort = static_cast<int>(reader.integer("amqp-port", 5671, 1, 65535));
        options.websocketPort = static_cast<int>(reader.integer("websocket-port", 443, 1, 65535));
        if (protocol == "all")
            options.protocols = { DeviceProtocol::Mqtt, DeviceProtocol::MqttWebSocket, DeviceProtocol::Amqp,
                DeviceProtocol::AmqpWebSocket };
        else
            options.protocols
                = { deviceProtocolFromName(QString::fromStdString(protocol)).value_or(DeviceProtocol::Mqtt) };
        options.arrivalTimeoutMs = static_cast<int>(reader.number("wait", 60, 1, 3600, "seconds") * 1000);
        if (!reader.ok())
            return reader.fail("probe");
        if (!a.has("as-device")) {
            std::fprintf(stderr,
                "iotc-diag probe: the probe connects as the device, and IoT Hub allows one connection per device: "
                "a real device connected now is disconnected while the probe runs (a few seconds). Add "
                "--as-device to go ahead.\n");
            return int(ExitUsage);
        }
        if (auto file = a.value("payload")) {
            std::string text, error;
            if (!readInputFile(*file, text, error, 262144)) {
                std::fprintf(stderr, "iotc-diag probe: --payload: %s\n", error.c_str());
                return int(ExitUsage);
            }
            options.payload = QByteArray::fromStdString(text);
        }
        options.component = QString::fromStdString(a.value("component").value_or(""));
        return int(ExitOk);
    } });
    if (!setup.ready())
        return setup.exitCode;
    const CommandContext& context = *setup.context;
    options.deviceId = QString::fromStdString(context.args.positional[0]);
    options.caFile = context.network.caFile;
    if (context.connection.profile.timeoutMs > 0)
        options.stepTimeoutMs = std::min(context.connection.profile.timeoutMs, 60000);
    if (!jsonOutput)
        options.stepDone = [](const ProbeStep& s) { writeAll(stdout, stepText(s)); };
    std::fprintf(stderr, "Probing %s as the device: it is disconnected while the probe holds its identity.\n",
        qPrintable(options.deviceId));
    // Here --amqp-port and --websocket-port are the hub's device ports (read above); the event stream
    // reads the endpoint the application names, on that endpoint's own ports.
    ConnectionProfile profile = context.connection.profile;
    profile.network.amqpPort = NetworkSettings {}.amqpPort;
    profile.network.websocketPort = NetworkSettings {}.websocketPort;
    auto client = std::make_shared<CentralClient>(profile);
    const ProbeReport report = runDeviceProbe(client, options);
    std::fprintf(stderr, "The probe has disconnected: the device can connect again.\n");
    if (report.couldNotRun) {
        std::fprintf(stderr, "iotc-diag probe: %s\n", qPrintable(report.whyNot));
        return ExitUsage;
    }
    if (jsonOutput) {
        json steps = json::array();
        for (const auto& s : report.steps)
            steps.push_back(stepJson(s));
        json verdict { { "ok", report.ok() } };
        if (!report.failedStep().isEmpty())
            verdict["failedStep"] = report.failedStep().toStdString();
        json out { { "deviceId", report.deviceId.toStdString() }, { "probeId", report.probeId.toStdString() },
            { "steps", steps }, { "verdict", verdict } };
        if (!report.assignedHub.isEmpty())
            out["assignedHub"] = report.assignedHub.toStdString();
        writeAll(stdout, dumpLine(out) + "\n");
    } else {
        writeAll(stdout,
            report.ok() ? std::string("Verdict: the message arrived and validated.\n")
                        : "Verdict: failed at " + report.failedStep().toStdString() + ".\n");
    }
    return report.ok() ? ExitOk : ExitProblem;
}

} // namespace iotc::cli
