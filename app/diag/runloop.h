#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace iotc::cli {

// SIGINT and SIGTERM, for the commands that run until stopped: from catchStopSignals() on (the
// first thing iotc-diag does), either one only sets a flag, so a signal that comes at any moment
// (while the demo app starts, while the application is asked for its event hubs, before the loop
// is entered) ends the run the same way, with its summary. A second one ends the process at once.
// Signals blocked by the parent are unblocked (so one sent before the handlers were in place is
// delivered then). Commands that never look at the flag give the signals back their default
// (releaseStopSignals(), which re-raises one that came meanwhile).
void catchStopSignals();
void releaseStopSignals();
bool stopRequested();

// While it lives, a request to stop (stopRequested()) sets flag, looked at every 50 ms from a
// thread of its own: for work that runs its own loop on this thread (a diagnosis, a triage).
class StopForwarder {
public:
    explicit StopForwarder(std::shared_ptr<std::atomic<bool>> flag);
    ~StopForwarder();
    StopForwarder(const StopForwarder&) = delete;
    StopForwarder& operator=(const StopForwarder&) = delete;

private:
    std::atomic<bool> m_finished { false };
    std::thread m_thread;
};

// How a command that runs until told otherwise waits: the Qt event loop turns until the done
// condition holds (or finish() is called), the deadline passes, or SIGINT/SIGTERM arrives (also
// one that arrived before exec(): it returns Signal at once).
//     RunLoop loop(timeoutSeconds);            // the deadline counts from here
//     switch (loop.exec()) { case RunLoop::End::Signal: ... }
class RunLoop {
public:
    enum class End { Done, Deadline, Signal };

    // seconds <= 0: no deadline. done is asked every pollMs (and once before the loop starts).
    explicit RunLoop(double seconds = 0, std::function<bool()> done = {}, int pollMs = 50);
    RunLoop(const RunLoop&) = delete;
    RunLoop& operator=(const RunLoop&) = delete;

    End exec();
    // Ends exec() as Done, at once; from a slot or callback running inside the loop. (Not
    // QCoreApplication::quit(): it ends only QCoreApplication::exec(), which this is not.)
    void finish();
    // A new deadline, counted from now (<= 0: none); for a run whose time starts only once it is
    // under way (the clock below restarts too).
    void setDeadline(double seconds);
    // Milliseconds since the loop was made, or since setDeadline().
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    std::optional<End> due() const;

    double m_seconds;
    std::function<bool()> m_done;
    int m_pollMs;
    bool m_finished = false;
    QElapsedTimer m_clock;
    QEventLoop m_loop;
};

const char* endName(RunLoop::End end); // "done", "timeout", "interrupted"

} // namespace iotc::cli
