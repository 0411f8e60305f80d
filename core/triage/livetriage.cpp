#include "livetriage.h"

#include <QDateTime>
#include <QPointer>
#include <QThread>
#include <QTimer>

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
        if (m_listenStartMs <= 0 || !m_triage)
            return;
        const double listened = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - m_listenStartMs) / 1000.0;
        auto result
            = std::make_shared<const TriageResult>(m_triage->result(m_listenStartMs, listened, m_lookbackMinutes));
        QPointer<LiveTriage> owner(m_owner);
        const int generation = m_generation;
        QMetaObject::invokeMethod(
            m_owner,
            [owner, generation, result] {
                if (owner && owner->m_generation == generation)
                    Q_EMIT owner->updated(result);
            },
            Qt::QueuedConnection);
    }

    LiveTriage* m_owner;
    QTimer* m_timer = nullptr;
    std::unique_ptr<FleetTriage> m_triage = std::make_unique<FleetTriage>();
    int m_generation = 0;
    double m_lookbackMinutes = 5;
    qint64 m_listenStartMs = 0;
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
