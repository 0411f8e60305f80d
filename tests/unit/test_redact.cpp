// The one redactor: every secret shape (key spelling, quoting, case, URL/JSON/HTML escaping,
// Authorization schemes, connection strings, JWTs) loses its value, and text without a secret's
// key/value shape stays as it was.
#include "util/redact.h"

#include <QUrl>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <ostream>
#include <random>
#include <string>
#include <vector>

using namespace iotc;

// A failed EXPECT_EQ shows the texts, not their bytes.
QT_BEGIN_NAMESPACE
void PrintTo(const QString& text, std::ostream* os)
{
    *os << '"' << text.toStdString() << '"';
}
QT_END_NAMESPACE

namespace {

QString s(const std::string& utf8)
{
    return QString::fromStdString(utf8);
}

// base64 as keys and signatures are written: 20 to 64 characters, sometimes padded.
std::string randomSecret(std::mt19937& rng)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const int length = std::uniform_int_distribution<int>(20, 64)(rng);
    std::string out;
    for (int i = 0; i < length; ++i)
        out.push_back(alphabet[std::uniform_int_distribution<int>(0, 63)(rng)]);
    const int padding = std::uniform_int_distribution<int>(0, 2)(rng);
    out.replace(out.size() - static_cast<size_t>(padding), static_cast<size_t>(padding), std::string(padding, '='));
    return out;
}

std::string urlEncoded(const std::string& v)
{
    return QUrl::toPercentEncoding(s(v)).toStdString();
}

std::string jsonEscaped(const std::string& v) // as PHP and some loggers write '/'
{
    std::string out;
    for (char c : v)
        out += c == '/' ? std::string("\\/") : std::string(1, c);
    return out;
}

std::string dotnetEscaped(const std::string& v) // System.Text.Json writes '+' as \u002B
{
    std::string out;
    for (char c : v)
        out += c == '+' ? std::string("\\u002B") : std::string(1, c);
    return out;
}

std::string base64Url(const std::string& v)
{
    std::string out;
    for (char c : v)
        if (c != '=')
            out.push_back(c == '+' ? '-' : c == '/' ? '_' : c);
    return out;
}

// Fails when the secret, or any 12 characters of it in any spelling, is still in the output.
::testing::AssertionResult noSecretIn(const QString& redacted, const std::string& secret, const QString& input)
{
    for (const std::string& form : { secret, urlEncoded(secret), jsonEscaped(secret), dotnetEscaped(secret),
             base64Url(secret), urlEncoded(urlEncoded(secret)) }) {
        for (size_t i = 0; i + 12 <= form.size(); ++i)
            if (redacted.contains(s(form.substr(i, 12))))
                return ::testing::AssertionFailure() << "\"" << form.substr(i, 12) << "\" of the secret survives in\n  "
                                                     << redacted.toStdString() << "\nfrom\n  " << input.toStdString();
    }
    return ::testing::AssertionSuccess();
}

