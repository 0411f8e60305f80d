// Where credentials may go: one rule for the command line, the connect dialog, DPS and the HTTP
// worker (https, or plain http to loopback only; no user-info), and what counts as one origin.
#include "central/connection.h"
#include "central/originpolicy.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

bool allowed(const char* url, QString* why = nullptr)
{
    return isAllowedServiceUrl(QString::fromUtf8(url), why);
}

} // namespace

TEST(OriginPolicy, HttpsAnywhereAndPlainHttpOnlyOnLoopback)
{
    for (const char* ok : { "https://myapp.azureiotcentral.com", "https://global.azure-devices-provisioning.net",
             "https://myapp.azureiotcentral.com:8443", "http://127.0.0.1:8080", "http://127.9.8.7",
             "http://localhost:1234", "http://LOCALHOST", "http://[::1]:8080", "http://127.1:80" })
        EXPECT_TRUE(allowed(ok)) << ok;
    for (const char* bad :
        { "http://example.com", "http://localhost.evil", "http://localhost.", "http://127.0.0.1.nip.io",
            "http://10.0.0.1", "http://[::2]", "http://0.0.0.0", "http://192.168.1.10:8080" })
        EXPECT_FALSE(allowed(bad)) << bad;
}

TEST(OriginPolicy, UserInfoIsRefusedAndTheRealHostNamed)
{
    QString why;
    EXPECT_FALSE(allowed("http://127.0.0.1@example.com", &why));
    EXPECT_TRUE(why.contains(QStringLiteral("user-info"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("example.com"))) << why.toStdString();
    EXPECT_FALSE(allowed("https://user:secret@myapp.azureiotcentral.com", &why));
    EXPECT_FALSE(why.contains(QStringLiteral("secret"))) << "never echoes what may be a password";
    EXPECT_FALSE(allowed("http://127.0.0.1\\@example.com", &why)) << "a backslash does not end the user-info";
    // --app builds https://{subdomain}.{suffix}: an @ in the subdomain would move the host.
    EXPECT_FALSE(isAllowedServiceUrl(ConnectionProfile::forApp(QStringLiteral("x@evil.com/")).baseUrl));
    EXPECT_TRUE(isAllowedServiceUrl(ConnectionProfile::forApp(QStringLiteral("myapp")).baseUrl));
}

TEST(OriginPolicy, NotAUsableBaseUrl)
{
    QString why;
    for (const char* bad : { "", "   ", "ftp://example.com", "https://", "https:///x", "http:/127.0.0.1",
             "127.0.0.1:8080", "https://example.com?x=1", "https://example.com#frag", "http://127.0.0.1#@evil.com",
             "http://127.0.0.1:99999" }) {
        EXPECT_FALSE(allowed(bad, &why)) << bad;
        EXPECT_FALSE(why.isEmpty()) << bad;
    }
    EXPECT_TRUE(allowed("https://example.com/some/base", &why));
    EXPECT_TRUE(why.isEmpty());
}

TEST(OriginPolicy, RequestUrlsMayHaveQueriesButNotPlainHttpElsewhere)
{
    EXPECT_TRUE(credentialUrlProblem(QUrl(QStringLiteral("https://a.example/api/devices?api-version=1"))).isEmpty());
    EXPECT_TRUE(credentialUrlProblem(QUrl(QStringLiteral("http://127.0.0.1:9/api?x=1"))).isEmpty());
    EXPECT_FALSE(credentialUrlProblem(QUrl(QStringLiteral("http://a.example/api"))).isEmpty());
    EXPECT_FALSE(credentialUrlProblem(QUrl(QStringLiteral("https://u@a.example/api"))).isEmpty());
}

TEST(OriginPolicy, SameOriginComparesSchemeHostAndPort)
{
    const QUrl base(QStringLiteral("https://myapp.azureiotcentral.com/api/devices?api-version=2022-07-31"));
    EXPECT_TRUE(isSameOrigin(base, QUrl(QStringLiteral("https://MYAPP.azureiotcentral.com/api/devices?page=2"))));
    EXPECT_TRUE(isSameOrigin(base, QUrl(QStringLiteral("https://myapp.azureiotcentral.com:443/x"))))
        << "443 is https's own port";
    EXPECT_FALSE(isSameOrigin(base, QUrl(QStringLiteral("http://myapp.azureiotcentral.com/api/devices"))))
        << "the scheme counts: a downgrade to http is another origin";
    EXPECT_FALSE(isSameOrigin(base, QUrl(QStringLiteral("https://myapp.azureiotcentral.com:8443/api"))));
    EXPECT_FALSE(isSameOrigin(base, QUrl(QStringLiteral("https://evil.example/api/devices"))));
    EXPECT_FALSE(
        isSameOrigin(QUrl(QStringLiteral("http://127.0.0.1:8080/")), QUrl(QStringLiteral("http://127.0.0.1:8081/"))));
    EXPECT_FALSE(isSameOrigin(QUrl(QStringLiteral("https:///x")), QUrl(QStringLiteral("https:///x"))))
        << "no host, no origin";
}

TEST(OriginPolicy, OriginForMessagesHidesPathQueryAndUserInfo)
{
    const QString o = originOf(QUrl(QStringLiteral("https://user:pw@evil.example:8443/a/b?sig=secret#f")));
    EXPECT_EQ(o, QStringLiteral("https://evil.example:8443"));
}
