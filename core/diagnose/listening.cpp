#include "listening.h"

#include "recency.h"

#include "monitor/eventstream.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace iotc {

namespace {

constexpr int StopCheckMs = 100; // how soon a request to stop listening is noticed

} // namespace

Listening listenToDevice(const std::shared_ptr<CentralClient>& client,
    const std::shared_ptr<TemplateResolver>& resolver, const DiagnoseOptions& options)
{
    Listening result;
    EventStreamOptions streamOptions;
    streamOptions.consumer.start = ConsumerStart::minutesAgo(options.lookbackMinutes);
    streamOptions.consumer.deviceFilter = options.deviceId;
    streamOptions.target = options.eventHub;
    if (client) // the application's network setting, for its hubs and a connection string's alike
        streamOptions.consumer.network = client->profile().network;
    EventStream stream(options.eventHub ? nullptr : client, resolver, streamOptions);

    QEventLoop loop;
    bool over = false;
    auto end = [&] {
        over = true;
        if (loop.isRunning())
            loop.quit();
    };
    auto stopped = [&] { return options.stopListening && options.stopListening->load(); };
    QElapsedTimer clock;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, end);
    // The flag is set from any thread (a Stop button): looked at while the loop runs.
    QTimer stopCheck;
    QObject::connect(&stopCheck, &QTimer::timeout, &loop, [&] {
        if (stopped())
            end();
    });
    bool heardLive = false; // an event enqueued while listening
    QObject::connect(&stream, &EventStream::started, &loop, [&] {
        clock.start();
        result.listenStartMs = QDateTime::currentMSecsSinceEpoch();
        deadline.start(std::max(0, options.listenSeconds) * 1000);
    });
    QObject::connect(&stream, &EventStream::observations, &loop, [&](const ObservationBatch& batch) {
        for (const auto& o : *batch) {
            if (o.event.messageSource.isEmpty() || o.event.messageSource == QLatin1String("Telemetry")) {
                heardLive = heardLive || enqueuedWhileListening(o.event.enqueuedMs, result.listenStartMs);
                result.observations.push_back(o);
            }
        }
        if (heardLive && static_cast<int>(result.observations.size()) >= options.enoughMessages)
            end();
    });
    QObject::connect(&stream, &EventStream::failed, &loop, [&](const QString& why) {
        result.streamFailed = true;
        if (!clock.isValid())
            result.hubsError = why;
        end();
    });
    stopCheck.start(StopCheckMs);
    stream.start();
    if (!over && !stopped())
        loop.exec();
    stream.shutdown(); // what is still queued is not judged: the check has its answer
    result.streamError = stream.consumerFailure();
    result.seconds = clock.isValid() ? static_cast<double>(clock.elapsed()) / 1000.0 : 0;
    result.stoppedEarly = stopped();
    return result;
}

} // namespace iotc
