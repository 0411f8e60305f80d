// The network a user reaches Azure through: the transport's names, the proxy setting (what it
// accepts, what it refuses and that no refusal repeats a password), which proxy a connection
// takes (explicit, direct, the system's, never for this machine), how a proxy is shown, the extra
// CA file, and how the setting lands on a REST request.
#include "central/httpworker.h"
#include "net/networksettings.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

using namespace iotc;

namespace {

std::string s(const QString& text)
{
    return text.toStdString();
}

QByteArray readData(const char* name)
{
    QFile f(QStringLiteral(IOTC_TEST_DATA_DIR "/tls/") + QLatin1String(name));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return f.readAll();
}

QString writeTo(const QTemporaryDir& dir, const char* name, const QByteArray& content)
{
    const QString path = dir.filePath(QLatin1String(name));
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate)) << name;
    f.write(content);
    return path;
}

using Vars = std::map<const char*, QByteArray>;

// Sets the proxy variables a test names, unsets the others, and puts every one back afterwards.
class ProxyEnvironment {
public:
    explicit ProxyEnvironment(const Vars& values)
    {
        for (const char* name : Names) {
            m_saved[name] = qEnvironmentVariableIsSet(name) ? std::optional(qgetenv(name)) : std::nullopt;
            qunsetenv(name);
        }
        for (const auto& [name, value] : values)
            qputenv(name, value);
    }
    ~ProxyEnvironment()
    {
        for (const auto& [name, value] : m_saved) {
            if (value)
                qputenv(name, *value);
            else
                qunsetenv(name);
        }
    }
    ProxyEnvironment(const ProxyEnvironment&) = delete;
    ProxyEnvironment& operator=(const ProxyEnvironment&) = delete;

private:
    static constexpr const char* Names[] = { "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy",
        "ALL_PROXY", "no_proxy", "NO_PROXY" };
    std::map<const char*, std::optional<QByteArray>> m_saved;
};

NetworkSettings withProxy(const QString& proxy)
{
    NetworkSettings n;
    n.proxy = proxy;
    return n;
}

} // namespace

TEST(NetworkSettings, TransportNamesRoundTrip)
{
    for (AmqpTransport t : { AmqpTransport::Auto, AmqpTransport::Amqp, AmqpTransport::AmqpWebSockets }) {
        const auto back = parseTransport(QLatin1String(transportName(t)));
        ASSERT_TRUE(back) << transportName(t);
        EXPECT_EQ(*back, t) << transportName(t);
    }
    EXPECT_STREQ(transportName(AmqpTransport::Auto), "auto");
    EXPECT_STREQ(transportName(AmqpTransport::Amqp), "amqp");
    EXPECT_STREQ(transportName(AmqpTransport::AmqpWebSockets), "amqp-ws");
    EXPECT_EQ(parseTransport(QStringLiteral("AMQP-WS")), AmqpTransport::AmqpWebSockets) << "any case";
    for (const char* bad : { "", "bogus", "amqps", "ws", "amqp ws", "amqp-ws2", " auto" })
        EXPECT_FALSE(parseTransport(QLatin1String(bad))) << bad;
}

TEST(NetworkSettings, TheSystemsDirectAndAnHttpProxyAreAccepted)
{
    QNetworkProxy p;
    QString error;
    for (const char* system : { "", "system", "  ", "SYSTEM" }) {
        p = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("x"), 1);
        ASSERT_TRUE(parseProxySetting(QLatin1String(system), p, error)) << system << ": " << s(error);
        EXPECT_EQ(p.type(), QNetworkProxy::DefaultProxy) << "'" << system << "' is the system's";
    }
    for (const char* direct : { "direct", "none", "Direct" }) {
        ASSERT_TRUE(parseProxySetting(QLatin1String(direct), p, error)) << direct << ": " << s(error);
        EXPECT_EQ(p.type(), QNetworkProxy::NoProxy) << direct;
    }

    ASSERT_TRUE(parseProxySetting(QStringLiteral("http://h:8080"), p, error)) << s(error);
    EXPECT_EQ(p.type(), QNetworkProxy::HttpProxy);
    EXPECT_EQ(p.hostName(), QStringLiteral("h"));
    EXPECT_EQ(p.port(), 8080);
    EXPECT_TRUE(p.user().isEmpty());
    EXPECT_TRUE(p.password().isEmpty());

    ASSERT_TRUE(parseProxySetting(QStringLiteral("h:8080"), p, error)) << s(error);
    EXPECT_EQ(p.type(), QNetworkProxy::HttpProxy) << "http:// is assumed";
    EXPECT_EQ(p.hostName(), QStringLiteral("h"));
    EXPECT_EQ(p.port(), 8080);

    ASSERT_TRUE(parseProxySetting(QStringLiteral("http://user:p%40ss@h:3128"), p, error)) << s(error);
    EXPECT_EQ(p.type(), QNetworkProxy::HttpProxy);
    EXPECT_EQ(p.hostName(), QStringLiteral("h"));
    EXPECT_EQ(p.port(), 3128);
    EXPECT_EQ(p.user(), QStringLiteral("user"));
    EXPECT_EQ(p.password(), QStringLiteral("p@ss")) << "the password arrives decoded";

    ASSERT_TRUE(parseProxySetting(QStringLiteral("http://[2001:db8::1]:3128/"), p, error)) << s(error);
    EXPECT_EQ(p.hostName(), QStringLiteral("2001:db8::1"));
    EXPECT_EQ(p.port(), 3128);
}

