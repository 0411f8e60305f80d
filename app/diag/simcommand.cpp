#include "arguments.h"
#include "commands.h"
#include "connectionoptions.h"
#include "runloop.h"

#include "sim/simulatedapp.h"

#include <QJsonDocument>

#include <cstdio>

namespace iotc::cli {

int runSim(const std::vector<std::string>& words)
{
    const auto setup = setUpCommand("sim", words);
    if (!setup.ready())
        return setup.exitCode;
    const Arguments& args = setup.context->args;
    sim::SimOptions options;
    OptionReader reader(args);
    options.httpPort = static_cast<quint16>(reader.integer("port-http", options.httpPort, 0, 65535));
    options.amqpPort = static_cast<quint16>(reader.integer("port-amqp", options.amqpPort, 0, 65535));
    options.amqpsPort = static_cast<quint16>(reader.integer("port-amqps", options.amqpsPort, 0, 65535));
    options.websocketPort = static_cast<quint16>(reader.integer("port-websocket", options.websocketPort, 0, 65535));
    options.mqttPort = static_cast<quint16>(reader.integer("port-mqtt", options.mqttPort, 0, 65535));
    options.extraDevices = static_cast<int>(reader.integer("devices", options.extraDevices, 0, 1000000));
    options.rateHz = reader.number("rate", options.rateHz, 0, 1000, "messages per second");
    options.extraRateHz = reader.number("extra-rate", options.extraRateHz, 0, 1000, "messages per second");
    options.pageSize = static_cast<int>(reader.integer("page-size", options.pageSize, 1, 1000));
    options.tokenLifetimeSeconds
        = static_cast<int>(reader.integer("token-lifetime", options.tokenLifetimeSeconds, 5, 86400LL * 30));
    if (!reader.ok())
        return reader.fail("sim");
    options.scenarioFile = QString::fromStdString(args.value("scenario").value_or(""));
    options.tls = args.has("tls");
    if (!options.tls && (args.has("port-amqps") || args.has("port-websocket") || args.has("port-mqtt"))) {
        std::fprintf(stderr, "iotc-diag sim: --port-amqps, --port-websocket and --port-mqtt need --tls\n");
        return ExitUsage;
    }

    sim::SimulatedApp app(options);
    sim::SimEndpoints endpoints;
    try {
        endpoints = app.start();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iotc-diag sim: %s\n", e.what());
        return ExitUsage;
    }
    std::printf("%s\n", QJsonDocument(endpoints.toJson()).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    std::fprintf(stderr, "Simulated IoT Central app listening: REST and DPS on %s, Event Hubs AMQP on amqp://%s\n",
        qPrintable(endpoints.baseUrl), qPrintable(endpoints.eventHubHost));
    if (endpoints.tls)
        std::fprintf(stderr,
            "Over TLS: amqps://localhost:%u and wss://localhost:%u/$servicebus/websocket, certificates from a "
            "throwaway CA: trust it with --ca-file %s\n",
            unsigned(endpoints.amqpsPort), unsigned(endpoints.websocketPort), qPrintable(endpoints.caFile));
    if (endpoints.tls)
        std::fprintf(stderr, "Devices: DPS assigns them the IoT hub %s, MQTT over TLS on port %u\n",
            qPrintable(endpoints.deviceHubHost), unsigned(endpoints.mqttPort));
    for (const auto& line : endpoints.network)
        std::fprintf(stderr, "The scenario's network: %s\n", qPrintable(line));
    std::fprintf(stderr, "%d devices. Ctrl-C stops it.\n", endpoints.devices);

    RunLoop(0).exec(); // until Ctrl-C or SIGTERM
    app.stop();
    std::fprintf(stderr, "Simulated app stopped.\n");
    return ExitOk;
}

} // namespace iotc::cli
