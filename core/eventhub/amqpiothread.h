#pragma once

#include <QThread>

#include <functional>
#include <memory>

namespace iotc {

// The one worker thread, with a Qt event loop, that drives every AMQP connection of the process:
// the sockets, Proton's connection drivers and the consumers' timers live on it. Shared by whoever
// holds it; it ends when the last holder lets go, which must not be the thread itself.
class AmqpIoThread {
public:
    static std::shared_ptr<AmqpIoThread> acquire();
    ~AmqpIoThread();
    AmqpIoThread(const AmqpIoThread&) = delete;
    AmqpIoThread& operator=(const AmqpIoThread&) = delete;

    QThread* thread() { return &m_thread; }
    bool isCurrent() const { return QThread::currentThread() == &m_thread; }
    // Runs work on the thread: queued, or waiting until it ran (at once when called there).
    void post(std::function<void()> work);
    void run(const std::function<void()>& work);

private:
    AmqpIoThread();
    QThread m_thread;
    QObject* m_anchor; // lives on the thread: the context work is queued to
};

} // namespace iotc
