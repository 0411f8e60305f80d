#include "livetriage.h"

#include <QDateTime>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <atomic>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace iotc {

// The triage thread's side: the accumulated fleet and the once-a-second judgement.
class LiveTriageWorker : public QObject {
public:
    explicit LiveTriageWorker(LiveTriage* owner)
        : m_owner(owner)
    {
    }

    void start()
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(LiveTriage::UpdateIntervalMs);
        QObject::connect(m_timer, &QTimer::timeout, this, [this] { judge(); });
        m_timer->start();
    }

    void reset(int generation, double lookbackMinutes)
    {
        m_generation = generation;
        m_lookbackMinutes = lookbackMinutes;
        m_triage = std::make_unique<FleetTriage>();
        m_listenStartMs = 0;
        m_verdicts.clear();
    }
    void addDevices(int generation, const QList<Device>& devices)
    {
        if (generation != m_generation)
            return;
        m_triage->addDevices(devices);
    }
    void addObservations(int generation, const ObservationBatch& batch)
    {
        if (generation != m_generation || !batch)
            return;
        m_triage->addObservations(*batch);
    }
    void setListening(int generation, qint64 listenStartMs)
    {
        if (generation != m_generation)
            return;
        m_listenStartMs = listenStartMs;
    }

private:
    void judge()
    {
        // While listening the window grows, so a device may turn "stopped" with nothing new: judged
        // every second while the stream is read.
        if (m_listenStartMs <= 0 || !m_triage || m_inFlight->load() > 0)
            return; // (one snapshot on its way at a time: a busy owner does not pile them up)
        const double listened = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - m_listenStartMs) / 1000.0;
        auto snapshot = std::make_shared<TriageSnapshot>();
        snapshot->result
            = std::make_shared<const TriageResult>(m_triage->result(m_listenStartMs, listened, m_lookbackMinutes));
        snapshot->groups = triageGroups(*snapshot->result, LiveTriage::GroupSample);
        for (const auto& d : snapshot->result->devices) {
            auto it = m_verdicts.find(d.deviceId);
            if (it != m_verdicts.end() && it->first == d.cause && it->second == d.severity)
                continue;
            m_verdicts.insert(d.deviceId, { d.cause, d.severity });
            snapshot->changes.push_back({ d.deviceId, d.cause, d.severity });
        }
        QPointer<LiveTriage> owner(m_owner);
        const int generation = m_generation;
        std::shared_ptr<const TriageSnapshot> ready = std::move(snapshot);
#ifdef __GLIBC__
        // A judgement allocates and frees 100,000 verdicts a second on this thread: give the freed
        // pages back, or this thread's malloc arena keeps them and the workbench's memory creeps.
        malloc_trim(0);
#endif
        ++*m_inFlight;
        QMetaObject::invokeMethod(
            m_owner,
            [owner, generation, ready, inFlight = m_inFlight] {
                --*inFlight;
                if (owner && owner->m_generation == generation)
                    Q_EMIT owner->updated(ready);
            },
            Qt::QueuedConnection);
    }

    LiveTriage* m_owner;
    QTimer* m_timer = nullptr;
    std::unique_ptr<FleetTriage> m_triage = std::make_unique<FleetTriage>();
    int m_generation = 0;
    double m_lookbackMinutes = 5;
    qint64 m_listenStartMs = 0;
    QHash<QString, std::pair<QString, Severity>> m_verdicts; // what the last snapshot said per device
    std::shared_ptr<std::atomic<int>> m_inFlight = std::make_shared<std::atomic<int>>(0);
};

LiveTriage::LiveTriage(QObject* parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new LiveTriageWorker(this))
{
    m_thread->setObjectName(QStringLiteral("iotc-triage"));
    m_worker->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->start(); });
}

LiveTriage::~LiveTriage()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void LiveTriage::reset(double lookbackMinutes)
{
    const int generation = ++m_generation;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, generation, lookbackMinutes] { w->reset(generation, lookbackMinutes); });
}

void LiveTriage::addDevices(const QList<Device>& devices)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, generation = m_generation, devices] { w->addDevices(generation, devices); });
}

void LiveTriage::addObservations(const ObservationBatch& batch)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, generation = m_generation, batch] { w->addObservations(generation, batch); });
}

void LiveTriage::setListening(qint64 listenStartMs)
{
    QMetaObject::invokeMethod(m_worker,
        [w = m_worker, generation = m_generation, listenStartMs] { w->setListening(generation, listenStartMs); });
}

} // namespace iotc
