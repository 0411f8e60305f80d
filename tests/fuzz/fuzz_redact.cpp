// The redactor, as a property: a secret in any known shape (every spelling, quoting, case and
// encoding the redactor promises), with any text around it, never survives; any text at all is
// redacted without a crash.
#include "fuzzinput.h"
#include "util/redact.h"

#include <QString>
#include <QUrl>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

namespace {

// {S} is the secret.
const std::array<const char*, 38> Shapes = {
    "SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd1&sig={S}&se=1700000000",
    "sig={S}",
    "SIG={S}&se=1",
    "sr=x&sig%3D{S}%26se%3D1",
    "\"sig\":\"{S}\"",
    "\"sharedAccessKey\": \"{S}\"",
    "\"symmetricKey\":{\"primaryKey\":\"{S}\"}",
    "{\\\"apiToken\\\":\\\"{S}\\\"}",
    "\"bearerToken\" : \"{S}\"",
    "authorization: bearer {S}",
    "Authorization: Bearer {S}",
    "Authorization: Basic {S}",
    "SharedAccessKey:{S}",
    "SharedAccessKey={S}",
    "HostName=h.azure-devices.net;DeviceId=d;SharedAccessKey={S}",
    "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey={S};EntityPath=e",
    "primary_key={S}",
    "deviceKey={S}",
    "client_secret={S}",
    "x-api-key: {S}",
    "'primaryKey': '{S}'",
    "'secondaryKey':'{S}'",
    "\"apiToken\":\"{S}\"",
    "password={S}",
    "\"token\": \"{S}\"",
    "secondaryKey = {S}",
    "api_key={S}",
    "\"deviceKey\":\"{S}\"",
    "SHAREDACCESSKEY={S}",
    "sharedaccesskey: \"{S}\"",
    "DefaultEndpointsProtocol=https;AccountName=a;AccountKey={S};EndpointSuffix=core.windows.net",
    "Server=tcp:s;Uid=u;Pwd={S};",
    "x-functions-key: {S}",
    "{\"name\":\"SharedAccessKey\",\"value\":\"{S}\"}",
    "{\"Name\": \"DeviceKey\",\n \"Value\": \"{S}\"}",
    "-----BEGIN PRIVATE KEY-----\n{S}\n-----END PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----\n{S}",
    "Basic {S}",
};

const char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    iotc::fuzz::FuzzInput in(data, size);
    const uint8_t shape = in.pick();
    const size_t length = 16 + in.pick() % 49;
    std::string secret;
    for (size_t i = 0; i < length; ++i)
        secret.push_back(Alphabet[in.pick() % (sizeof(Alphabet) - 1)]);
    const auto prefix = in.take(in.pick());
    const auto suffix = in.rest();

    // Any text: no crash, no hang.
    const QString anyText = QString::fromUtf8(suffix.data(), static_cast<qsizetype>(suffix.size()));
    (void)iotc::redactSecrets(anyText);

    std::string shaped = Shapes[shape % Shapes.size()];
    shaped.replace(shaped.find("{S}"), 3, secret);
    const QString text = QString::fromUtf8(prefix.data(), static_cast<qsizetype>(prefix.size())) + QLatin1Char('\n')
        + QString::fromStdString(shaped) + QLatin1Char('\n') + anyText;
    const QString redacted = iotc::redactSecrets(text);
    const QString raw = QString::fromStdString(secret);
    if (text.count(raw) != 1)
        return 0; // the fuzzer put the secret outside the shape too: nothing to judge
    if (redacted.contains(raw) || QUrl::fromPercentEncoding(redacted.toUtf8()).contains(raw)) {
        fprintf(stderr, "secret survived in shape %u:\n%s\n", unsigned(shape % Shapes.size()), qPrintable(redacted));
        __builtin_trap();
    }
    return 0;
}
