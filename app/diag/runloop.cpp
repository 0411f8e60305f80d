#include "runloop.h"

#include <atomic>
#include <csignal>

namespace iotc::cli {

namespace {

std::atomic<bool> g_signalled { false };

extern "C" void onStopSignal(int)
{
    g_signalled = true;
}

// SIGINT and SIGTERM set the flag while it lives; the handlers before it come back after.
class StopSignals {
public:
    StopSignals()
    {
        g_signalled = false;
        m_int = std::signal(SIGINT, onStopSignal);
        m_term = std::signal(SIGTERM, onStopSignal);
    }
    ~StopSignals()
    {
        std::signal(SIGINT, m_int == SIG_ERR ? SIG_DFL : m_int);
        std::signal(SIGTERM, m_term == SIG_ERR ? SIG_DFL : m_term);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    void (*m_int)(int);
    void (*m_term)(int);
};

} // namespace

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
    const StopSignals handlers;
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
