#pragma once

#include "diagnoser.h"

#include "monitor/observation.h"

#include <QString>

#include <memory>
#include <vector>

namespace iotc {

class CentralClient;
class TemplateResolver;

// What listening to one device's events found.
struct Listening {
    std::vector<Observation> observations; // telemetry only: twin and lifecycle events say the device
                                           // is alive, not that data arrives
    QString hubsError; // why no event hub could be read at all (the application's tokens refused ...)
    QString streamError; // why a consumer gave up, when one did
    double seconds = 0; // how long it listened
    bool stoppedEarly = false; // options.stopListening ended it
};

// The diagnosis' data check: reads the device's events (options.eventHub, or the application's
// hubs), looking back options.lookbackMinutes, then listening up to options.listenSeconds or until
// options.enoughMessages arrived or options.stopListening is set. Runs an event loop on the calling
// thread (any thread) until then.
Listening listenToDevice(const std::shared_ptr<CentralClient>& client,
    const std::shared_ptr<TemplateResolver>& resolver, const DiagnoseOptions& options);

} // namespace iotc