// A key name in every spelling: sharedAccessKey, SharedAccessKey, shared_access_key,
// shared-access-key, sharedaccesskey, SHARED_ACCESS_KEY, SHAREDACCESSKEY.
std::vector<std::string> spellings(const std::vector<std::string>& words)
{
    auto capital = [](std::string w) {
        w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
        return w;
    };
    auto upper = [](std::string w) {
        for (auto& c : w)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return w;
    };
    std::string camel, pascal, snake, kebab, joined;
    for (size_t i = 0; i < words.size(); ++i) {
        camel += i == 0 ? words[i] : capital(words[i]);
        pascal += capital(words[i]);
        snake += (i ? "_" : "") + words[i];
        kebab += (i ? "-" : "") + words[i];
        joined += words[i];
    }
    std::vector<std::string> out { camel, pascal, snake, kebab, joined, upper(snake), upper(joined) };
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

const std::vector<std::vector<std::string>> SecretKeys = { { "sig" }, { "signature" }, { "shared", "access", "key" },
    { "shared", "access", "signature" }, { "primary", "key" }, { "secondary", "key" }, { "symmetric", "key" },
    { "device", "key" }, { "access", "key" }, { "api", "token" }, { "api", "key" }, { "x", "api", "key" },
    { "bearer", "token" }, { "sas", "token" }, { "token" }, { "password" }, { "client", "secret" }, { "secret" },
    { "authorization" }, { "account", "key" }, { "pwd" }, { "x", "functions", "key" }, { "host", "key" } };

using Shape = std::function<std::string(const std::string& key, const std::string& value)>;

// Every quoting a key/value pair meets in logs, payloads and URLs.
const std::vector<Shape>& quotings()
{
    static const std::vector<Shape> shapes = {
        [](auto& k, auto& v) { return k + "=" + v; },
        [](auto& k, auto& v) { return k + " = " + v; },
        [](auto& k, auto& v) { return k + ": " + v; },
        [](auto& k, auto& v) { return k + ":" + v; },
        [](auto& k, auto& v) { return k + "=\"" + v + "\""; },
        [](auto& k, auto& v) { return k + ": '" + v + "'"; },
        [](auto& k, auto& v) { return "\"" + k + "\":\"" + v + "\""; },
        [](auto& k, auto& v) { return "{\"" + k + "\" : \"" + jsonEscaped(v) + "\", \"n\": 1}"; },
        [](auto& k, auto& v) { return "{\"" + k + "\":\"" + dotnetEscaped(v) + "\"}"; },
        [](auto& k, auto& v) { return "{'deviceId': 'd1', '" + k + "': '" + v + "'}"; },
        [](auto& k, auto& v) { return "{\\\"" + k + "\\\":\\\"" + jsonEscaped(v) + "\\\"}"; },
        [](auto& k, auto& v) { return "{\\\\\\\"" + k + "\\\\\\\":\\\\\\\"" + v + "\\\\\\\"}"; },
        [](auto& k, auto& v) { return "\\u0022" + k + "\\u0022:\\u0022" + v + "\\u0022"; },
        [](auto& k, auto& v) { return "&quot;" + k + "&quot;: &quot;" + v + "&quot;"; },
        [](auto& k, auto& v) { return "https://h.example/x?a=1&" + k + "=" + urlEncoded(v) + "&b=2"; },
        [](auto& k, auto& v) { return "q=a%26" + k + "%3D" + urlEncoded(v) + "%26se%3D1"; },
        [](auto& k, auto& v) { return k + "%3d" + urlEncoded(urlEncoded(v)); },
        [](auto& k, auto& v) { return "%7B%22" + k + "%22%3A%22" + urlEncoded(v) + "%22%7D"; },
        [](auto& k, auto& v) { return "\"" + k + "\" => \"" + v + "\""; },
        [](auto& k, auto& v) { return "HostName=h;" + k + "=" + v + ";DeviceId=d1"; },
    };
    return shapes;
}

// Shapes a secret takes without a key of its own.
const std::vector<std::function<std::string(const std::string&)>>& schemes()
{
    static const std::vector<std::function<std::string(const std::string&)>> shapes = {
        [](auto& v) { return "Authorization: Bearer " + v; },
        [](auto& v) { return "authorization: bearer " + v; },
        [](auto& v) { return "AUTHORIZATION: BEARER " + v; },
        [](auto& v) { return "Authorization: Basic " + v; },
        [](auto& v) { return "authorization:basic " + v; },
        [](auto& v) { return "\"Authorization\": \"Bearer " + v + "\""; },
        [](auto& v) { return "{\\\"authorization\\\":\\\"Basic " + v + "\\\"}"; },
        [](auto& v) { return "request failed (bearer " + v + ")"; },
        [](auto& v) { return "Authorization: SharedAccessSignature sr=app&sig=" + urlEncoded(v) + "&skn=op&se=1"; },
        [](auto& v) { return "SharedAccessSignature sr=hub%2Fdevices%2Fd1&sig=" + urlEncoded(v) + "&se=1700000000"; },
        [](auto& v) { return "sharedaccesssignature SR=x&SIG=" + urlEncoded(v) + "&SE=1"; },
        [](auto& v) { return "SharedAccessSignature sr=x&Sig=" + v + "&se=1"; },
        [](auto& v) { return "\"apiToken\":\"SharedAccessSignature sr=x&sig=" + urlEncoded(v) + "&skn=a&se=1\""; },
        [](auto& v) { return "HostName=h.azure-devices.net;DeviceId=d1;SharedAccessKey=" + v; },
        [](auto& v) {
            return "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=" + v
                + ";EntityPath=e";
        },
        [](auto& v) { return "{\"symmetricKey\":{\"primaryKey\":\"" + v + "\"}}"; },
        [](auto& v) { return "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0." + base64Url(v); },
        [](auto& v) { return "id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0." + base64Url(v) + " expired"; },
        [](auto& v) { return "Ocp-Apim-Subscription-Key: " + v; },
        [](auto& v) { return "mqtt_password=" + v; },
        [](auto& v) { return "\"key\": \"" + v + "\""; },
        [](auto& v) {
            return "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + v + ";EndpointSuffix=x.net";
        },
        [](auto& v) { return "Server=tcp:s.example;Database=d;Uid=u;Pwd=" + v + ";Encrypt=yes"; },
        [](auto& v) { return "x-functions-key: " + v; },
        [](auto& v) { return "{\"name\":\"SharedAccessKey\",\"value\":\"" + v + "\"}"; },
        [](auto& v) { return "[{\"Name\": \"DeviceKey\", \"Value\": \"" + v + "\"}]"; },
        [](auto& v) { return "{\n  \"name\": \"mqtt_password\",\n  \"value\": \"" + v + "\"\n}"; },
        [](auto& v) { return "{\\\"name\\\":\\\"primaryKey\\\",\\\"value\\\":\\\"" + v + "\\\"}"; },
        [](auto& v) { return "-----BEGIN PRIVATE KEY-----\n" + v + "\n" + v + "\n-----END PRIVATE KEY-----"; },
        [](auto& v) { return "-----BEGIN RSA PRIVATE KEY-----\r\n" + v + "\r\n-----END RSA PRIVATE KEY-----\r\n"; },
        [](auto& v) {
            return "{\"privateKey\":\"-----BEGIN EC PRIVATE KEY-----\\n" + v + "\\n-----END EC PRIVATE KEY-----\"}";
        },
        [](auto& v) { return "-----BEGIN PRIVATE KEY-----\n" + v; },
    };
    return shapes;
}

// Around each shape: nothing, a log line, a JSON document.
const std::vector<std::pair<std::string, std::string>> Contexts = { { "", "" },
    { "2024-05-01T10:00:00Z ERROR 401002 connect: ", " (retrying)" }, { "{\"temperature\": 21, \"log\": \"", "\"}" } };

} // namespace

