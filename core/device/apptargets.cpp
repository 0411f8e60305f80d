#include "apptargets.h"

#include "central/centralclient.h"
#include "eventhub/eventhubtarget.h"
#include "provisioning/provisioningcheck.h"

#include <QUrl>

namespace iotc {

AppNetTargets appNetTargets(CentralClient& client, const QString& deviceId)
{
    AppNetTargets t;
    t.dpsHost = QUrl(client.profile().dpsEndpoint).host();
    const auto tokens = client.eventSasTokens().result();
    if (tokens.ok()) {
        QString error;
        for (const auto& target : EventHubTarget::fromEventSasTokens(*tokens.value, error)) {
            if (!t.eventHubHosts.contains(target.hostName()))
                t.eventHubHosts << target.hostName();
        }
        if (!error.isEmpty())
            t.notes << QStringLiteral("the application's event hubs: ") + error;
    } else {
        t.notes << QStringLiteral("the application's event hubs could not be read: ") + tokens.error.summary();
    }
    if (deviceId.isEmpty()) {
        t.notes << QStringLiteral("no device given (--device-id): its IoT hub is not checked; name it with --hub");
        return t;
    }
    const ProvisioningReport report = checkProvisioning(client, deviceId);
    if (!report.ok())
        t.notes << QStringLiteral("the device could not be read: ") + report.error.summary();
    else if (report.dps && !report.dps->assignedHub.isEmpty())
        t.hubHosts << report.dps->assignedHub;
    else
        t.notes << QStringLiteral("DPS did not name the device's hub: ")
                + (report.dps ? dpsAnswerText(*report.dps) : report.dpsNote);
    return t;
}

} // namespace iotc
