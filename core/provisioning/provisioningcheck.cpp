#include "provisioningcheck.h"

#include "central/centralclient.h"

#include <QUrl>

namespace iotc {

namespace {

// Why DPS is not asked for this application's devices, or empty. The global DPS endpoint knows
// the devices of Azure IoT Central applications only: for any other application (the simulator,
// a test double, a proxy) it would only fail to resolve or refuse the device, and the device's key
// would go to a service that has no business with it. Given a DPS endpoint, it is asked.
QString dpsNotApplicable(const ConnectionProfile& profile)
{
    if (profile.dpsEndpoint != ConnectionProfile {}.dpsEndpoint)
        return {};
    const QString host = QUrl(profile.baseUrl).host().toLower();
    if (host.endsWith(QStringLiteral(".azureiotcentral.com")))
        return {};
    return QStringLiteral("DPS not checked: the application (%1) is not an Azure IoT Central host "
                          "(*.azureiotcentral.com), so the global DPS endpoint (%2) does not know its devices. To "
                          "check DPS, give the DPS endpoint its devices register with (--dps-endpoint URL).")
        .arg(host.isEmpty() ? profile.baseUrl : host, QUrl(profile.dpsEndpoint).host());
}

} // namespace

bool ProvisioningReport::dpsProblem() const
{
    return dps && dps->reached() && (dps->errorCode.has_value() || dps->status != QLatin1String("assigned"));
}

QString dpsAnswerText(const DpsAnswer& answer)
{
    return QStringLiteral("DPS answered %1%2%3")
        .arg(answer.httpStatus)
        .arg(answer.errorCode ? QStringLiteral(", errorCode ") + QString::number(*answer.errorCode) : QString())
        .arg(answer.status.isEmpty()
                ? QString(QStringLiteral(": ") + answer.errorMessage)
                : QString(QStringLiteral(": ") + answer.status
                    + (answer.assignedHub.isEmpty() ? QString() : QStringLiteral(" to ") + answer.assignedHub)));
}

ProvisioningReport checkProvisioning(CentralClient& client, const QString& deviceId)
{
    auto deviceFuture = client.device(deviceId);
    deviceFuture.waitForFinished();
    const auto device = deviceFuture.result();
    if (!device.ok()) {
        ProvisioningReport report;
        report.error = device.error;
        report.device.id = deviceId; // which device the failure is about
        return report;
    }
    return checkProvisioning(client, *device.value);
}

ProvisioningReport checkProvisioning(CentralClient& client, const Device& device)
{
    ProvisioningReport report;
    report.device = device;
    report.status = deviceStatus(device);
    auto credentialsFuture = client.credentials(device.id);
    credentialsFuture.waitForFinished();
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
    if (const QString why = dpsNotApplicable(client.profile()); !why.isEmpty()) {
        report.dpsNote = why;
        return report;
    }
    auto dpsFuture = checkDpsRegistration(client.http(), client.profile().dpsEndpoint, report.idScope, device.id,
        key.toLatin1(), client.profile().timeoutMs, client.profile().network);
    dpsFuture.waitForFinished();
    report.dps = dpsFuture.result();
    if (!report.dps->reached())
        report.dpsNote = QStringLiteral("DPS could not be reached: ") + report.dps->transportError.summary();
    return report;
}

} // namespace iotc
