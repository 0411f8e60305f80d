#include "triagerun.h"

#include "central/centralclient.h"
#include "monitor/eventstream.h"
#include "monitor/templateresolver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QTimer>

#include <mutex>

namespace iotc {

namespace {

constexpr int StopCheckMs = 100;

} // namespace

TriageRun runTriage(const std::shared_ptr<CentralClient>& client, const TriageOptions& options)
{
    TriageRun run;
    FleetTriage triage;
    auto say = [&](const QString& what) {
        if (options.progress)
            options.progress(what);
    };

    // The event stream of every device, from the look-back on.
    EventStreamOptions streamOptions;
    streamOptions.consumer.start = ConsumerStart::minutesAgo(options.lookbackMinutes);
    streamOptions.target = options.eventHub;
    streamOptions.consumer.network = client->profile().network;
    auto resolver = std::make_shared<TemplateResolver>(client);
    EventStream stream(options.eventHub ? nullptr : client, resolver, streamOptions);

    QEventLoop loop;
    bool listed = false;
    bool windowOver = false;
    QString streamError;
    QElapsedTimer listening;
    QTimer window;
    window.setSingleShot(true);
    auto maybeEnd = [&] {
        if (listed && (windowOver || !streamError.isEmpty() || run.couldNotRun))
            loop.quit();
    };
    QObject::connect(&window, &QTimer::timeout, &loop, [&] {
        windowOver = true;
        maybeEnd();
    });
    QTimer stopCheck;
    QObject::connect(&stopCheck, &QTimer::timeout, &loop, [&] {
        if (options.stop && options.stop->load()) {
            run.stoppedEarly = true;
            windowOver = true;
            if (listed)
                loop.quit();
        }
    });
    QObject::connect(&stream, &EventStream::started, &loop, [&](const QStringList& hubs) {
        run.listenStartMs = QDateTime::currentMSecsSinceEpoch();
        listening.start();
        window.start(static_cast<int>(std::max(0.0, options.listenSeconds) * 1000));
        say(QStringLiteral("Reading the event stream of %1 hub(s) from %2 min ago; listening for %3 s")
                .arg(hubs.size())
                .arg(options.lookbackMinutes)
                .arg(options.listenSeconds));
    });
    QObject::connect(&stream, &EventStream::observations, &loop,
        [&](const ObservationBatch& batch) { triage.addObservations(*batch); });
    QObject::connect(&stream, &EventStream::failed, &loop, [&](const QString& why) {
        streamError = why.isEmpty() ? QStringLiteral("the event stream could not be read") : why;
        maybeEnd();
    });

    // The device list, page by page (pages arrive on the HTTP thread).
    std::mutex mutex;
    QList<Device> devices;
    QElapsedTimer listClock;
    listClock.start();
    QFutureWatcher<Result<qint64>> listing;
    QObject::connect(&listing, &QFutureWatcher<Result<qint64>>::finished, &loop, [&] {
        listed = true;
        run.listMs = listClock.elapsed();
        const auto r = listing.result();
        if (!r.ok()) {
            run.couldNotRun = true;
            run.whyNot = QStringLiteral("the device list could not be read: ") + r.error.summary();
        } else {
            std::lock_guard lock(mutex);
            triage.addDevices(devices);
            devices.clear();
            say(QStringLiteral("%1 device(s) listed in %2 ms; %3 to triage")
                    .arg(run.devicesListed)
                    .arg(run.listMs)
                    .arg(triage.deviceCount()));
        }
        maybeEnd();
    });
    const DeviceListFilter filter = options.filter;
    listing.setFuture(client->listDevices([&mutex, &devices, &run, filter, resolver](const QList<Device>& page) {
        resolver->knowDevices(page); // their templates are known: the stream looks up no device one by one
        std::lock_guard lock(mutex);
        run.devicesListed += static_cast<int>(page.size());
        for (const auto& d : page) {
            if (filter.isEmpty() || matches(d, filter))
                devices.push_back(d);
        }
        return true;
    }));
    say(QStringLiteral("Listing the devices and reading the event stream…"));
    stopCheck.start(StopCheckMs);
    stream.start();
    loop.exec();
    listing.waitForFinished();
    stream.shutdown();
    run.listenedSeconds = listening.isValid() ? static_cast<double>(listening.elapsed()) / 1000.0 : 0;
    if (!run.couldNotRun && !streamError.isEmpty()) {
        run.couldNotRun = true;
        run.whyNot = QStringLiteral("the event stream could not be read (%1): without it no device can be said to "
                                    "send or not")
                         .arg(streamError);
    }
    if (!run.couldNotRun)
        run.result = triage.result(run.listenStartMs, run.listenedSeconds, options.lookbackMinutes);
    return run;
}

} // namespace iotc
