#include "livemonitor.h"

#include "capturefile.h"
#include "monitorpipeline.h"
#include "templateresolver.h"
#include "tokenrenewal.h"

#include "central/centralclient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace iotc {

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
    Worker(std::shared_ptr<CentralClient> client, LiveMonitorOptions options)
        : m_client(std::move(client))
        , m_options(std::move(options))
        , m_pipeline(std::make_shared<TemplateResolver>(m_client), 1) // views keep their own history
        , m_tick(this) // a child, so it moves to the worker thread with this object
    {
        m_pipeline.setCollectFields(true);
        m_rateClock.start();
    }

    void start()
    {
        if (!m_consumers.empty())
            return;
        m_failed = 0;
        QList<EventHubTarget> targets;
        if (m_options.target) {
            targets = { *m_options.target };
        } else if (!m_client) {
            setPhase(MonitorStatus::Phase::Failed,
                tr("Not connected to an application, and no Event Hubs connection string."));
            return;
        } else {
            setPhase(MonitorStatus::Phase::GettingTokens, tr("Asking the application for its event hubs…"));
            auto f = m_client->eventSasTokens();
            f.waitForFinished(); // this thread only; the GUI keeps painting
            const auto r = f.result();
            if (!r.ok()) {
                QString why = tr("Cannot read the application's event hubs: %1").arg(r.error.summary());
                if (r.error.httpStatus == 401 || r.error.httpStatus == 403)
                    why += tr(" — generateEventSasTokens needs an Entra ID (az login) token in most apps; or give "
                              "an Event Hubs connection string.");
                setPhase(MonitorStatus::Phase::Failed, why);
                return;
            }
            QString error;
            targets = EventHubTarget::fromEventSasTokens(*r.value, error);
            if (targets.isEmpty()) {
                setPhase(MonitorStatus::Phase::Failed, error);
                return;
            }
        }
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
        // Stop receiving first, then hand on everything received: nothing in between is lost.
        for (auto& c : m_consumers)
            c->stop();
        drain();
        m_consumers.clear();
        m_tick.stop();
        stopCapture();
        setPhase(MonitorStatus::Phase::Stopped, tr("Stopped"));
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
            if (pending.empty())
                return;
            m_status.received += pending.size();
            auto batch = std::make_shared<std::vector<Observation>>(m_pipeline.process(std::move(pending)));
            pending.clear();
            ++owner->m_inFlight;
            Q_EMIT owner->observations(batch);
        };
        qint64 bad = 0;
        QString error;
        const qint64 events = readCapture(
            path,
            [&](TelemetryEvent&& e) {
                pending.push_back(std::move(e));
                if (pending.size() >= 2000) {
                    flush();
                    // Paced by the receiving side: a few batches ahead at most, however large the file.
                    while (owner->m_inFlight.load() > 4 && !owner->m_cancel.load())
                        QThread::msleep(5);
                }
                return !owner->m_cancel.load();
            },
            bad, error);
        if (owner->m_cancel.load())
            error = tr("replay stopped after %1 event(s)").arg(m_status.received);
        flush();
        publishStatus();
        Q_EMIT owner->replayFinished(events, bad, error);
    }

    LiveMonitor* owner = nullptr;

private:
    void drain()
    {
        for (auto& c : m_consumers) {
            for (;;) {
                auto events = c->take(2000);
                if (events.empty())
                    break;
                m_status.received += events.size();
                if (m_capture) {
                    for (const auto& e : events)
                        m_capture->write(e);
                    m_capture->flush();
                }
                auto batch = std::make_shared<std::vector<Observation>>(m_pipeline.process(std::move(events)));
                ++owner->m_inFlight;
                Q_EMIT owner->observations(batch);
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
        Q_EMIT owner->statusChanged(m_status);
    }

    std::shared_ptr<CentralClient> m_client;
    LiveMonitorOptions m_options;
    MonitorPipeline m_pipeline;
    std::vector<std::unique_ptr<EventHubConsumer>> m_consumers;
    std::unique_ptr<CaptureWriter> m_capture;
    MonitorStatus m_status;
    QTimer m_tick;
    QElapsedTimer m_rateClock;
    quint64 m_rateBase = 0;
    int m_failed = 0;
};

LiveMonitor::LiveMonitor(std::shared_ptr<CentralClient> client, LiveMonitorOptions options, QObject* parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new Worker(std::move(client), std::move(options)))
{
    qRegisterMetaType<ObservationBatch>();
    qRegisterMetaType<MonitorStatus>();
    m_worker->owner = this;
    // Counts batches the receiving thread has not taken yet (connected first, so it runs first).
    connect(this, &LiveMonitor::observations, this, [this] { --m_inFlight; });
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
    m_cancel = true; // a replay in progress ends at its next event
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->stop(); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(m_worker, &QObject::deleteLater);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void LiveMonitor::start()
{
    m_running = true;
    m_cancel = false;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->start(); });
}

void LiveMonitor::stop()
{
    m_running = false;
    m_cancel = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stop(); });
}

void LiveMonitor::startCapture(const QString& path)
{
    QMetaObject::invokeMethod(m_worker, [this, w = m_worker, path] {
        const QString error = w->startCapture(path);
        if (!error.isEmpty())
            Q_EMIT captureFailed(error);
    });
}

void LiveMonitor::replay(const QString& path)
{
    m_cancel = false;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] { w->replay(path); });
}

void LiveMonitor::stopCapture()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stopCapture(); });
}

} // namespace iotc

#include "livemonitor.moc"
