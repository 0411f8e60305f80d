#include "arguments.h"
#include "commands.h"

#include "sim/simulatedapp.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace iotc::cli {

namespace {

std::atomic<bool> g_stop { false };

extern "C" void onSignal(int)
{
    g_stop = true;
}

constexpr const char* Usage
    = "usage: iotc-diag sim [--port-http P] [--port-amqp P] [--devices N] [--rate HZ] [--scenario FILE]\n"
      "                     [--page-size N] [--token-lifetime S]\n"
      "Runs the simulated IoT Central app (REST, DPS and the Event Hubs-compatible AMQP endpoint on\n"
      "loopback) until interrupted. Once listening it prints one JSON line with baseUrl, apiToken,\n"
      "bearerToken, dpsEndpoint, idScope, eventHubConnectionString and devices on stdout.\n"
      "--devices N adds N healthy devices to the scenario devices; --rate is messages per second per\n"
      "scenario device (0: none until something asks).\n";

} // namespace

int runSim(const std::vector<std::string>& words)
{
    const auto args = parseArguments(words,
        { "port-http", "port-amqp", "devices", "rate", "scenario", "page-size", "token-lifetime", "extra-rate" },
        { "help" });
    if (args.has("help")) {
        std::fputs(Usage, stdout);
        return ExitOk;
    }
    if (!args.error.empty() || !args.positional.empty()) {
        std::fprintf(stderr, "iotc-diag sim: %s\n%s",
            args.error.empty() ? ("unexpected argument " + args.positional.front()).c_str() : args.error.c_str(),
            Usage);
        return ExitUsage;
    }
    sim::SimOptions options;
    OptionReader reader(args);
    options.httpPort = static_cast<quint16>(reader.integer("port-http", options.httpPort, 0, 65535));
    options.amqpPort = static_cast<quint16>(reader.integer("port-amqp", options.amqpPort, 0, 65535));
    options.extraDevices = static_cast<int>(reader.integer("devices", options.extraDevices, 0, 1000000));
    options.rateHz = reader.number("rate", options.rateHz, 0, 1000, "messages per second");
    options.extraRateHz = reader.number("extra-rate", options.extraRateHz, 0, 1000, "messages per second");
    options.pageSize = static_cast<int>(reader.integer("page-size", options.pageSize, 1, 1000));
    options.tokenLifetimeSeconds
        = static_cast<int>(reader.integer("token-lifetime", options.tokenLifetimeSeconds, 5, 86400 * 30));
    if (!reader.ok())
        return reader.fail("sim");
    options.scenarioFile = QString::fromStdString(args.value("scenario").value_or(""));

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
    std::fprintf(stderr,
        "Simulated IoT Central app listening: REST and DPS on %s, Event Hubs AMQP on amqp://%s\n"
        "%d devices. Ctrl-C stops it.\n",
        qPrintable(endpoints.baseUrl), qPrintable(endpoints.eventHubHost), endpoints.devices);

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [] {
        if (g_stop)
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    app.stop();
    std::fprintf(stderr, "Simulated app stopped.\n");
    return ExitOk;
}

} // namespace iotc::cli
