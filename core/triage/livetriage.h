#pragma once

#include "fleettriage.h"
#include "monitor/eventstream.h"

#include <QList>
#include <QObject>

#include <memory>

class QThread;

namespace iotc {

class LiveTriageWorker;

// A device whose verdict changed since the previous snapshot.
struct TriageChange {
    QString deviceId;
    QString cause;
    Severity severity = Severity::Info;
};

// One judgement of the fleet, ready to paint: the result, its groups (at most GroupSample devices
// each) and what changed since the previous one (every device in the first).
struct TriageSnapshot {
    std::shared_ptr<const TriageResult> result;
    std::vector<TriageGroup> groups;
    std::vector<TriageChange> changes;
};

// Fleet triage while the application's event stream runs (the workbench's overview): the device
// list as it is listed and every batch of observations go to a thread of its own, which judges the
// fleet at most once a second while something changed and hands the result back. Nothing is
// judged before the stream is read (setListening): until then no device could be said to send
// nothing. The snapshot carries what a view needs already worked out (the groups, the changed
// verdicts), so painting it stays cheap at 100,000 devices. Used from one thread (its owner's);
// updated() comes on it.
class LiveTriage : public QObject {
    Q_OBJECT
public:
    explicit LiveTriage(QObject* parent = nullptr);
    ~LiveTriage() override;

    static constexpr int UpdateIntervalMs = 1000;
    static constexpr size_t GroupSample = 100; // devices per cause painted

    // A new application (or none): everything seen so far is forgotten.
    void reset(double lookbackMinutes);
    void addDevices(const QList<Device>& devices);
    void addObservations(const ObservationBatch& batch);
    // The stream is read from listenStartMs on (ms since the epoch): judged from now on; 0: not read
    // (stopped, failed), nothing more is judged.
    void setListening(qint64 listenStartMs);

Q_SIGNALS:
    void updated(std::shared_ptr<const iotc::TriageSnapshot> snapshot);

private:
    friend class LiveTriageWorker;
    QThread* m_thread;
    LiveTriageWorker* m_worker; // lives on m_thread
    int m_generation = 0;
};

} // namespace iotc
