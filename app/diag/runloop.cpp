#include "runloop.h"

#include <atomic>
#include <chrono>
#include <csignal>

#include <pthread.h>
#include <signal.h>

namespace iotc::cli {

namespace {

std::atomic<bool> g_signalled { false };
std::atomic<bool> g_caught { false };
std::atomic<int> g_signal { 0 };

extern "C" void onStopSignal(int signal)
{
    // Async-signal-safe only: lock-free atomics, signal(), raise().
    g_signal = signal;
    if (g_signalled.exchange(true)) {
        std::signal(signal, SIG_DFL); // the second one: as if there were no handler
        std::raise(signal);
    }
}

} // namespace

void catchStopSignals()
{
    if (g_caught.exchange(true))
        return;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : { SIGINT, SIGTERM }) {
        // One the parent set to be ignored stays ignored (a shell's background job, nohup).
        struct sigaction before = {};
        if (sigaction(signal, nullptr, &before) == 0 && before.sa_handler == SIG_IGN)
            continue;
        sigaction(signal, &action, nullptr);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void releaseStopSignals()
{
    if (!g_caught.exchange(false))
        return;
    for (const int signal : { SIGINT, SIGTERM }) {
        struct sigaction now = {};
        if (sigaction(signal, nullptr, &now) == 0 && now.sa_handler == onStopSignal)
            std::signal(signal, SIG_DFL);
    }
    if (g_signalled)
        std::raise(g_signal.load());
}

bool stopRequested()
{
    return g_signalled;
}

StopForwarder::StopForwarder(std::shared_ptr<std::atomic<bool>> flag)
    : m_thread([this, flag = std::move(flag)] {
        while (!m_finished.load()) {
            if (stopRequested())
                flag->store(true);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    })
{
}

StopForwarder::~StopForwarder()
{
    m_finished = true;
    m_thread.join();
}

RunLoop::RunLoop(double seconds, std::function<bool()> done, int pollMs)
    : m_seconds(seconds)
    , m_done(std::move(done))
    , m_pollMs(pollMs > 0 ? pollMs : 50)
{
    m_clock.start();
}

std::optional<RunLoop::End> RunLoop::due() const
{
    if (g_signalled)
        return End::Signal;
    if (m_finished || (m_done && m_done()))
        return End::Done;
    if (m_seconds > 0 && static_cast<double>(m_clock.elapsed()) >= m_seconds * 1000)
        return End::Deadline;
    return std::nullopt;
}

RunLoop::End RunLoop::exec()
{
    catchStopSignals(); // already so in iotc-diag; a RunLoop used elsewhere stops on signals too
    if (const auto end = due())
        return *end;
    std::optional<End> end;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &m_loop, [&] {
        if ((end = due()))
            m_loop.quit();
    });
    poll.start(m_pollMs);
    m_loop.exec();
    // Ended from outside (QCoreApplication::quit()) or by finish(): judged once more.
    return end ? *end : due().value_or(End::Done);
}

void RunLoop::finish()
{
    m_finished = true;
    m_loop.quit();
}

void RunLoop::setDeadline(double seconds)
{
    m_seconds = seconds;
    m_clock.restart();
}

const char* endName(RunLoop::End end)
{
    switch (end) {
    case RunLoop::End::Done:
        return "done";
    case RunLoop::End::Deadline:
        return "timeout";
    case RunLoop::End::Signal:
        return "interrupted";
    }
    return "";
}

} // namespace iotc::cli
