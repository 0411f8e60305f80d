#include "livemonitor.h"

#include "capturefile.h"
#include "templateresolver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

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

// Lives on the monitor's thread: the event stream, and a replay's reading. What it says leaves
// through its signals, which the LiveMonitor re-emits on its own thread (those connections die with
// the LiveMonitor: the worker may end a moment later).
class LiveMonitor::Worker : public QObject {
    Q_OBJECT
public:
    Worker(std::shared_ptr<CentralClient> client, std::shared_ptr<TemplateResolver> resolver,
        const LiveMonitorOptions& options, std::shared_ptr<Shared> shared)
        : stream(std::move(client), std::move(resolver), streamOptions(options, shared), this)
        , m_shared(std::move(shared))
    {
    }

    // Reads a capture through the stream's pipeline, paced by the receiving side.
    void replay(const QString& path)
    {
        std::vector<TelemetryEvent> pending;
        auto flush = [&] {
            if (!pending.empty())
                stream.feed(std::move(pending));
            pending.clear();
        };
        qint64 bad = 0, tooLong = 0;
        QString error;
        CaptureReadOptions reading;
        reading.cancel = &m_shared->cancel;
        reading.tooLong = &tooLong;
        const qint64 events = readCapture(
            path,
            [&](TelemetryEvent&& e) {
                pending.push_back(std::move(e));
                if (pending.size() >= 2000) {
                    flush();
                    // A few batches ahead at most, however large the file.
                    while (m_shared->inFlight.load() > 4 && !m_shared->cancel.load())
                        QThread::msleep(5);
                }
                return !m_shared->cancel.load();
            },
            bad, error, reading);
        if (m_shared->closing.load())
            return; // nobody to tell, nothing more to judge
        if (m_shared->cancel.load())
            error = tr("replay stopped after %1 event(s)").arg(stream.status().received);
        else if (tooLong > 0 && error.isEmpty())
            error = tr("%1 line(s) longer than %2 MiB skipped").arg(tooLong).arg(MaxCaptureLineMiB);
        flush();
        stream.publishStatus();
        Q_EMIT replayFinished(events, bad, error);
    }

    EventStream stream;

Q_SIGNALS:
    void captureFailed(const QString& error);
    void replayFinished(qint64 events, qint64 badLines, const QString& error);

private:
    static EventStreamOptions streamOptions(const LiveMonitorOptions& options, const std::shared_ptr<Shared>& shared)
    {
        EventStreamOptions o;
        o.consumer = options.consumer;
        o.target = options.target;
        o.historyPerField = 1; // views keep their own history
        o.collectFields = true;
        o.closing = std::shared_ptr<const std::atomic<bool>>(shared, &shared->closing);
        return o;
    }

    std::shared_ptr<Shared> m_shared;
};

LiveMonitor::LiveMonitor(std::shared_ptr<CentralClient> client, const LiveMonitorOptions& options, QObject* parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_resolver(std::make_shared<TemplateResolver>(client))
    , m_worker(new Worker(std::move(client), m_resolver, options, m_shared))
{
    EventStream* stream = &m_worker->stream;
    // Counted where the batch leaves (the stream's thread), uncounted when it reaches this thread.
    connect(
        stream, &EventStream::observations, stream, [shared = m_shared] { ++shared->inFlight; }, Qt::DirectConnection);
    connect(stream, &EventStream::observations, this, [this](const ObservationBatch& batch) {
        --m_shared->inFlight;
        Q_EMIT observations(batch);
    });
    connect(stream, &EventStream::statusChanged, this, &LiveMonitor::statusChanged);
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
        w->stream.shutdown();
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
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stream.start(); });
}

void LiveMonitor::stop()
{
    m_running = false;
    m_shared->cancel = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stream.stop(); });
}

void LiveMonitor::startCapture(const QString& path)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] {
        const QString error = w->stream.startCapture(path);
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
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stream.stopCapture(); });
}

void LiveMonitor::knowDevices(const QList<Device>& devices)
{
    m_resolver->knowDevices(devices); // (thread-safe: the worker reads it under the resolver's lock)
}

} // namespace iotc

#include "livemonitor.moc"