TEST(Redact, NoSecretSurvivesAnyKeySpellingOrQuoting)
{
    std::mt19937 rng(20240501);
    int checked = 0;
    for (const auto& words : SecretKeys)
        for (const auto& key : spellings(words))
            for (const auto& shape : quotings())
                for (const auto& [before, after] : Contexts) {
                    const std::string secret = randomSecret(rng);
                    const QString input = s(before + shape(key, secret) + after);
                    const QString out = redactSecrets(input);
                    ASSERT_TRUE(noSecretIn(out, secret, input));
                    ASSERT_TRUE(out.contains(QLatin1String("<redacted>"))) << input.toStdString();
                    ASSERT_EQ(redactSecrets(out), out) << "not idempotent: " << input.toStdString();
                    ++checked;
                }
    EXPECT_GT(checked, 3000);
}

TEST(Redact, NoSecretSurvivesSchemesConnectionStringsAndJwts)
{
    std::mt19937 rng(7);
    for (int round = 0; round < 20; ++round)
        for (const auto& shape : schemes())
            for (const auto& [before, after] : Contexts) {
                const std::string secret = randomSecret(rng);
                const QString input = s(before + shape(secret) + after);
                const QString out = redactSecrets(input);
                ASSERT_TRUE(noSecretIn(out, secret, input));
                ASSERT_EQ(redactSecrets(out), out) << "not idempotent: " << input.toStdString();
            }
}

