#include "provisioningcheck.h"

#include "central/centralclient.h"

namespace iotc {

bool ProvisioningReport::dpsProblem() const
{
    return dps && dps->reached() && (dps->errorCode.has_value() || dps->status != QLatin1String("assigned"));
}

ProvisioningReport checkProvisioning(CentralClient& client, const QString& deviceId)
{
    ProvisioningReport report;
    auto deviceFuture = client.device(deviceId);
    auto credentialsFuture = client.credentials(deviceId);
    deviceFuture.waitForFinished();
    const auto device = deviceFuture.result();
    credentialsFuture.waitForFinished();
    if (!device.ok()) {
        report.error = device.error;
        return report;
    }
    report.device = *device.value;
    report.status = deviceStatus(report.device);

    const auto credentials = credentialsFuture.result();
    if (!credentials.ok()) {
        report.dpsNote = QStringLiteral("DPS not checked: the device's credentials could not be read (")
            + credentials.error.summary() + QStringLiteral("). A token with the Administrator or Builder role can.");
        return report;
    }
    const QJsonObject& c = *credentials.value;
    report.idScope = c.value(QStringLiteral("idScope")).toString();
    const QString key
        = c.value(QStringLiteral("symmetricKey")).toObject().value(QStringLiteral("primaryKey")).toString();
    if (!key.isEmpty())
        report.credentialType = QStringLiteral("Shared access key");
    else if (c.contains(QStringLiteral("x509")))
        report.credentialType = QStringLiteral("X.509 certificate");
    else if (c.contains(QStringLiteral("tpm")))
        report.credentialType = QStringLiteral("TPM");
    if (key.isEmpty()) {
        report.dpsNote
            = QStringLiteral("DPS not checked: the device authenticates with %1; only the device itself "
                             "can ask DPS. Check its logs for DPS errors.")
                  .arg(report.credentialType.isEmpty() ? QStringLiteral("unknown credentials") : report.credentialType);
        return report;
    }
    auto dpsFuture = checkDpsRegistration(client.http(), client.profile().dpsEndpoint, report.idScope, deviceId,
        key.toLatin1(), client.profile().timeoutMs);
    dpsFuture.waitForFinished();
    report.dps = dpsFuture.result();
    if (!report.dps->reached())
        report.dpsNote = QStringLiteral("DPS could not be reached: ") + report.dps->transportError.summary();
    return report;
}

} // namespace iotc
