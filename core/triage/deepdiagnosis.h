#pragma once

#include "central/connection.h"
#include "eventhub/eventhubtarget.h"
#include "fleettriage.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace iotc {

// IoT Central's REST API allows 20 requests a second per application (its documented limit);
// the deep diagnoses take half of it, leaving the rest to the application's other users.
constexpr double DeepRequestsPerSecond = 10;

struct DeepDiagnosisOptions {
    int count = 0; // how many of the worst devices
    double requestsPerSecond = DeepRequestsPerSecond; // every diagnosis's REST calls together
    std::shared_ptr<RequestPacer> pacer; // to share with other work (null: one at requestsPerSecond)
    int listenSeconds = 30; // per device, for live data
    double lookbackMinutes = 10;
    std::optional<EventHubTarget> eventHub;
    std::shared_ptr<std::atomic<bool>> stop; // set from any thread: no further device is started
    std::function<void(const QString&)> progress; // "Diagnosing d1 (2 of 5)…" (calling thread)
};

struct DeepDiagnosis {
    QString deviceId;
    QStringList causes; // the full diagnosis's cause codes, highest ranked first
};

// triage --deep N: the full diagnosis (diagnose/diagnoser.h) of the N worst devices of a triage,
// in rank order, one after another, skipping healthy ones. Their REST calls share one pacer, so
// that together they stay within requestsPerSecond. Blocking: run it off the GUI thread.
std::vector<DeepDiagnosis> diagnoseWorst(
    ConnectionProfile profile, const TriageResult& triage, const DeepDiagnosisOptions& options);

} // namespace iotc
