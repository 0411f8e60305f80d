#include "livemonitor.h"

#include "capturefile.h"
#include "monitorpipeline.h"
#include "templateresolver.h"
#include "tokenrenewal.h"

#include "central/centralclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <mutex>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace iotc {

namespace {

// How long closing waits for the worker: nothing it does when told to go takes long (the resolver's
// waits are cancelled, queued events dropped), so it is done in a moment unless the disk hangs.
constexpr int ShutdownWaitMs = 2000;
// How long the application's exit waits for monitor threads that outlived that first wait.
constexpr int ExitWaitMs = 10000;

// Monitor threads whose destructor stopped waiting: deleted once they end, waited for at exit.
struct Abandoned {
    std::mutex mutex;
    std::vector<QThread*> threads;
    bool joinAtExit = false; // the post routine is registered
};

Abandoned& abandoned()
{
    static Abandoned a;
    return a;
}

// Under the mutex: deletes the threads that have ended.
void reapLocked(Abandoned& a)
{
    std::erase_if(a.threads, [](QThread* t) {
        if (!t->isFinished())
            return false;
        t->wait(); // returns at once; after it the object may go
        delete t;
        return true;
    });
}

// Runs in ~QCoreApplication: a thread still running there would meet Qt's state being freed.
void joinAbandonedThreads()
{
    Abandoned& a = abandoned();
    std::lock_guard lock(a.mutex);
    a.joinAtExit = false; // post routines run once: a later application registers again
    const QDeadlineTimer deadline(ExitWaitMs);
    std::erase_if(a.threads, [&](QThread* t) {
        if (!t->wait(deadline)) {
            qWarning("iotc: a live-monitor thread is still running at exit");
            return false; // never deleted while running
        }
        delete t;
        return true;
    });
}

void abandon(QThread* thread)
{
    Abandoned& a = abandoned();
    std::lock_guard lock(a.mutex);
    reapLocked(a);
    a.threads.push_back(thread);
    if (!a.joinAtExit) {
        a.joinAtExit = true;
        qAddPostRoutine(joinAbandonedThreads);
    }
}

} // namespace

const char* monitorPhaseName(MonitorStatus::Phase p)
{
    switch (p) {
    case MonitorStatus::Phase::Idle:
        return "idle";
    case MonitorStatus::Phase::GettingTokens:
        return "getting tokens";
    case MonitorStatus::Phase::Running:
        return "running";
    case MonitorStatus::Phase::Failed:
        return "failed";
    case MonitorStatus::Phase::Stopped:
        return "stopped";
    }
    return "";
}

// Lives on the monitor's thread: owns the consumers, the pipeline and the capture.
class LiveMonitor::Worker : public QObject {
    Q_OBJECT
public:
    Worker(
        std::shared_ptr<CentralClient> client, std::shared_ptr<TemplateResolver> resolver, LiveMonitorOptions options)
        : m_client(std::move(client))
        , m_options(std::move(options))
        , m_pipeline(std::move(resolver), 1) // views keep their own history
        , m_tick(this) // a child, so it moves to the worker thread with this object
        , m_tokens(this)
    {
        connect(&m_tokens, &QFutureWatcherBase::finished, this, &Worker::tokensArrived);
        m_pipeline.setCollectFields(true);
        m_rateClock.start();
    }

    void start()
    {
        m_stopped = false;
        if (!m_consumers.empty() || m_askingTokens)
            return;
        m_failed = 0;
        if (m_options.target) {
            startConsumers({ *m_options.target });
        } else if (!m_client) {
            setPhase(MonitorStatus::Phase::Failed,
                tr("Not connected to an application, and no Event Hubs connection string."));
        } else {
            setPhase(MonitorStatus::Phase::GettingTokens, tr("Asking the application for its event hubs…"));
            // Not waited for: this thread stays free to stop. A slow application would otherwise hold
            // the monitor (and closing the window) for the request's whole timeout.
            m_askingTokens = true;
            m_tokens.setFuture(m_client->eventSasTokens());
        }
    }

    void tokensArrived()
    {
        m_askingTokens = false;
        if (m_stopped)
            return;
        if (m_tokens.future().resultCount() == 0) { // cancelled: the REST client went away
            setPhase(MonitorStatus::Phase::Failed, tr("The request for the application's event hubs was cancelled."));
            return;
        }
        const auto r = m_tokens.result();
        if (!r.ok()) {
            QString why = tr("Cannot read the application's event hubs: %1").arg(r.error.summary());
            if (r.error.httpStatus == 401 || r.error.httpStatus == 403)
                why += tr(" — generateEventSasTokens needs an Entra ID (az login) token in most apps; or give "
                          "an Event Hubs connection string.");
            setPhase(MonitorStatus::Phase::Failed, why);
            return;
        }
        QString error;
        const auto targets = EventHubTarget::fromEventSasTokens(*r.value, error);
        if (targets.isEmpty()) {
            setPhase(MonitorStatus::Phase::Failed, error);
            return;
        }
        startConsumers(targets);
    }

