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
    bool streamFailed = false; // the stream gave up (failed()): nothing more could be read
    double seconds = 0; // how long it listened
    qint64 listenStartMs = 0; // when listening began (ms since the epoch): events enqueued before are the look-back
    bool stoppedEarly = false; // options.stopListening ended it
};

// The diagnosis' data check: reads the device's events (options.eventHub, or the application's
// hubs), looking back options.lookbackMinutes, then listening up to options.listenSeconds or until
// options.enoughMessages arrived, one of them while listening (the look-back alone does not say the
// device still sends), or options.stopListening is set, or the stream gave up. Runs an event loop on the calling
// thread (any thread) until then.
Listening listenToDevice(const std::shared_ptr<CentralClient>& client,
    const std::shared_ptr<TemplateResolver>& resolver, const DiagnoseOptions& options);

} // namespace iotc
