#pragma once

#include "central/devicefilter.h"
#include "eventhub/eventhubtarget.h"
#include "fleettriage.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace iotc {

class CentralClient;

struct TriageOptions {
    double listenSeconds = 60; // the live window
    double lookbackMinutes = 10; // how far back the event stream is read first
    DeviceListFilter filter; // which devices are triaged (--status, --template)
    std::optional<EventHubTarget> eventHub; // instead of asking IoT Central for event hub tokens
    std::shared_ptr<std::atomic<bool>> stop; // set from any thread: the window ends now
    std::function<void(const QString&)> progress; // what it is doing, in words (calling thread)
};

struct TriageRun {
    TriageResult result;
    bool couldNotRun = false; // the device list or the event stream could not be read: no verdicts
    QString whyNot;
    int devicesListed = 0; // before the filter
    qint64 listMs = -1; // how long listing the devices took
    double listenedSeconds = 0;
    qint64 listenStartMs = 0;
    bool stoppedEarly = false;
};

// One triage pass: lists the application's devices (every page, filtered) while the event stream
// of every device is read from lookbackMinutes ago and then listened to for listenSeconds; then
// every listed device gets its cause (FleetTriage). No per-device DPS or property calls. When the
// device list or the event stream cannot be read, nothing is judged (a device is never said to
// send nothing because the tool could not see). Runs an event loop on the calling thread.
TriageRun runTriage(const std::shared_ptr<CentralClient>& client, const TriageOptions& options);

} // namespace iotc
