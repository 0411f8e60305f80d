// Secrets in a device log, in every shape the redactor promises to hide, must not reach anything
// iotc-diag writes: the diagnose reports (Markdown, HTML, JSON), its stdout, and scan-log's output.
// The log's lines reach the reports as evidence, which is how a secret would leak.
#include "hostilecli.h"

#include <QFile>
#include <QUrl>

#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace iotc::hostile;

namespace {

// base64 as keys and signatures are written, with the characters that URL and JSON escape.
std::string secretNumber(int n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::mt19937 rng(static_cast<unsigned>(1000 + n));
    std::string out;
    for (int i = 0; i < 40; ++i)
        out.push_back(alphabet[std::uniform_int_distribution<int>(0, 63)(rng)]);
    out[7] = '+';
    out[19] = '/';
    return out + "=";
}

std::string url(const std::string& v)
{
    return QUrl::toPercentEncoding(QString::fromStdString(v)).toStdString();
}

std::string jsonSlash(const std::string& v)
{
    std::string out;
    for (char c : v)
        out += c == '/' ? std::string("\\/") : std::string(1, c);
    return out;
}

std::string b64url(const std::string& v)
{
    std::string out;
    for (char c : v)
        if (c != '=')
            out.push_back(c == '+' ? '-' : c == '/' ? '_' : c);
    return out;
}

struct Log {
    std::string text;
    std::vector<std::string> secrets;
};

// One error line per shape (401002 makes the scanner keep it as evidence), each with its own secret.
Log hostileLog()
{
    using Shape = std::string (*)(const std::string&);
    static const Shape shapes[] = {
        [](const std::string& v) { return "SharedAccessSignature sr=hub%2Fdevices%2Fd1&sig=" + url(v) + "&se=17"; },
        [](const std::string& v) { return "SharedAccessSignature sr=x&SIG=" + v + "&se=17"; },
        [](const std::string& v) { return "GET /devices?sr=x%26sig%3D" + url(v) + "%26se%3D1"; },
        [](const std::string& v) { return "{\"sig\":\"" + v + "\"}"; },
        [](const std::string& v) { return "{\"sharedAccessKey\": \"" + v + "\"}"; },
        [](const std::string& v) { return "{\"symmetricKey\":{\"primaryKey\":\"" + v + "\"}}"; },
        [](const std::string& v) { return "{\"bearerToken\":\"" + v + "\"}"; },
        [](const std::string& v) { return "{\"msg\":\"{\\\"apiToken\\\":\\\"" + jsonSlash(v) + "\\\"}\"}"; },
        [](const std::string& v) { return "Authorization: bearer " + v; },
        [](const std::string& v) { return "Authorization: Basic " + v; },
        [](const std::string& v) { return "SharedAccessKey: " + v; },
        [](const std::string& v) { return "primary_key=" + v; },
        [](const std::string& v) { return "deviceKey=" + v; },
        [](const std::string& v) { return "client_secret=" + v; },
        [](const std::string& v) { return "x-api-key: " + v; },
        [](const std::string& v) { return "{'registrationId': 'd1', 'primaryKey': '" + v + "'}"; },
        [](const std::string& v) { return "HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=" + v; },
        [](const std::string& v) {
            return "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=" + v
                + ";EntityPath=e";
        },
        [](const std::string& v) { return "\"Authorization\": \"SharedAccessSignature sr=app&sig=" + url(v) + "\""; },
        [](const std::string& v) { return "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0." + b64url(v); },
        [](const std::string& v) { return "PASSWORD=\"" + v + "\""; },
        [](const std::string& v) { return "{\"token\": \"" + v + "\"}"; },
        [](const std::string& v) { return "&quot;secondaryKey&quot;: &quot;" + v + "&quot;"; },
        [](const std::string& v) { return "api_key%3D" + url(url(v)); },
    };
    Log log;
    int n = 0;
    for (const auto shape : shapes) {
        const std::string secret = secretNumber(n++);
        log.secrets.push_back(secret);
        log.text += "2024-05-01T10:00:0" + std::to_string(n % 10) + "Z ERROR 401002 IotHubUnauthorizedAccess "
            + shape(secret) + "\n";
    }
    // Lines longer than the scanner keeps (400 bytes): the cut falls inside the secret.
    for (const std::string& key : { std::string("token: "), std::string("{\"primaryKey\": \"") }) {
        const std::string secret = secretNumber(n++);
        log.secrets.push_back(secret);
        const std::string head = "ERROR 401002 " + std::string(400 - 13 - key.size() - 20, '.') + key;
        log.text += head + secret + "\n";
    }
    log.text += "INFO connected to HostName=hub.azure-devices.net;DeviceId=d1\n";
    return log;
}

// The secret, or 12 characters of it, in any spelling a report could give it.
::testing::AssertionResult holdsNoSecret(const std::string& output, const std::vector<std::string>& secrets)
{
    for (const auto& secret : secrets) {
        const std::string html = QString::fromStdString(secret).toHtmlEscaped().toStdString();
        for (const std::string& form :
            { secret, url(secret), url(url(secret)), jsonSlash(secret), b64url(secret), html })
            for (size_t i = 0; i + 12 <= form.size(); ++i)
                if (output.find(form.substr(i, 12)) != std::string::npos)
                    return ::testing::AssertionFailure()
                        << "\"" << form.substr(i, 12) << "\" of secret " << secret << " is in the output";
    }
    return ::testing::AssertionSuccess();
}

std::string readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

} // namespace