TEST(Redact, TheReviewedGapsAreClosed)
{
    const std::string secret = "Zm9vYmFyYmF6cXV4K2tleS9zZWNyZXQ=";
    for (const std::string& text : { "SIG=" + secret, "sr=x&sig%3D" + urlEncoded(secret),
             "{\"sig\":\"" + secret + "\"}", "{\"sharedAccessKey\":\"" + secret + "\"}",
             "{\"symmetricKey\":\"" + secret + "\"}", "{\"bearerToken\":\"" + secret + "\"}",
             "{\"log\":\"{\\\"apiToken\\\":\\\"" + secret + "\\\"}\"}", "bearer " + secret, "Basic " + secret,
             "SharedAccessKey: " + secret, "primary_key=" + secret, "deviceKey=" + secret, "client_secret=" + secret,
             "x-api-key: " + secret, "{'primaryKey': '" + secret + "', 'registrationId': 'd1'}" }) {
        const QString out = redactSecrets(s(text));
        EXPECT_TRUE(noSecretIn(out, secret, s(text)));
        EXPECT_TRUE(out.contains(QLatin1String("<redacted>"))) << text;
    }
}

TEST(Redact, KeepsTheShapeAroundTheSecret)
{
    EXPECT_EQ(redactSecrets(QStringLiteral("SharedAccessSignature sr=hub%2Fdevices%2Fd1&SIG=abc%2Bdef%3D&se=17")),
        QStringLiteral("SharedAccessSignature sr=hub%2Fdevices%2Fd1&SIG=<redacted>&se=17"));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("HostName=h.azure-devices.net;SharedAccessKeyName=owner;SharedAccessKey=a+b/c=")),
        QStringLiteral("HostName=h.azure-devices.net;SharedAccessKeyName=owner;SharedAccessKey=<redacted>"));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("{\"symmetricKey\":{\"primaryKey\":\"k1\",\"secondaryKey\":\"k2\"},\"t\":1}")),
        QStringLiteral("{\"symmetricKey\":{\"primaryKey\":\"<redacted>\",\"secondaryKey\":\"<redacted>\"},\"t\":1}"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{\\\"apiToken\\\":\\\"abc\\\\\\\"def\\\",\\\"n\\\":1}")),
        QStringLiteral("{\\\"apiToken\\\":\\\"<redacted>\\\",\\\"n\\\":1}"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{'primaryKey': 'abc', 'deviceId': 'd1'}")),
        QStringLiteral("{'primaryKey': '<redacted>', 'deviceId': 'd1'}"));
    EXPECT_EQ(redactSecrets(QStringLiteral("Authorization: Bearer abc.def.ghi\r\nHost: h")),
        QStringLiteral("Authorization: Bearer <redacted>\r\nHost: h"));
    EXPECT_EQ(redactSecrets(QStringLiteral("\"Authorization\": \"SharedAccessSignature sr=a&sig=b&se=1\"")),
        QStringLiteral("\"Authorization\": \"SharedAccessSignature <redacted>\""));
    EXPECT_EQ(redactSecrets(QStringLiteral("x-api-key: k123 next")), QStringLiteral("x-api-key: <redacted> next"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{\"password\": \"\", \"user\": \"u\"}")),
        QStringLiteral("{\"password\": \"\", \"user\": \"u\"}"))
        << "an empty value has nothing to hide and the next field is not a value";
    EXPECT_EQ(redactSecrets(QStringLiteral("{\"password\": \"ab\\\"cd\", \"t\": 1}")),
        QStringLiteral("{\"password\": \"<redacted>\", \"t\": 1}"))
        << "an escaped quote does not end the value";
}

TEST(Redact, LeavesTextWithoutASecretShapeAlone)
{
    for (const char* text : {
             "{\"temperature\": 21, \"humidity\": 40.5, \"status\": \"ok\"}",
             "The signature is invalid; check the token and the key of the device.",
             "signature: invalid",
             "token: expired",
             "Authorization: failed for device d1",
             "Bearer token rejected by the hub",
             "basic validation failed",
             "HostName=h.azure-devices.net;DeviceId=d1;SharedAccessKeyName=iothubowner",
             "Token::parse threw",
             "{\"isSecret\": true, \"token\": null, \"password\": false}",
             "missing key=temperature in the payload",
             "{\"key\": \"temperature\"}",
             "primary key rotation is due",
             "",
         })
        EXPECT_EQ(redactSecrets(QString::fromUtf8(text)), QString::fromUtf8(text));
}

