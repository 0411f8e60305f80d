#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <type_traits>
#include <utility>

namespace iotc {

// Runs f(result) on context's thread, always on a later turn of its event loop: never inside the
// call that attaches it, even when the future has already finished.
//
// Why not future.then(context, f): Qt 6.4 invokes that continuation with Qt::AutoConnection, so
// when the future is already finished and context lives in the calling thread, f runs at once,
// inside then(). A fast answer (a loopback server while the caller is preempted between sending
// and attaching) then emits the caller's "done" signal before the caller has returned, and
// whoever waits for that signal after the call (QSignalSpy::wait, a local event loop) never sees it.
//
// Call it from context's thread. Like then(), f does not run when the future ends without a result
// (cancelled), nor once context is destroyed.
template <class T, class F> void thenQueued(const QFuture<T>& future, QObject* context, F f)
{
    // A watcher's signals always arrive as posted events, finished or not when it is set.
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, f = std::move(f)]() mutable {
        watcher->deleteLater();
        if constexpr (std::is_void_v<T>) {
            if (!watcher->isCanceled())
                f();
        } else if (watcher->future().resultCount() > 0) {
            f(watcher->result());
        }
    });
    watcher->setFuture(future);
}

} // namespace iotc