    void startConsumers(const QList<EventHubTarget>& targets)
    {
        QStringList hubs;
        for (const auto& t : targets) {
            hubs << t.entityPath;
            auto c = std::make_unique<EventHubConsumer>(t, m_options.consumer);
            if (!m_options.target) // the application's tokens expire: ask it for new ones in time
                renewTokensThrough(m_client, c.get(), t.entityPath);
            connect(c.get(), &EventHubConsumer::eventsAvailable, this, &Worker::drain);
            connect(c.get(), &EventHubConsumer::stateChanged, this, &Worker::publishStatus);
            connect(c.get(), &EventHubConsumer::failed, this, [this](const QString& why) {
                if (++m_failed == static_cast<int>(m_consumers.size()))
                    setPhase(MonitorStatus::Phase::Failed, why);
                else
                    publishStatus();
            });
            m_consumers.push_back(std::move(c));
        }
        setPhase(MonitorStatus::Phase::Running, tr("Reading %1").arg(hubs.join(QStringLiteral(", "))));
        for (auto& c : m_consumers)
            c->start();
        m_tick.setInterval(1000);
        connect(&m_tick, &QTimer::timeout, this, &Worker::publishStatus, Qt::UniqueConnection);
        m_tick.start();
    }

    void stop()
    {
        m_stopped = true; // tokens still on their way are not used
        // Stop receiving first, then hand on everything received: nothing in between is lost.
        for (auto& c : m_consumers)
            c->stop();
        drain();
        m_consumers.clear();
        m_tick.stop();
        stopCapture();
        setPhase(MonitorStatus::Phase::Stopped, tr("Stopped"));
    }

    // The monitor is going, its owner waiting a moment at most. Unlike stop(), nothing is processed:
    // the capture is closed first (complete, and never open beside a new capture of the same file),
    // the consumers stop and what they queued is dropped.
    void shutdown()
    {
        m_stopped = true;
        stopCapture();
        for (auto& c : m_consumers)
            c->stop();
        m_consumers.clear();
        m_tick.stop();
    }