TEST(Redact, AValueCutShortIsHiddenWhateverItsShape)
{
    // The log scanner cuts long lines and appends "…"; a body may end inside a quoted value.
    EXPECT_EQ(redactSecrets(QStringLiteral("token: abcd…")), QStringLiteral("token: <redacted>"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{\"key\": \"abcd")), QStringLiteral("{\"key\": \"<redacted>"));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("{\"token\": \"ab\ncd\"}")), QStringLiteral("{\"token\": \"<redacted>\ncd\"}"));
}

TEST(Redact, StorageOdbcFunctionsAndNamedSecretsLoseTheirValues)
{
    const QString accountKey
        = QStringLiteral("s2aX+Lay3izrgY3ybDO77lQx23yQ3syj0AUJR3gqazKZqMLNmd+nH0KxNVk9FpynRzLjk3VLlfosrBQ7TRVeTQ==");
    EXPECT_EQ(redactSecrets(QStringLiteral("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=") + accountKey
                  + QStringLiteral(";EndpointSuffix=core.windows.net")),
        QStringLiteral(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<redacted>;EndpointSuffix=core.windows.net"));
    EXPECT_EQ(redactSecrets(QStringLiteral("Driver={ODBC};Server=s;Uid=u;Pwd=hunter2;")),
        QStringLiteral("Driver={ODBC};Server=s;Uid=u;Pwd=<redacted>;"));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("x-functions-key: abc next")), QStringLiteral("x-functions-key: <redacted> next"));
    EXPECT_EQ(redactSecrets(QStringLiteral("\"storageKey\": \"") + accountKey + QStringLiteral("\"")),
        QStringLiteral("\"storageKey\": \"<redacted>\""))
        << "any name ending in key holds a value that looks like a credential";
    EXPECT_EQ(redactSecrets(QStringLiteral("{\"name\":\"SharedAccessKey\",\"value\":\"abc\"}")),
        QStringLiteral("{\"name\":\"SharedAccessKey\",\"value\":\"<redacted>\"}"));
    EXPECT_EQ(redactSecrets(QStringLiteral("[{\"Name\": \"primary_key\", \"Value\": \"k1\"}]")),
        QStringLiteral("[{\"Name\": \"primary_key\", \"Value\": \"<redacted>\"}]"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{\n  \"name\": \"mqtt_password\",\n  \"value\": \"p\"\n}")),
        QStringLiteral("{\n  \"name\": \"mqtt_password\",\n  \"value\": \"<redacted>\"\n}"));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("{\"name\":\"storageKey\",\"value\":\"") + accountKey + QStringLiteral("\"}")),
        QStringLiteral("{\"name\":\"storageKey\",\"value\":\"<redacted>\"}"));
    for (const char* text : { "{\"name\":\"deviceId\",\"value\":\"d1\"}",
             "{\"name\":\"partitionKey\",\"value\":\"temperature\"}", "{\"name\":\"password\"}",
             "{\"name\":\"password\",\"id\":\"p1\"}", "\"key\": \"temperature\", \"monkey\": \"banana\"" })
        EXPECT_EQ(redactSecrets(QString::fromUtf8(text)), QString::fromUtf8(text));
}

TEST(Redact, PemPrivateKeysAreMaskedLineByLine)
{
    EXPECT_EQ(redactSecrets(QStringLiteral("key follows\n-----BEGIN RSA PRIVATE "
                                           "KEY-----\nMIIEowIBAAKC\nAbCd/+==\n-----END RSA PRIVATE KEY-----\nnext")),
        QStringLiteral("key follows\n-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n<redacted>\n-----END RSA PRIVATE "
                       "KEY-----\nnext"));
    EXPECT_EQ(redactSecrets(QStringLiteral("-----BEGIN PRIVATE KEY-----\r\n  MIIB\r\n-----END PRIVATE KEY-----")),
        QStringLiteral("-----BEGIN PRIVATE KEY-----\r\n  <redacted>\r\n-----END PRIVATE KEY-----"));
    EXPECT_EQ(redactSecrets(QStringLiteral("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\nAAAA\nCONNACK rc=5")),
        QStringLiteral("-----BEGIN EC PRIVATE KEY-----\n<redacted>\n<redacted>\n<redacted>"))
        << "a block without its END line hides everything after it";
    for (const char* key : { "k", "privateKey" }) {
        const QString k = QString::fromUtf8(key);
        EXPECT_EQ(redactSecrets(QStringLiteral("{\"%1\":\"-----BEGIN PRIVATE KEY-----\\nMIIE\\nQQ==\\n-----END PRIVATE "
                                               "KEY-----\\n\",\"n\":1}")
                                    .arg(k)),
            QStringLiteral(
                "{\"%1\":\"-----BEGIN PRIVATE KEY-----\\n<redacted>\\n-----END PRIVATE KEY-----\\n\",\"n\":1}")
                .arg(k));
    }
    const QString certificate = QStringLiteral("-----BEGIN CERTIFICATE-----\nMIICdzCCAV8=\n-----END CERTIFICATE-----");
    EXPECT_EQ(redactSecrets(certificate), certificate) << "a certificate is public";
}

