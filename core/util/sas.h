#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>

namespace iotc {

// Shared access signatures as IoT Hub, DPS and Event Hubs use them.
//   SharedAccessSignature sr={urlencoded resource}&sig={urlencoded base64 HMAC}&se={expiry s}[&skn={key name}]
// IoT Hub and DPS sign with the base64-DECODED key; Event Hubs / Service Bus sign with the key
// text's raw bytes.
enum class SasKeyKind { Base64Decoded, RawText };

struct SasToken {
    QString resource; // decoded sr
    QString signature; // decoded sig (base64 text)
    qint64 expiry = 0; // se, seconds since the epoch
    QString keyName; // skn, may be empty
};

// Percent-encodes everything but A-Z a-z 0-9 - _ . ~ (upper-case hex).
QString sasUrlEncode(const QString& text);

QString makeSasToken(
    const QString& resource, const QByteArray& key, SasKeyKind kind, qint64 expiry, const QString& keyName = {});

// Parses "SharedAccessSignature sr=..&sig=..&se=..&skn=.." (field order free).
std::optional<SasToken> parseSasToken(const QString& token);

// True when the token's signature is the one key would give for its sr and se.
bool verifySasSignature(const QString& token, const QByteArray& key, SasKeyKind kind);

// A device key derived from an enrollment-group key: base64(HMAC-SHA256(base64decode(groupKey), registrationId)).
QByteArray deriveDeviceKey(const QByteArray& groupKeyBase64, const QString& registrationId);

// DPS registration token for a device: sr = {idScope}/registrations/{registrationId}, skn = registration.
QString makeDpsToken(
    const QString& idScope, const QString& registrationId, const QByteArray& deviceKeyBase64, qint64 expiry);

qint64 secondsFromNow(std::chrono::seconds delta);

} // namespace iotc