TEST(NetworkSettings, AProxySettingIsRefusedInWordsThatNeverHoldItsPassword)
{
    const struct {
        QString text;
        const char* expected;
    } cases[] = {
        { QStringLiteral("https://h:1"), "only HTTP proxies" },
        { QStringLiteral("socks5://h:1"), "only HTTP proxies" },
        { QStringLiteral("socks5://u:SECRETPW@h:1"), "only HTTP proxies" },
        { QStringLiteral("https://u:SECRETPW@h:1"), "only HTTP proxies" },
        { QStringLiteral("http://h"), "no port" },
        { QStringLiteral("http://u:SECRETPW@h"), "no port" },
        { QStringLiteral("u:SECRETPW@h"), "no port" },
        { QStringLiteral("http://h:1/path"), "no path" },
        { QStringLiteral("http://u:SECRETPW@h:1/path"), "no path" },
        { QStringLiteral("http://u:SECRETPW@"), "http://[user:password@]host:port" },
        { QStringLiteral("http://u:SECRETPW@h:99999"), "http://[user:password@]host:port" },
        { QString(3000, QLatin1Char('a')), "too long" },
        { QStringLiteral("http://u:SECRETPW@h:1/") + QString(3000, QLatin1Char('a')), "too long" },
    };
    for (const auto& c : cases) {
        QNetworkProxy p(QNetworkProxy::NoProxy);
        QString error;
        EXPECT_FALSE(parseProxySetting(c.text, p, error)) << s(c.text.left(80));
        EXPECT_TRUE(error.contains(QLatin1String(c.expected))) << s(c.text.left(80)) << " -> " << s(error);
        EXPECT_FALSE(error.contains(QLatin1String("SECRETPW"))) << "the password is never repeated: " << s(error);
        EXPECT_EQ(p.type(), QNetworkProxy::NoProxy) << "a refused setting leaves the proxy alone";
    }
}

TEST(NetworkSettings, AnExplicitProxyWinsAndDirectMeansNone)
{
    ProxyEnvironment env(Vars { { "https_proxy", "http://system-proxy.test:3128" } });
    const auto p = proxyFor(
        withProxy(QStringLiteral("http://u:pw@explicit.test:8080")), QStringLiteral("ns.servicebus.windows.net"), 5671);
    EXPECT_EQ(p.type(), QNetworkProxy::HttpProxy);
    EXPECT_EQ(p.hostName(), QStringLiteral("explicit.test"));
    EXPECT_EQ(p.port(), 8080);
    EXPECT_EQ(p.user(), QStringLiteral("u"));
    EXPECT_EQ(p.password(), QStringLiteral("pw"));
    // What the user names is used even for this machine (a local proxy, a test).
    const auto local = proxyFor(withProxy(QStringLiteral("explicit.test:8080")), QStringLiteral("127.0.0.1"), 5672);
    EXPECT_EQ(local.type(), QNetworkProxy::HttpProxy);
    EXPECT_EQ(local.hostName(), QStringLiteral("explicit.test"));

    for (const char* direct : { "direct", "none" }) {
        EXPECT_EQ(proxyFor(withProxy(QLatin1String(direct)), QStringLiteral("ns.servicebus.windows.net"), 443).type(),
            QNetworkProxy::NoProxy)
            << direct << " overrides the system's";
    }
}

TEST(NetworkSettings, TheSystemsProxyIsNeverUsedForThisMachine)
{
    ProxyEnvironment env(Vars { { "https_proxy", "http://proxy.test:3128" }, { "http_proxy", "http://proxy.test:3128" },
        { "all_proxy", "http://proxy.test:3128" } });
    for (const char* host : { "localhost", "LocalHost", "127.0.0.1", "127.8.9.10", "::1" }) {
        for (const char* setting : { "", "system" }) {
            EXPECT_EQ(
                proxyFor(withProxy(QLatin1String(setting)), QLatin1String(host), 5671).type(), QNetworkProxy::NoProxy)
                << host << " with setting '" << setting << "'";
        }
    }
}