TEST(Redact, BasicInProseIsAWordNotACredential)
{
    for (const char* text : { "IoT Hub basic S1 tier", "Basic MQTT is enough", "Basic 2.0 support",
             "using basic auth: user and password", "BASIC tier hubs have no cloud-to-device messages",
             "Basic Authentication is disabled", "WWW-Authenticate: Basic realm=\"iot\"" })
        EXPECT_EQ(redactSecrets(QString::fromUtf8(text)), QString::fromUtf8(text));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("Basic dXNlcjpwYXNzd29yZA== sent")), QStringLiteral("Basic <redacted> sent"));
    EXPECT_EQ(redactSecrets(QStringLiteral("sent basic dXNlcjpw to the broker")),
        QStringLiteral("sent basic <redacted> to the broker"))
        << "base64 of user:p, letters only and unpadded";
    EXPECT_EQ(redactSecrets(QStringLiteral("basic YTpi")), QStringLiteral("basic <redacted>")) << "a:b";
    EXPECT_EQ(redactSecrets(QStringLiteral("retry with basic ZGV2aWNlMDE6czNjcmV0")),
        QStringLiteral("retry with basic <redacted>"));
    EXPECT_EQ(redactSecrets(QStringLiteral("Basic abc12def")), QStringLiteral("Basic <redacted>"));
    EXPECT_EQ(redactSecrets(QStringLiteral("Authorization: Basic hunter2")),
        QStringLiteral("Authorization: Basic <redacted>"))
        << "after an Authorization key, anything but a plain word is the credential";
}

TEST(Redact, NeverJoinsOrSplitsLines)
{
    // The diagnoser redacts the device log, then reads it line by line: a mask running onto the
    // next line would hide the code there.
    EXPECT_EQ(redactSecrets(QStringLiteral("token=\"abc\\\nCONNACK rc=5")),
        QStringLiteral("token=\"<redacted>\nCONNACK rc=5"));
    EXPECT_EQ(redactSecrets(QStringLiteral("token=\"abc\\\r\nCONNACK rc=5")),
        QStringLiteral("token=\"<redacted>\r\nCONNACK rc=5"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{\\\"token\\\":\\\"abc\\\nCONNACK rc=5")),
        QStringLiteral("{\\\"token\\\":\\\"<redacted>\nCONNACK rc=5"));
    EXPECT_EQ(redactSecrets(QStringLiteral("{\\\"token\\\":\\\"abc\\\\\\\nCONNACK rc=5")),
        QStringLiteral("{\\\"token\\\":\\\"<redacted>\nCONNACK rc=5"));

    std::mt19937 rng(4242);
    const std::string pieces[] = { "token", "password", "sig", "name", "value", "Basic ", "AccountKey", "=", ":", ",",
        "\"", "'", "\\", "\\\"", "%22", "&quot;", " ", "\n", "\r", "\r\n", "-----BEGIN PRIVATE KEY-----",
        "-----END PRIVATE KEY-----", "abc", "ZGV2aWNlMDE6czNjcmV0", "a1b2c3d4e5f6g7h8", "…" };
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int n = std::uniform_int_distribution<int>(0, 40)(rng);
        for (int i = 0; i < n; ++i)
            text += pieces[std::uniform_int_distribution<size_t>(0, std::size(pieces) - 1)(rng)];
        const QString in = QString::fromStdString(text);
        const QString out = redactSecrets(in);
        ASSERT_EQ(out.count(QLatin1Char('\n')), in.count(QLatin1Char('\n'))) << text;
        ASSERT_EQ(out.count(QLatin1Char('\r')), in.count(QLatin1Char('\r'))) << text;
    }
}

