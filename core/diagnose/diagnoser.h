#pragma once

#include "diagnosis.h"

#include "central/connection.h"
#include "eventhub/eventhubtarget.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace iotc {

class CentralClient;

struct DiagnoseOptions {
    QString deviceId;
    int listenSeconds = 60; // how long to wait for live data
    double lookbackMinutes = 10; // also read what the device sent this long ago
    int enoughMessages = 20; // stop listening early once this many arrived
    std::optional<QString> deviceLog; // pasted or loaded device log text
    std::optional<EventHubTarget> eventHub; // instead of asking IoT Central for event hub tokens
    // Set (from any thread) to stop listening early: the diagnosis finishes with what it saw.
    std::shared_ptr<std::atomic<bool>> stopListening;
};

// Walks the troubleshooting guide for one device: app and credentials, the device, its
// provisioning status and DPS answer, whether data arrives, the device log, payload shape,
// properties, IoT Edge; then ranks the causes. Checks that cannot run say why and the rest go on.
// Blocking (REST and AMQP round trips): run it off the GUI thread.
class Diagnoser {
public:
    Diagnoser(ConnectionProfile profile, DiagnoseOptions options);

    // progress(checkId, text) is called as checks start and end.
    Diagnosis run(const std::function<void(const QString&, const QString&)>& progress = {});

private:
    struct Context; // what the checks share: the client, the device, the evidence per cause ...

    // One function per check, in the order they run; each returns what it found and adds its evidence.
    std::pair<DiagnosisCheck, DiagnosisCheck> checkApplicationAndDevice(Context& c) const; // one call answers both
    void checkTemplateExists(Context& c, DiagnosisCheck& deviceCheck) const; // part of the device check
    DiagnosisCheck checkProvisioning(Context& c) const;
    DiagnosisCheck checkData(Context& c) const;
    DiagnosisCheck checkDeviceLog(Context& c) const;
    DiagnosisCheck checkPayload(Context& c) const; // also picks the sample messages
    DiagnosisCheck checkProperties(Context& c) const;
    DiagnosisCheck checkEdge(Context& c) const;
    static void rankCauses(Context& c); // the verdict

    ConnectionProfile m_profile;
    DiagnoseOptions m_options;
};

} // namespace iotc
