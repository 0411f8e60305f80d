// Live monitoring figures, printed by one command (make bench, or build/tests/bench/iotc-bench-monitor):
//  (1) raw Proton receive rate from the simulator on loopback,
//  (2) the product's end-to-end rate (AMQP -> validated observations) from the same simulator,
//      target >= 0.6 x (1),
//  (3) CPU microseconds per event at IoT Central's 200 events/s cap (simulator in another process)
//      for the product over TLS and over WebSockets, beside a bare Proton container receiver (the
//      floor): TLS <= the floor, WebSockets <= 1.5 x the floor,
//  (4) replay of a 1,000,000-event capture through the pipeline, target < 10 s.
#include "amqptestclient.h"
#include "central/centralclient.h"
#include "eventhub/eventhubconsumer.h"
#include "monitor/capturefile.h"
#include "monitor/monitorpipeline.h"
#include "net/networksettings.h"
#include "sim/simulatedapp.h"
#include "template/templateparser.h"
#include "util/sas.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <map>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace iotc;

namespace {

double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds per thread name (the scheduler's exact run time, /proc/self/task/N/schedstat), to
// say where the time of (3) goes.
std::map<QString, double> cpuByThread()
{
    std::map<QString, double> out;
    const auto tasks = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const auto& tid : tasks) {
        QFile comm(QStringLiteral("/proc/self/task/%1/comm").arg(tid));
        QFile stat(QStringLiteral("/proc/self/task/%1/schedstat").arg(tid));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
            continue;
        const QString name = QString::fromLatin1(comm.readAll().trimmed());
        out[name] += stat.readAll().split(' ').value(0).toDouble() / 1e9;
    }
    return out;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Runs a consumer + pipeline until count observations came out; returns seconds.
double endToEnd(const EventHubTarget& target, std::shared_ptr<TemplateResolver> resolver, size_t count,
    size_t& observations, std::map<QString, double>& threadCpu)
{
    const auto threads0 = cpuByThread();
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    EventHubConsumer consumer(target, options);
    MonitorPipeline pipeline(resolver);
    QElapsedTimer t;
    t.start();
    observations = 0;
    // Event-driven, as the product runs (LiveMonitor, the CLI): drain when the consumer says there
    // are events, sleep in the event loop otherwise. (Spinning processEvents here would burn a core
    // the consumer and the simulator need.)
    QEventLoop loop;
    QObject::connect(&consumer, &EventHubConsumer::eventsAvailable, &loop, [&] {
        for (;;) {
            auto batch = consumer.take(5000);
            if (batch.empty())
                break;
            observations += pipeline.process(std::move(batch)).size();
        }
        if (observations >= count)
            loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    consumer.start();
    loop.exec();
    const double s = static_cast<double>(t.nsecsElapsed()) / 1e9;
    for (const auto& [name, used] : cpuByThread()) // before stop(): the consumer's thread ends with it
        threadCpu[name] += used - (threads0.count(name) ? threads0.at(name) : 0.0);
    consumer.stop();
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const size_t events = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000;

    // IOTC_BENCH_ONLY=3 runs one part (for profiling); unset, all of them.
    const QByteArray only = qgetenv("IOTC_BENCH_ONLY");
    QString error;
    auto part = [&](char n) { return only.isEmpty() || only.contains(n); };
    if (part('1') || part('2')) {
        // ---- (1) and (2): the same simulator, the same retained events ----
        sim::SimOptions options;
        options.rateHz = 0;
        options.extraRateHz = 0;
        options.retentionPerPartition = events + 10;
        sim::SimulatedApp simulated(options);
        const auto e = simulated.start();
        const QString device = QStringLiteral("healthy-controller");
        simulated.injectTelemetry(device, static_cast<int>(events));
        const int partition = sim::EventStore::partitionFor(device, simulated.store().partitionCount());
        const auto target = *EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);

        test::AmqpScript raw;
        raw.hostPort = e.eventHubHost.toStdString();
        raw.putToken = std::make_pair(target.audience().toStdString(),
            makeSasToken(target.audience(), target.key, SasKeyKind::RawText, secondsFromNow(std::chrono::minutes(10)),
                QStringLiteral("service"))
                .toStdString());
        raw.receiveAddress = QString(
            target.entityPath + QStringLiteral("/ConsumerGroups/$Default/Partitions/") + QString::number(partition))
                                 .toStdString();
        raw.selector = test::selectorFromBeginning();
        raw.receiveCount = events;
        raw.credit = ConsumerOptions {}.credit; // the same window as the product
        raw.keepBodies = false;
        raw.timeoutMs = 120000;
        // The machine's speed drifts within seconds (a shared VM): raw and end-to-end runs alternate,
        // and the medians are compared.
        const int rounds = std::max(1,
            qEnvironmentVariableIntValue("IOTC_BENCH_ROUNDS") ? qEnvironmentVariableIntValue("IOTC_BENCH_ROUNDS") : 5);
        std::vector<double> rawRates, e2eRates;
        std::map<QString, double> e2eThreads; // CPU seconds per thread over the end-to-end runs
        for (int round = 0; round < rounds; ++round) {
            const auto rawResult = test::runAmqp(raw);
            rawRates.push_back(static_cast<double>(rawResult.events.size()) / rawResult.receiveSeconds);
            auto profile = ConnectionProfile::forBaseUrl(e.baseUrl);
            profile.authorization = e.apiToken;
            auto resolver = std::make_shared<TemplateResolver>(std::make_shared<CentralClient>(profile));
            size_t observed = 0;
            const double seconds = endToEnd(target, resolver, events, observed, e2eThreads);
            e2eRates.push_back(static_cast<double>(observed) / seconds);
            if (rawResult.events.size() != events || observed < events)
                std::printf("    round %d: only %zu raw and %zu end-to-end events of %zu\n", round + 1,
                    rawResult.events.size(), observed, events);
        }
        const double rawRate = median(rawRates), e2eRate = median(e2eRates);
        std::printf("(1) raw Proton receive from the simulator: %.0f events/s (median of %d runs of %zu events; "
                    "%.0f..%.0f)\n",
            rawRate, rounds, events, *std::min_element(rawRates.begin(), rawRates.end()),
            *std::max_element(rawRates.begin(), rawRates.end()));
        std::printf("(2) end to end, AMQP -> validated observations: %.0f events/s (median, %.0f..%.0f), %.2f x raw "
                    "(target >= 0.60)\n",
            e2eRate, *std::min_element(e2eRates.begin(), e2eRates.end()),
            *std::max_element(e2eRates.begin(), e2eRates.end()), e2eRate / rawRate);
        for (const auto& [name, seconds] : e2eThreads) {
            if (seconds > 0.01)
                std::printf("    thread %s: %.2f us/event\n", qPrintable(name),
                    seconds * 1e6 / static_cast<double>(events) / static_cast<double>(rounds));
        }
        simulated.stop();
    }

    // ---- (3): CPU per event at 200 events/s, the simulator in its own process ----
    // The simulator serves plain AMQP, AMQP over TLS and AMQP over WebSockets (TLS) from its own
    // process (--tls): the TLS and WebSocket work of its side is not counted here, ours is.
    if (part('3')) {
        QProcess sim;
        sim.start(QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/iotc-diag"),
            { QStringLiteral("sim"), QStringLiteral("--tls"), QStringLiteral("--devices"), QStringLiteral("2000"),
                QStringLiteral("--rate"), QStringLiteral("0"), QStringLiteral("--extra-rate"),
                QString::fromLatin1(argc > 2 ? argv[2] : "0.1") });
        if (!sim.waitForReadyRead(20000)) {
            std::fprintf(stderr, "cannot start iotc-diag sim --tls for (3)\n");
            return 1;
        }
        const auto endpoints = QJsonDocument::fromJson(sim.readLine()).object();
        const auto tlsTarget = EventHubTarget::fromConnectionString(
            endpoints.value(QStringLiteral("eventHubConnectionString")).toString(), error);
        QList<QSslCertificate> ca;
        if (!tlsTarget || !tlsTarget->tls
            || !loadCaFile(endpoints.value(QStringLiteral("caFile")).toString(), ca, error)) {
            std::fprintf(stderr, "iotc-diag sim --tls gave no TLS endpoint: %s\n", qPrintable(error));
            return 1;
        }
        auto liveProfile = ConnectionProfile::forBaseUrl(endpoints.value(QStringLiteral("baseUrl")).toString());
        liveProfile.authorization = endpoints.value(QStringLiteral("apiToken")).toString();
        liveProfile.network.extraCaCertificates = ca;
        // The same hub over plain AMQP, for the bare receiver (the historic floor).
        EventHubTarget plainTarget = *tlsTarget;
        plainTarget.host
            = QStringLiteral("127.0.0.1:") + QString::number(endpoints.value(QStringLiteral("amqpPort")).toInt());
        plainTarget.tls = false;
        auto resolver = std::make_shared<TemplateResolver>(std::make_shared<CentralClient>(liveProfile));

        std::vector<int> partitionIds;
        auto measure = [&](const char* label, const ConsumerOptions& options) {
            EventHubConsumer consumer(*tlsTarget, options);
            MonitorPipeline pipeline(resolver);
            consumer.start();
            // Warm up until every device has been seen once (its template resolved through REST, a
            // one-time cost per device), then measure ten seconds of steady state.
            {
                QEventLoop warmUp;
                QTimer limit;
                limit.setSingleShot(true);
                QObject::connect(&limit, &QTimer::timeout, &warmUp, &QEventLoop::quit);
                const auto drain = QObject::connect(&consumer, &EventHubConsumer::eventsAvailable, &consumer, [&] {
                    pipeline.process(consumer.take(5000));
                    if (pipeline.stats().size() >= 2000)
                        warmUp.quit();
                });
                limit.start(60000);
                warmUp.exec();
                QObject::disconnect(drain);
            }
            size_t n = 0;
            const double cpu0 = cpuSeconds();
            const auto threads0 = cpuByThread();
            QObject::connect(&consumer, &EventHubConsumer::eventsAvailable, &consumer,
                [&] { n += pipeline.process(consumer.take(5000)).size(); });
            QEventLoop loop;
            QTimer::singleShot(10000, &loop, &QEventLoop::quit);
            loop.exec();
            const double cpu = cpuSeconds() - cpu0;
            const auto threads1 = cpuByThread();
            const double perEvent = cpu * 1e6 / static_cast<double>(std::max<size_t>(n, 1));
            std::printf("(3) %s at %.0f events/s: %.1f CPU us/event (whole process: consumer, pipeline, REST; via "
                        "%s)\n",
                label, static_cast<double>(n) / 10.0, perEvent, qPrintable(consumer.route()));
            for (const auto& [name, seconds] : threads1) {
                const double used = seconds - (threads0.count(name) ? threads0.at(name) : 0.0);
                if (used * 1e6 / static_cast<double>(std::max<size_t>(n, 1)) >= 0.05)
                    std::printf("    thread %s: %.1f us/event\n", qPrintable(name),
                        used * 1e6 / static_cast<double>(std::max<size_t>(n, 1)));
            }
            partitionIds.clear();
            for (const auto& p : consumer.partitions())
                partitionIds.push_back(p.partition);
            consumer.stop();
            return perEvent;
        };
        ConsumerOptions overTls;
        overTls.network.transport = AmqpTransport::Amqp;
        overTls.network.extraCaCertificates = ca;
        ConsumerOptions overWebSockets = overTls;
        overWebSockets.network.transport = AmqpTransport::AmqpWebSockets;
        overWebSockets.network.websocketPort = endpoints.value(QStringLiteral("websocketPort")).toInt();
        const double tls = measure("the product over TLS", overTls);
        const double ws = measure("the product over WebSockets", overWebSockets);

        // The floor: a bare Proton C++ container receiver (counts messages, decodes nothing of its
        // own) on the same partitions, at the same rate, for the same ten seconds, over plain AMQP.
        test::AmqpScript bare;
        bare.hostPort = plainTarget.host.toStdString();
        bare.putToken = std::make_pair(plainTarget.audience().toStdString(),
            makeSasToken(plainTarget.audience(), plainTarget.key, SasKeyKind::RawText,
                secondsFromNow(std::chrono::minutes(10)), plainTarget.keyName)
                .toStdString());
        for (int p : partitionIds) {
            const std::string address = QString(
                plainTarget.entityPath + QStringLiteral("/ConsumerGroups/$Default/Partitions/") + QString::number(p))
                                            .toStdString();
            if (!bare.receiveAddress)
                bare.receiveAddress = address;
            else
                bare.alsoReceiveFrom.push_back(address);
        }
        bare.selector = "amqp.annotation.x-opt-offset > '@latest'";
        bare.credit = ConsumerOptions {}.credit;
        bare.settledWithCreditInHalves = true; // the product's own settings
        bare.keepBodies = false;
        bare.timeoutMs = 10000;
        const double bareCpu0 = cpuSeconds();
        const auto bareResult = test::runAmqp(bare);
        const double bareCpu = cpuSeconds() - bareCpu0;
        const double floor = bareCpu * 1e6 / static_cast<double>(std::max<size_t>(bareResult.events.size(), 1));
        if (bareResult.events.empty())
            std::printf("    the bare receiver got nothing: CBS %d %s, link %s, connection %s\n", bareResult.cbsStatus,
                bareResult.cbsDescription.c_str(), bareResult.linkError.c_str(), bareResult.connectionError.c_str());
        std::printf("(3) the floor, a bare Proton C++ container receiver over plain AMQP (no decoding, no pipeline) at "
                    "%.0f events/s: %.1f CPU us/event\n",
            static_cast<double>(bareResult.events.size()) / 10.0, floor);
        std::printf("    the product over TLS / floor: %.2f (target <= 1); over WebSockets / floor: %.2f (target <= "
                    "1.5)\n",
            tls / floor, ws / floor);
        sim.terminate();
        sim.waitForFinished(5000);
    }

    // ---- (4): replay a 1,000,000-event capture ----
    if (!part('4'))
        return 0;
    QTemporaryDir dir;
    const QString capturePath = dir.filePath(QStringLiteral("million.jsonl"));
    {
        CaptureWriter writer(capturePath);
        TelemetryEvent ev;
        ev.hub = QStringLiteral("iothub-ehub-bench");
        ev.contentType = QStringLiteral("application/json");
        ev.contentEncoding = QStringLiteral("utf-8");
        ev.modelId = QStringLiteral("dtmi:com:example:TemperatureController;2");
        ev.messageSource = QStringLiteral("Telemetry");
        ev.deviceId = QStringLiteral("replayed-device");
        for (int i = 0; i < 1000000; ++i) {
            ev.sequenceNumber = i;
            ev.partition = i % 4;
            ev.enqueuedMs = 1764000000000 + i;
            ev.component
                = (i % 3 == 2) ? QString() : (i % 3 ? QStringLiteral("thermostat2") : QStringLiteral("thermostat1"));
            ev.body = (i % 3 == 2) ? QByteArray("{\"workingSet\": 18211.5}") : QByteArray("{\"temperature\": 21.53}");
            writer.write(ev);
        }
    }
    const auto tpl = std::make_shared<const DeviceTemplate>(
        loadTemplateFile(std::string(IOTC_TEST_DATA_DIR) + "/dtdl/dtmi/com/example/temperaturecontroller-2.json"));
    MonitorPipeline replayPipeline(std::make_shared<TemplateResolver>(tpl));
    QElapsedTimer t;
    t.start();
    qint64 bad = 0;
    size_t issues = 0;
    std::vector<TelemetryEvent> batch;
    const qint64 replayed = readCapture(
        capturePath,
        [&](TelemetryEvent&& ev) {
            batch.push_back(std::move(ev));
            if (batch.size() == 5000) {
                for (const auto& o : replayPipeline.process(std::move(batch)))
                    issues += o.issues.size();
                batch.clear();
            }
            return true;
        },
        bad, error);
    for (const auto& o : replayPipeline.process(std::move(batch)))
        issues += o.issues.size();
    std::printf(
        "(4) replay of a %lld-event capture through the pipeline: %.2f s (target < 10), %zu issues, %lld bad lines\n",
        static_cast<long long>(replayed), static_cast<double>(t.nsecsElapsed()) / 1e9, issues,
        static_cast<long long>(bad));
    return 0;
}