TEST(Redact, SampleIsRedactedBeforeItIsCut)
{
    std::mt19937 rng(13);
    for (int round = 0; round < 50; ++round) {
        const std::string secret = randomSecret(rng);
        const std::string body = "{\"temperature\": 21, \"deviceKey\": \"" + secret + "\", \"humidity\": 40}";
        // Every cut, including those inside the key, inside the value and at its end.
        for (qsizetype max = 0; max <= static_cast<qsizetype>(body.size()); ++max) {
            const QString sample = redactedSample(s(body), max);
            ASSERT_LE(sample.size(), max);
            ASSERT_TRUE(noSecretIn(sample, secret, s(body)));
        }
    }
    EXPECT_EQ(redactedSample(QStringLiteral("{\"t\": 1}"), 100), QStringLiteral("{\"t\": 1}"));
    const QString emoji = QStringLiteral("ab") + QString::fromUtf8("\xF0\x9F\x98\x80"); // a surrogate pair
    EXPECT_EQ(redactedSample(emoji, 3), QStringLiteral("ab")) << "never half a character";
}

TEST(Redact, AnyTextEndsWithoutACrash)
{
    std::mt19937 rng(99);
    const std::string pieces[] = { "sig", "=", ":", "\"", "'", "\\", "%", "%3D", "%22", "%25", "\\u0022", "&quot;", "&",
        "Bearer ", "eyJ", ".", "key", "token", " ", "\n", "…", "\xF0\x9F\x98\x80", "\xFF", "\xC3", "a1b2c3d4e5f6g7h8" };
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int n = std::uniform_int_distribution<int>(0, 40)(rng);
        for (int i = 0; i < n; ++i)
            text += pieces[std::uniform_int_distribution<size_t>(0, std::size(pieces) - 1)(rng)];
        const QString in = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
        const QString out = redactSecrets(in);
        // Only whole values become the marker: the output is never longer than the input plus a
        // marker per replaced value (a value is at least one character).
        ASSERT_LE(out.size(), in.size() * 11 + 1);
    }
}

TEST(Redact, LongHostileInputsAreOnePass)
{
    // Shapes that make a backtracking matcher quadratic or worse; each must simply finish. The
    // suite's own timeout is the bound (no timing assertion here).
    const qsizetype mb = 1 << 20;
    const QString value = QString(mb, QLatin1Char('A'));
    EXPECT_EQ(redactSecrets(QStringLiteral("sig=") + value), QStringLiteral("sig=<redacted>"));
    EXPECT_EQ(
        redactSecrets(QStringLiteral("{\"password\": \"") + value), QStringLiteral("{\"password\": \"<redacted>"));
    EXPECT_EQ(redactSecrets(QStringLiteral("Bearer ") + value), QStringLiteral("Bearer <redacted>"));
    for (const char* unit : { "eyJ", "eyJa.", "eyJaaaa.aaaa", "sig", "sig ", "\"", "\\", "%", "%2", "%25", "\\u00",
             "&quot", "token: ", "key=\"", "Bearer ", "a:", "==", "\\\"k\\\":" }) {
        const QString u = QString::fromUtf8(unit);
        QString text;
        text.reserve(mb + u.size());
        while (text.size() < mb)
            text += u;
        const QString out = redactSecrets(text);
        EXPECT_FALSE(out.isEmpty()) << unit;
        EXPECT_LE(out.size(), text.size() + 10) << unit;
    }
    // Shapes that may mask many short values: each one is still only a marker.
    for (const char* unit :
        { "-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----x-----END ", "\"name\":\"key\",\"value\":\"",
            "name:\"", "{\"name\":\"pwd\",\"value\":\"x\"}", "basic ", "Basic YTpi ", "token=\"a\\\n" }) {
        const QString u = QString::fromUtf8(unit);
        QString text;
        text.reserve(mb + u.size());
        while (text.size() < mb)
            text += u;
        const QString out = redactSecrets(text);
        EXPECT_FALSE(out.isEmpty()) << unit;
        EXPECT_LE(out.size(), text.size() * 11) << unit;
    }
}
