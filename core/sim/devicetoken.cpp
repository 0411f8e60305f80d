#include "devicetoken.h"

#include "simstate.h"
#include "util/sas.h"

#include <QDateTime>

namespace iotc::sim {

DeviceTokenVerdict checkDeviceToken(
    const SimState& state, const QString& hubHost, const QString& deviceId, const QString& token)
{
    const auto device = state.device(deviceId);
    if (!device)
        return DeviceTokenVerdict::UnknownDevice;
    const auto parsed = parseSasToken(token);
    const bool keyOk = verifySasSignature(token, device->primaryKey, SasKeyKind::Base64Decoded)
        || verifySasSignature(token, device->secondaryKey, SasKeyKind::Base64Decoded);
    const bool audienceOk = parsed
        && parsed->resource.compare(hubHost + QStringLiteral("/devices/") + deviceId, Qt::CaseInsensitive) == 0;
    if (!keyOk || !audienceOk)
        return DeviceTokenVerdict::BadToken;
    if (parsed->expiry <= QDateTime::currentSecsSinceEpoch())
        return DeviceTokenVerdict::Expired;
    if (!device->enabled)
        return DeviceTokenVerdict::Disabled;
    return DeviceTokenVerdict::Accepted;
}

QString deviceTokenText(DeviceTokenVerdict verdict)
{
    switch (verdict) {
    case DeviceTokenVerdict::Accepted:
        return QStringLiteral("Accepted");
    case DeviceTokenVerdict::UnknownDevice:
        return QStringLiteral("404001: the device is not registered in this IoT hub");
    case DeviceTokenVerdict::BadToken:
        return QStringLiteral("401002: the token's signature or audience is not valid for this device");
    case DeviceTokenVerdict::Expired:
        return QStringLiteral("401002: the token has expired");
    case DeviceTokenVerdict::Disabled:
        return QStringLiteral("401003: the device is disabled in this IoT hub");
    }
    return {};
}

} // namespace iotc::sim
