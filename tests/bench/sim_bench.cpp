// How fast the simulated Event Hubs endpoint pushes events to one plain Proton receiver on
// loopback (target: >= 150,000 events/s, so the simulator is never the product's bottleneck).
// Run: make bench (or build/tests/bench/iotc-bench-sim [events]).
#include "amqptestclient.h"
#include "util/sas.h"
#include "sim/simulatedapp.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace iotc;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const size_t events = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 300000;
    sim::SimOptions options;
    options.rateHz = 0;
    options.extraRateHz = 0;
    options.retentionPerPartition = events + 10;
    sim::SimulatedApp simulated(options);
    const auto endpoints = simulated.start();

    // A realistic telemetry event, appended straight into the retained log of one partition.
    const QString device = QStringLiteral("healthy-controller");
    const int partition = sim::EventStore::partitionFor(device, simulated.store().partitionCount());
    for (size_t i = 0; i < events; ++i) {
        sim::StoredEvent e;
        e.deviceId = device;
        e.component = QStringLiteral("thermostat1");
        e.modelId = QStringLiteral("dtmi:com:example:TemperatureController;2");
        e.authMethod = QStringLiteral(
            "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}");
        e.contentType = QStringLiteral("application/json");
        e.contentEncoding = QStringLiteral("utf-8");
        e.body = "{\"temperature\": 21.53}";
        simulated.store().append(std::move(e));
    }

    QString key, entity;
    for (const auto& part : endpoints.eventHubConnectionString.split(QLatin1Char(';'))) {
        if (part.startsWith(QStringLiteral("SharedAccessKey=")))
            key = part.mid(16);
        if (part.startsWith(QStringLiteral("EntityPath=")))
            entity = part.mid(11);
    }
    const QString audience = QStringLiteral("sb://") + endpoints.eventHubHost + QLatin1Char('/') + entity;
    std::vector<double> rates;
    for (int run = 0; run < 3; ++run) {
        test::AmqpScript s;
        s.hostPort = endpoints.eventHubHost.toStdString();
        s.putToken = std::make_pair(audience.toStdString(),
            makeSasToken(audience, key.toUtf8(), SasKeyKind::RawText, secondsFromNow(std::chrono::minutes(10)),
                QStringLiteral("service"))
                .toStdString());
        s.receiveAddress
            = QString(entity + QStringLiteral("/ConsumerGroups/$Default/Partitions/") + QString::number(partition))
                  .toStdString();
        s.selector = test::selectorFromBeginning();
        s.receiveCount = events;
        s.credit = 5000;
        s.keepBodies = false;
        s.timeoutMs = 120000;
        const auto r = test::runAmqp(s);
        if (r.events.size() != events) {
            std::fprintf(stderr, "received %zu of %zu events (%s %s)\n", r.events.size(), events, r.linkError.c_str(),
                r.connectionError.c_str());
            return 1;
        }
        rates.push_back(static_cast<double>(events) / r.receiveSeconds);
        std::printf("run %d: %zu events in %.3f s = %.0f events/s\n", run + 1, events, r.receiveSeconds, rates.back());
    }
    std::sort(rates.begin(), rates.end());
    std::printf("simulator -> one Proton receiver on loopback: median %.0f events/s (target >= 150000)\n", rates[1]);
    simulated.stop();
    return 0;
}