    QString startCapture(const QString& path)
    {
        try {
            auto writer = std::make_unique<CaptureWriter>(path);
            stopCapture();
            m_capture = std::move(writer);
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
        publishStatus();
        return {};
    }

    void stopCapture()
    {
        if (!m_capture)
            return;
        m_status.captured = m_capture->written();
        m_status.captureFailed = m_capture->failed();
        m_capture->close();
        m_capture.reset();
        publishStatus();
    }

    void replay(const QString& path)
    {
        std::vector<TelemetryEvent> pending;
        auto flush = [&] {
            if (pending.empty() || shared->closing.load())
                return;
            m_status.received += pending.size();
            auto batch = std::make_shared<std::vector<Observation>>(m_pipeline.process(std::move(pending)));
            pending.clear();
            ++shared->inFlight;
            Q_EMIT observations(batch);
        };
        qint64 bad = 0, tooLong = 0;
        QString error;
        CaptureReadOptions reading;
        reading.cancel = &shared->cancel;
        reading.tooLong = &tooLong;
        const qint64 events = readCapture(
            path,
            [&](TelemetryEvent&& e) {
                pending.push_back(std::move(e));
                if (pending.size() >= 2000) {
                    flush();
                    // Paced by the receiving side: a few batches ahead at most, however large the file.
                    while (shared->inFlight.load() > 4 && !shared->cancel.load())
                        QThread::msleep(5);
                }
                return !shared->cancel.load();
            },
            bad, error, reading);
        if (shared->closing.load())
            return; // nobody to tell, nothing more to judge
        if (shared->cancel.load())
            error = tr("replay stopped after %1 event(s)").arg(m_status.received);
        else if (tooLong > 0 && error.isEmpty())
            error = tr("%1 line(s) longer than %2 MiB skipped").arg(tooLong).arg(MaxCaptureLine / (1024 * 1024));
        flush();
        publishStatus();
        Q_EMIT replayFinished(events, bad, error);
    }

    std::shared_ptr<LiveMonitor::Shared> shared;

Q_SIGNALS:
    // Re-emitted by the LiveMonitor on its own thread (connections die with it: the worker may end later).
    void observations(const iotc::ObservationBatch& batch);
    void statusChanged(const iotc::MonitorStatus& status);
    void captureFailed(const QString& error);
    void replayFinished(qint64 events, qint64 badLines, const QString& error);

private:
    void drain()
    {
        for (auto& c : m_consumers) {
            for (;;) {
                if (shared->closing.load())
                    return; // shutdown() follows: what is queued is dropped
                auto events = c->take(2000);
                if (events.empty())
                    break;
                m_status.received += events.size();
                if (m_capture) {
                    for (const auto& e : events)
                        m_capture->write(e);
                    m_capture->flush();
                }
                if (shared->closing.load())
                    return;
                auto batch = std::make_shared<std::vector<Observation>>(m_pipeline.process(std::move(events)));
                ++shared->inFlight;
                Q_EMIT observations(batch);
            }
        }
    }

    void setPhase(MonitorStatus::Phase phase, const QString& message)
    {
        m_status.phase = phase;
        m_status.message = message;
        publishStatus();
    }

    void publishStatus()
    {
        if (shared->closing.load())
            return;
        m_status.partitions.clear();
        m_status.dropped = 0;
        m_status.filtered = 0;
        m_status.reconnects = 0;
        for (const auto& c : m_consumers) {
            for (auto p : c->partitions())
                m_status.partitions.push_back(std::move(p));
            m_status.dropped += c->dropped();
            m_status.filtered += c->filtered();
            m_status.reconnects += c->reconnects();
        }
        const qint64 ms = m_rateClock.elapsed();
        if (ms >= 1000) {
            m_status.eventsPerSecond
                = static_cast<double>(m_status.received - m_rateBase) * 1000.0 / static_cast<double>(ms);
            m_rateBase = m_status.received;
            m_rateClock.restart();
        }
        m_status.capturing = m_capture != nullptr;
        if (m_capture) {
            m_status.captured = m_capture->written();
            m_status.captureFailed = m_capture->failed();
        }
        m_status.evictedDevices = m_pipeline.evictions().devices;
        m_status.evictedFields = m_pipeline.evictions().fields;
        Q_EMIT statusChanged(m_status);
    }

    std::shared_ptr<CentralClient> m_client;
    LiveMonitorOptions m_options;
    MonitorPipeline m_pipeline;
    std::vector<std::unique_ptr<EventHubConsumer>> m_consumers;
    std::unique_ptr<CaptureWriter> m_capture;
    MonitorStatus m_status;
    QTimer m_tick;
    QFutureWatcher<Result<QJsonObject>> m_tokens; // the application's event hub tokens, on their way
    bool m_askingTokens = false;
    bool m_stopped = false;
    QElapsedTimer m_rateClock;
    quint64 m_rateBase = 0;
    int m_failed = 0;
};

LiveMonitor::LiveMonitor(std::shared_ptr<CentralClient> client, LiveMonitorOptions options, QObject* parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_resolver(std::make_shared<TemplateResolver>(client))
    , m_worker(new Worker(std::move(client), m_resolver, std::move(options)))
{
    qRegisterMetaType<ObservationBatch>();
    qRegisterMetaType<MonitorStatus>();
    m_worker->shared = m_shared;
    // The worker's signals arrive here queued; a batch counts as delivered when it reaches this thread.
    connect(m_worker, &Worker::observations, this, [this](const ObservationBatch& batch) {
        --m_shared->inFlight;
        Q_EMIT observations(batch);
    });
    connect(m_worker, &Worker::statusChanged, this, &LiveMonitor::statusChanged);
    connect(m_worker, &Worker::captureFailed, this, &LiveMonitor::captureFailed);
    connect(m_worker, &Worker::replayFinished, this, &LiveMonitor::replayFinished);
    connect(m_worker, &QObject::destroyed, m_thread, &QThread::quit, Qt::DirectConnection);
    m_thread->setObjectName(QStringLiteral("live-monitor"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
#ifdef __linux__
    // Validation yields to the thread that paints: a busy stream never makes the window stutter.
    QMetaObject::invokeMethod(m_worker, [] { setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5); });
#endif
}

LiveMonitor::~LiveMonitor()
{
    // Called on the GUI thread (closing the window, a new connection, a replay): it must not wait
    // long, and need not: cancelled, the resolver's waits for a slow application end at once, a
    // replay ends at its next chunk, and the worker drops what is queued instead of judging it. So
    // the thread normally ends within the wait below, its capture closed and its REST client let go.
    // A thread still busy (a hung disk) is waited for at the application's exit instead.
    m_shared->closing = true;
    m_shared->cancel = true;
    m_resolver->cancel();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] {
        w->shutdown();
        w->deleteLater(); // its destruction ends the thread
    });
    if (m_thread->wait(QDeadlineTimer(ShutdownWaitMs)))
        delete m_thread;
    else
        abandon(m_thread);
}

int LiveMonitor::unfinishedThreads()
{
    Abandoned& a = abandoned();
    std::lock_guard lock(a.mutex);
    reapLocked(a);
    return static_cast<int>(a.threads.size());
}

void LiveMonitor::start()
{
    m_running = true;
    m_shared->cancel = false;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->start(); });
}

void LiveMonitor::stop()
{
    m_running = false;
    m_shared->cancel = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stop(); });
}

void LiveMonitor::startCapture(const QString& path)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] {
        const QString error = w->startCapture(path);
        if (!error.isEmpty())
            Q_EMIT w->captureFailed(error);
    });
}

void LiveMonitor::replay(const QString& path)
{
    m_shared->cancel = false;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] { w->replay(path); });
}

void LiveMonitor::stopCapture()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stopCapture(); });
}

} // namespace iotc

#include "livemonitor.moc"