TEST(NetworkSettings, TheSystemsProxyComesFromHttpsProxy)
{
    ProxyEnvironment env(Vars { { "https_proxy", "http://proxy.test:3128" } });
    for (const char* setting : { "", "system" }) {
        const auto p = proxyFor(withProxy(QLatin1String(setting)), QStringLiteral("ns.servicebus.windows.net"), 5671);
        EXPECT_EQ(p.type(), QNetworkProxy::HttpProxy) << "setting '" << setting << "'";
        EXPECT_EQ(p.hostName(), QStringLiteral("proxy.test"));
        EXPECT_EQ(p.port(), 3128);
    }
}

TEST(NetworkSettings, NoProxyExemptsAHostFromTheSystemsProxy)
{
    // A host named in no_proxy, and the subdomains of a ".domain" or "*.domain" entry, go direct;
    // other hosts still take https_proxy (the curl-style reading is tested below).
    for (const char* entry : { "ns.servicebus.windows.net", ".servicebus.windows.net", "*.servicebus.windows.net" }) {
        ProxyEnvironment env(
            Vars { { "https_proxy", "http://proxy.test:3128" }, { "no_proxy", QByteArray("other.test,") + entry } });
        for (int port : { 5671, 443 }) {
            EXPECT_EQ(proxyFor({}, QStringLiteral("ns.servicebus.windows.net"), port).type(), QNetworkProxy::NoProxy)
                << "no_proxy=" << entry << ", port " << port;
        }
        const auto elsewhere = proxyFor({}, QStringLiteral("management.azure.com"), 443);
        EXPECT_EQ(elsewhere.type(), QNetworkProxy::HttpProxy) << "no_proxy names only its own hosts: " << entry;
        EXPECT_EQ(elsewhere.hostName(), QStringLiteral("proxy.test"));
        const auto explicitProxy = proxyFor(
            withProxy(QStringLiteral("http://explicit.test:8080")), QStringLiteral("ns.servicebus.windows.net"), 5671);
        EXPECT_EQ(explicitProxy.hostName(), QStringLiteral("explicit.test"))
            << "no_proxy is the system's, not --proxy's";
    }
}

TEST(NetworkSettings, NoProxyIsReadAsCurlReadsIt)
{
    // A bare domain covers its subdomains, "*" covers every host, ports and brackets are ignored,
    // NO_PROXY is read when no_proxy is not set: whatever libproxy would say.
    struct Case {
        const char* variable;
        const char* noProxy;
        const char* host;
        bool direct;
    };
    const Case cases[] = {
        { "no_proxy", "servicebus.windows.net", "ns.servicebus.windows.net", true },
        { "no_proxy", "servicebus.windows.net", "servicebus.windows.net", true },
        { "no_proxy", "servicebus.windows.net", "evilservicebus.windows.net", false },
        { "no_proxy", "*", "ns.servicebus.windows.net", true },
        { "no_proxy", "a.test  servicebus.windows.net:5671", "ns.servicebus.windows.net", true },
        { "no_proxy", "[2001:db8::7]", "2001:db8::7", true },
        { "NO_PROXY", "windows.net", "ns.servicebus.windows.net", true },
        { "no_proxy", "other.test", "ns.servicebus.windows.net", false },
    };
    for (const auto& c : cases) {
        ProxyEnvironment env(Vars { { "https_proxy", "http://proxy.test:3128" }, { c.variable, c.noProxy } });
        EXPECT_EQ(proxyFor({}, QLatin1String(c.host), 5671).type() == QNetworkProxy::NoProxy, c.direct)
            << c.variable << "=" << c.noProxy << " for " << c.host;
    }
}

TEST(NetworkSettings, ProxyDisplayNeverShowsCredentials)
{
    EXPECT_EQ(proxyDisplay(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("proxy.example"), 8080,
                  QStringLiteral("alice"), QStringLiteral("SECRETPW"))),
        QStringLiteral("proxy.example:8080"));
    EXPECT_EQ(proxyDisplay(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("2001:db8::1"), 3128)),
        QStringLiteral("[2001:db8::1]:3128"));
    EXPECT_EQ(proxyDisplay(QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("s.example"), 1080,
                  QStringLiteral("bob"), QStringLiteral("pw"))),
        QStringLiteral("s.example:1080"));
    EXPECT_TRUE(proxyDisplay(QNetworkProxy(QNetworkProxy::NoProxy)).isEmpty());
    EXPECT_TRUE(proxyDisplay(QNetworkProxy(QNetworkProxy::DefaultProxy)).isEmpty());
    // Straight from the setting a user typed.
    QNetworkProxy parsed;
    QString error;
    ASSERT_TRUE(parseProxySetting(QStringLiteral("http://alice:SECRETPW@proxy.example:8080"), parsed, error));
    const QString shown = proxyDisplay(parsed);
    EXPECT_EQ(shown, QStringLiteral("proxy.example:8080"));
    EXPECT_FALSE(shown.contains(QLatin1String("alice")));
    EXPECT_FALSE(shown.contains(QLatin1String("SECRETPW")));
}