TEST(HostileRedaction, DiagnoseReportsHoldNoSecretFromTheDeviceLog)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const Log log = hostileLog();
    const QString logPath = writeFile(dir, QStringLiteral("device.log"), log.text);
    // Each report format once, stdout in both of its formats on the way.
    const std::pair<const char*, const char*> runs[] = { { "md", "json" }, { "html", "text" }, { "json", "json" } };
    for (const auto& [format, output] : runs) {
        const QString report = dir.filePath(QStringLiteral("report.") + QLatin1String(format));
        const auto e
            = runDiag({ QStringLiteral("diagnose"), QStringLiteral("healthy-controller"), QStringLiteral("--demo"),
                          QStringLiteral("--listen"), QStringLiteral("1"), QStringLiteral("--device-log"), logPath,
                          QStringLiteral("--report"), report, QStringLiteral("--output"), QLatin1String(output) },
                {}, 60000);
        ASSERT_TRUE(endedCleanly(e, { 1 })) << format;
        const std::string written = readAll(report);
        // Not vacuous: the log's lines are in the report, with their secrets masked.
        EXPECT_NE(written.find("HostName=hub.azure-devices.net"), std::string::npos) << format;
        EXPECT_NE(written.find(std::string(format) == "html" ? "&lt;redacted&gt;" : "<redacted>"), std::string::npos)
            << format;
        EXPECT_TRUE(holdsNoSecret(written, log.secrets)) << "report." << format;
        EXPECT_TRUE(holdsNoSecret(e.out, log.secrets)) << "stdout, --output " << output;
        EXPECT_TRUE(holdsNoSecret(e.err, log.secrets)) << "stderr, --output " << output;
    }
}

TEST(HostileRedaction, ScanLogEchoesNoSecret)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const Log log = hostileLog();
    const QString logPath = writeFile(dir, QStringLiteral("device.log"), log.text);
    for (const char* output : { "json", "text" }) {
        const auto e
            = runDiag({ QStringLiteral("scan-log"), logPath, QStringLiteral("--output"), QLatin1String(output) });
        ASSERT_TRUE(endedCleanly(e, { 1 })) << output;
        EXPECT_NE(e.out.find("401002"), std::string::npos) << "the findings are listed";
        EXPECT_TRUE(holdsNoSecret(e.out, log.secrets)) << "stdout, --output " << output;
        EXPECT_TRUE(holdsNoSecret(e.err, log.secrets)) << "stderr, --output " << output;
    }
    // From stdin too (the same path, another way in).
    const auto e = runDiag({ QStringLiteral("scan-log"), QStringLiteral("-") }, QByteArray::fromStdString(log.text));
    ASSERT_TRUE(endedCleanly(e, { 1 }));
    EXPECT_NE(e.out.find("<redacted>"), std::string::npos) << "the log lines are echoed, masked";
    EXPECT_TRUE(holdsNoSecret(e.out, log.secrets));
}
