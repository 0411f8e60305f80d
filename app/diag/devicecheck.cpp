#include "devicecheck.h"

#include "runloop.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "central/deviceidsuggest.h"

#include <QFutureWatcher>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

namespace iotc::cli {

namespace {

// The pages of the device list read for a did-you-mean (as similarDeviceIdsInApp's default).
constexpr int SuggestionPages = 20;

// The future's result, waited for in a RunLoop; nullopt when a signal came first or it was cancelled.
template <class T> std::optional<T> waitFor(const QFuture<T>& future)
{
    RunLoop loop;
    QFutureWatcher<T> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, [&loop] { loop.finish(); });
    watcher.setFuture(future);
    if (loop.exec() == RunLoop::End::Signal || future.resultCount() == 0)
        return std::nullopt;
    return future.result();
}

} // namespace

bool isPlainDeviceId(const QString& filter)
{
    return !filter.isEmpty() && !filter.contains(QLatin1Char('*')) && !filter.contains(QLatin1Char('?'));
}

DeviceCheck checkDeviceId(const char* command, CentralClient& client, const QString& id)
{
    const auto found = waitFor(client.device(id));
    if (stopRequested())
        return DeviceCheck::Interrupted;
    if (!found) {
        std::fprintf(stderr,
            "iotc-diag %s: could not check that device %s exists (the request was cancelled); "
            "listening anyway\n",
            command, qPrintable(printable(id)));
        return DeviceCheck::Unchecked;
    }
    if (found->ok())
        return DeviceCheck::Known;
    if (found->error.httpStatus != 404) {
        std::fprintf(stderr, "iotc-diag %s: could not check that device %s exists (%s); listening anyway\n", command,
            qPrintable(printable(id)), qPrintable(printable(found->error.summary())));
        return DeviceCheck::Unchecked;
    }
    // Unknown: the ids that look like it, from (the first pages of) the device list; the listing
    // stops at once when a signal comes.
    auto known = std::make_shared<QStringList>();
    auto guard = std::make_shared<std::mutex>();
    auto stop = std::make_shared<std::atomic<bool>>(false);
    const auto listing = client.listDevices(
        [known, guard, stop](const QList<Device>& page) {
            std::lock_guard lock(*guard);
            for (const auto& d : page)
                known->append(d.id);
            return !stop->load();
        },
        SuggestionPages);
    waitFor(listing);
    stop->store(true);
    if (stopRequested())
        return DeviceCheck::Interrupted;
    QStringList similar;
    {
        std::lock_guard lock(*guard);
        similar = similarDeviceIds(id, *known);
    }
    std::fprintf(stderr, "iotc-diag %s: %s\n", command, qPrintable(printable(unknownDeviceText(id, similar))));
    return DeviceCheck::Unknown;
}

} // namespace iotc::cli
