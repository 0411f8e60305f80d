#pragma once

#include <QString>
#include <QStringList>

namespace iotc {

class CentralClient;

// What a device of this application must reach, asked of the application: its event hubs (the
// generateEventSasTokens answer) and, for a device, the hub DPS assigned it (the registration
// status lookup with the device's key). What could not be learnt is said in notes, never guessed.
struct AppNetTargets {
    QString dpsHost; // the profile's DPS endpoint's host
    QStringList hubHosts;
    QStringList eventHubHosts;
    QStringList notes;
};

// Blocking (REST and DPS round trips): off the GUI thread.
AppNetTargets appNetTargets(CentralClient& client, const QString& deviceId = {});

} // namespace iotc