TEST(NetworkSettings, ACaFileHoldsEveryCertificateInIt)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QByteArray ca = readData("ca.pem");
    const QByteArray leaf = readData("localhost.pem");
    ASSERT_FALSE(ca.isEmpty());
    ASSERT_FALSE(leaf.isEmpty());

    QList<QSslCertificate> certs;
    QString error;
    ASSERT_TRUE(loadCaFile(writeTo(dir, "bundle.pem", ca + "\n" + leaf), certs, error)) << s(error);
    ASSERT_EQ(certs.size(), 2);
    EXPECT_EQ(certs[0], QSslCertificate(ca, QSsl::Pem));
    EXPECT_EQ(certs[1], QSslCertificate(leaf, QSsl::Pem));

    const QByteArray der = QSslCertificate(ca, QSsl::Pem).toDer();
    ASSERT_FALSE(der.isEmpty());
    certs.clear();
    ASSERT_TRUE(loadCaFile(writeTo(dir, "ca.der", der), certs, error)) << s(error);
    ASSERT_EQ(certs.size(), 1);
    EXPECT_EQ(certs[0], QSslCertificate(ca, QSsl::Pem));
}

TEST(NetworkSettings, ACaFileThatIsNoneIsRefusedByItsPath)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QByteArray ca = readData("ca.pem");
    QByteArray big;
    while (big.size() <= 1024 * 1024)
        big += ca; // real certificates, but far too many to be a bundle
    const struct {
        QString path;
        const char* expected;
    } cases[] = {
        { dir.filePath(QStringLiteral("missing.pem")), "cannot read" },
        { writeTo(dir, "empty.pem", {}), "no certificate" },
        { writeTo(dir, "garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n"),
            "no certificate" },
        { writeTo(dir, "binary.der", QByteArray("\x30\x82\x01\x00garbage", 11)), "no certificate" },
        { writeTo(dir, "big.pem", big), "1 MB" },
    };
    for (const auto& c : cases) {
        QList<QSslCertificate> certs;
        QString error;
        EXPECT_FALSE(loadCaFile(c.path, certs, error)) << s(c.path);
        EXPECT_TRUE(certs.isEmpty()) << s(c.path);
        EXPECT_TRUE(error.contains(c.path)) << "the path is named: " << s(error);
        EXPECT_TRUE(error.contains(QLatin1String(c.expected))) << s(c.path) << " -> " << s(error);
    }
}

TEST(NetworkSettings, ARequestTakesAnExplicitProxyAndTheExtraCas)
{
    QSslCertificate ca(readData("ca.pem"), QSsl::Pem);
    ASSERT_FALSE(ca.isNull());

    NetworkSettings n;
    n.proxy = QStringLiteral("http://u:pw@proxy.test:8080");
    n.extraCaCertificates = { ca };
    HttpRequest request;
    applyNetwork(request, n);
    ASSERT_TRUE(request.proxy.has_value());
    EXPECT_EQ(request.proxy->type(), QNetworkProxy::HttpProxy);
    EXPECT_EQ(request.proxy->hostName(), QStringLiteral("proxy.test"));
    EXPECT_EQ(request.proxy->port(), 8080);
    EXPECT_EQ(request.proxy->user(), QStringLiteral("u"));
    EXPECT_EQ(request.proxy->password(), QStringLiteral("pw"));
    ASSERT_EQ(request.extraCaCertificates.size(), 1);
    EXPECT_EQ(request.extraCaCertificates[0], ca);

    // "direct" must override the system's: an explicit NoProxy, not "unset".
    HttpRequest direct;
    applyNetwork(direct, withProxy(QStringLiteral("direct")));
    ASSERT_TRUE(direct.proxy.has_value());
    EXPECT_EQ(direct.proxy->type(), QNetworkProxy::NoProxy);

    for (const char* system : { "", "system" }) {
        HttpRequest plain;
        applyNetwork(plain, withProxy(QLatin1String(system)));
        EXPECT_FALSE(plain.proxy.has_value()) << "'" << system << "': the system's, decided per request";
        EXPECT_TRUE(plain.extraCaCertificates.isEmpty());
    }
}
