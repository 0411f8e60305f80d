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

bool number(const Arguments& args, const char* name, double& out, double min, double max)
{
    const auto v = args.value(name);
    if (!v)
        return true;
    bool ok = false;
    const double d = QString::fromStdString(*v).toDouble(&ok);
    if (!ok || d < min || d > max) {
        std::fprintf(stderr, "iotc-diag sim: --%s must be a number from %g to %g\n", name, min, max);
        return false;
    }
    out = d;
    return true;
}

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
    double httpPort = 0, amqpPort = 0, devices = 0, pageSize = 100, lifetime = 3600;
    if (!number(args, "port-http", httpPort, 0, 65535) || !number(args, "port-amqp", amqpPort, 0, 65535)
        || !number(args, "devices", devices, 0, 1000000) || !number(args, "rate", options.rateHz, 0, 1000)
        || !number(args, "extra-rate", options.extraRateHz, 0, 1000) || !number(args, "page-size", pageSize, 1, 1000)
        || !number(args, "token-lifetime", lifetime, 5, 86400 * 30))
        return ExitUsage;
    options.httpPort = static_cast<quint16>(httpPort);
    options.amqpPort = static_cast<quint16>(amqpPort);
    options.extraDevices = static_cast<int>(devices);
    options.pageSize = static_cast<int>(pageSize);
    options.tokenLifetimeSeconds = static_cast<int>(lifetime);
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
