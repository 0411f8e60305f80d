// Event Hubs connection strings: what a real one yields (IPv6 hosts, keys with '=' padding), what a
// wrong one is told (never with its key), and that any text at all gives a target or an error.
#include "eventhub/eventhubtarget.h"

#include <QJsonDocument>

#include <random>
#include <string>

#include <gtest/gtest.h>

using namespace iotc;

namespace {

const QString Key = QStringLiteral("c2VjcmV0LWtleS1ieXRlcw+/xyz==");

std::optional<EventHubTarget> parse(const QString& cs, QString& error)
{
    error.clear();
    return EventHubTarget::fromConnectionString(cs, error);
}

QString withEndpoint(const QString& endpoint)
{
    return QStringLiteral("Endpoint=") + endpoint + QStringLiteral(";SharedAccessKeyName=service;SharedAccessKey=")
        + Key + QStringLiteral(";EntityPath=hub");
}

} // namespace

TEST(EventHubTarget, AnIPv6EndpointKeepsItsAddressAndPort)
{
    QString error;
    const auto t = parse(withEndpoint(QStringLiteral("sb://[::1]:5671/")), error);
    ASSERT_TRUE(t) << error.toStdString();
    EXPECT_EQ(t->hostName(), QStringLiteral("::1"));
    EXPECT_EQ(t->port(), 5671);
    EXPECT_TRUE(t->isLoopback());
    EXPECT_FALSE(t->tls) << "loopback is plain amqp";
    EXPECT_EQ(t->amqpUrl(), QStringLiteral("amqp://[::1]:5671"));
    EXPECT_EQ(t->audience(), QStringLiteral("sb://[::1]:5671/hub"));

    const auto remote = parse(withEndpoint(QStringLiteral("sb://[2001:db8::7]/")), error);
    ASSERT_TRUE(remote) << error.toStdString();
    EXPECT_EQ(remote->hostName(), QStringLiteral("2001:db8::7"));
    EXPECT_TRUE(remote->tls);
    EXPECT_EQ(remote->port(), 5671);
    EXPECT_EQ(remote->amqpUrl(), QStringLiteral("amqps://[2001:db8::7]:5671"));
}

TEST(EventHubTarget, AnOrdinaryConnectionStringAndItsKeyWithPadding)
{
    QString error;
    const auto t
        = parse(QStringLiteral(" Endpoint=sb://ihsuprod.servicebus.windows.net/ ; sharedaccesskeyname=iothubowner;"
                               "SharedAccessKey=")
                + Key + QStringLiteral(";EntityPath=iothub-ehub-x;"),
            error);
    ASSERT_TRUE(t) << error.toStdString();
    EXPECT_EQ(t->hostName(), QStringLiteral("ihsuprod.servicebus.windows.net"));
    EXPECT_EQ(t->port(), 5671);
    EXPECT_TRUE(t->tls);
    EXPECT_EQ(t->keyName, QStringLiteral("iothubowner"));
    EXPECT_EQ(t->key, Key.toUtf8()) << "split on the first '=' only: the padding stays";
    EXPECT_EQ(t->entityPath, QStringLiteral("iothub-ehub-x"));

    const auto local = parse(withEndpoint(QStringLiteral("sb://127.0.0.1:15672/")), error);
    ASSERT_TRUE(local) << error.toStdString();
    EXPECT_EQ(local->hostName(), QStringLiteral("127.0.0.1"));
    EXPECT_EQ(local->port(), 15672);
    EXPECT_EQ(local->amqpUrl(), QStringLiteral("amqp://127.0.0.1:15672"));
}

TEST(EventHubTarget, ATokenNeedsNoKeyName)
{
    QString error;
    const QString token = QStringLiteral("SharedAccessSignature sr=sb%3a%2f%2fx%2fhub&sig=abc%3d&se=1&skn=p");
    const auto t = parse(QStringLiteral("Endpoint=sb://x.servicebus.windows.net/;SharedAccessSignature=") + token
            + QStringLiteral(";EntityPath=hub"),
        error);
    ASSERT_TRUE(t) << error.toStdString();
    EXPECT_EQ(t->token, token);
    EXPECT_TRUE(t->key.isEmpty());
}

TEST(EventHubTarget, EachMissingOrWrongPartIsNamedWithoutTheKey)
{
    const QString ok = QStringLiteral("Endpoint=sb://x.servicebus.windows.net/");
    const QString key = QStringLiteral(";SharedAccessKey=") + Key;
    const struct {
        QString text;
        const char* expected;
    } cases[] = {
        { ok + QStringLiteral(";SharedAccessKey=") + Key + QStringLiteral(";EntityPath=hub"), "SharedAccessKeyName" },
        { ok + QStringLiteral(";SharedAccessKeyName=p") + key, "EntityPath" },
        { ok + QStringLiteral(";SharedAccessKeyName=p;EntityPath=hub"), "no SharedAccessKey" },
        { QStringLiteral("SharedAccessKeyName=p;EntityPath=hub") + key, "no Endpoint" },
        { withEndpoint(QStringLiteral("sb://x:70000/")), "port" },
        { withEndpoint(QStringLiteral("sb://x:0/")), "port" },
        { withEndpoint(QStringLiteral("sb://x:http/")), "port" },
        { withEndpoint(QStringLiteral("sb://[::1]:99999/")), "port" },
        { withEndpoint(QStringLiteral("sb:///")), "host" },
        { withEndpoint(QStringLiteral("sb://:5671/")), "host" },
        { withEndpoint(QStringLiteral("https://x.servicebus.windows.net/")), "sb://" },
        { withEndpoint(QStringLiteral("sb://[::1/")), "not a valid" },
        { withEndpoint(QStringLiteral("sb://user:c2VjcmV0@x/")), "user name" },
        { ok + QStringLiteral(";SharedAccessKeyName=p;EntityPath=a/b") + key, "event hub name" },
        { ok + QStringLiteral(";SharedAccessKeyName=p;EntityPath=hub;") + Key.left(20), "not a name=value" },
        { ok + QStringLiteral(";SharedAccessKeyName=p;EntityPath=hub;=") + Key, "not a name=value" },
    };
    for (const auto& c : cases) {
        QString error;
        EXPECT_FALSE(parse(c.text, error)) << c.text.toStdString();
        EXPECT_TRUE(error.contains(QLatin1String(c.expected))) << c.text.toStdString() << " -> " << error.toStdString();
        EXPECT_FALSE(error.contains(QStringLiteral("c2VjcmV0")))
            << "the key is never repeated: " << error.toStdString();
    }
}

TEST(EventHubTarget, AnyTextGivesATargetOrAnError)
{
    // The parser is a fuzz target: random mixtures of the characters that matter, and of pieces of
    // real connection strings, must each give a usable target or a message.
    const std::string pieces[] = { "Endpoint=", "sb://", "[", "]", ":", "::1", "5671", "65536", "/", ";", "=", "@",
        "SharedAccessKeyName=p", "SharedAccessKey=k==", "EntityPath=hub", "SharedAccessSignature=s", "%", "%zz", " ",
        "\t", "\xc3\xa9", "\xff", std::string(1, '\0'), "x.servicebus.windows.net", "localhost", "?", "#" };
    const std::string valid = "Endpoint=sb://[::1]:5671/;SharedAccessKeyName=p;SharedAccessKey=k==;EntityPath=hub";
    std::mt19937 rng(12);
    int targets = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        if (i % 2) {
            const int n = static_cast<int>(rng() % 14);
            for (int j = 0; j < n; ++j)
                text += pieces[rng() % std::size(pieces)];
        } else {
            // A real one with a piece put in or a stretch cut out.
            text = valid;
            const size_t at = rng() % text.size();
            if (rng() % 2)
                text.insert(at, pieces[rng() % std::size(pieces)]);
            else
                text.erase(at, rng() % 8);
        }
        QString error;
        const auto t = parse(QString::fromStdString(text), error);
        if (t) {
            ++targets;
            EXPECT_FALSE(t->hostName().isEmpty()) << text;
            EXPECT_GE(t->port(), 1) << text;
            EXPECT_LE(t->port(), 65535) << text;
            EXPECT_FALSE(t->entityPath.isEmpty()) << text;
            EXPECT_TRUE(t->amqpUrl().startsWith(QLatin1String("amqp"))) << text;
        } else {
            EXPECT_FALSE(error.isEmpty()) << text;
        }
    }
    EXPECT_GT(targets, 1000) << "the mutations of a real one are often still one";
    QString error;
    EXPECT_FALSE(parse(QString(EventHubTarget::MaxConnectionStringLength + 1, QLatin1Char(';')), error));
    EXPECT_TRUE(error.contains(QStringLiteral("too long"))) << error.toStdString();
    EXPECT_FALSE(parse(QString(), error));
    EXPECT_FALSE(error.isEmpty());
}

TEST(EventHubTarget, TheAppsTokensKeepAnIPv6HostWhole)
{
    const auto response = QJsonDocument::fromJson(R"({
        "hub-0": {"eventhubSasToken": {"sasToken": "SharedAccessSignature sr=x&sig=y&se=1", "entityPath": "hub",
                  "hostname": "sb://[::1]:15671/"}, "expiry": 1e300},
        "hub-1": {"eventhubSasToken": {"sasToken": "SharedAccessSignature sr=x&sig=y&se=1", "entityPath": "other",
                  "hostname": "sb://ns.servicebus.windows.net/"}, "expiry": 1764000000},
        "hub-2": {"eventhubSasToken": {"sasToken": "t", "entityPath": "../x", "hostname": "sb://ns/"}}
    })")
                              .object();
    QString error;
    const auto targets = EventHubTarget::fromEventSasTokens(response, error);
    ASSERT_EQ(targets.size(), 2) << error.toStdString();
    EXPECT_EQ(targets[0].hostName(), QStringLiteral("::1"));
    EXPECT_EQ(targets[0].port(), 15671);
    EXPECT_FALSE(targets[0].tls);
    EXPECT_EQ(targets[0].tokenExpiry, 0) << "an expiry out of range is no expiry, not undefined behaviour";
    EXPECT_EQ(targets[1].hostName(), QStringLiteral("ns.servicebus.windows.net"));
    EXPECT_EQ(targets[1].tokenExpiry, 1764000000);
    EXPECT_TRUE(targets[1].tls);
}

TEST(EventHubTarget, AnAmqpsEndpointIsTlsEvenToThisMachine)
{
    QString error;
    const auto t = parse(withEndpoint(QStringLiteral("amqps://localhost:1234/")), error);
    ASSERT_TRUE(t) << error.toStdString();
    EXPECT_TRUE(t->tls) << "amqps:// is TLS, loopback or not";
    EXPECT_TRUE(t->isLoopback());
    EXPECT_EQ(t->hostName(), QStringLiteral("localhost"));
    EXPECT_EQ(t->port(), 1234);
    EXPECT_EQ(t->audience(), QStringLiteral("sb://localhost:1234/hub")) << "the audience is always sb://";
    EXPECT_EQ(t->amqpUrl(), QStringLiteral("amqps://localhost:1234"));

    const auto remote = parse(withEndpoint(QStringLiteral("amqps://ns.servicebus.windows.net/")), error);
    ASSERT_TRUE(remote) << error.toStdString();
    EXPECT_TRUE(remote->tls);
    EXPECT_EQ(remote->port(), 5671);
    EXPECT_EQ(remote->audience(), QStringLiteral("sb://ns.servicebus.windows.net/hub"));

    const auto plain = parse(withEndpoint(QStringLiteral("sb://127.0.0.1:1234/")), error);
    ASSERT_TRUE(plain) << error.toStdString();
    EXPECT_FALSE(plain->tls) << "sb:// to loopback stays plain (the simulator)";
    EXPECT_EQ(plain->port(), 1234);
    EXPECT_EQ(plain->amqpUrl(), QStringLiteral("amqp://127.0.0.1:1234"));

    for (const char* other : { "http://localhost:1234/", "amqp://localhost:1234/", "ws://localhost:1234/" }) {
        EXPECT_FALSE(parse(withEndpoint(QLatin1String(other)), error)) << other;
        EXPECT_TRUE(error.contains(QStringLiteral("sb://"))) << other << " -> " << error.toStdString();
        EXPECT_FALSE(error.contains(QStringLiteral("c2VjcmV0"))) << error.toStdString();
    }
}

TEST(EventHubTarget, TheAppsTokensForAnAmqpsHostAreTls)
{
    const auto response = QJsonDocument::fromJson(R"({
        "hub-0": {"eventhubSasToken": {"sasToken": "SharedAccessSignature sr=x&sig=y&se=1", "entityPath": "hub",
                  "hostname": "amqps://localhost:5"}, "expiry": 1764000000},
        "hub-1": {"eventhubSasToken": {"sasToken": "SharedAccessSignature sr=x&sig=y&se=1", "entityPath": "hub",
                  "hostname": "sb://localhost:5/"}, "expiry": 1764000000}
    })")
                              .object();
    QString error;
    const auto targets = EventHubTarget::fromEventSasTokens(response, error);
    ASSERT_EQ(targets.size(), 2) << error.toStdString();
    EXPECT_TRUE(targets[0].tls);
    EXPECT_EQ(targets[0].hostName(), QStringLiteral("localhost"));
    EXPECT_EQ(targets[0].port(), 5);
    EXPECT_EQ(targets[0].amqpUrl(), QStringLiteral("amqps://localhost:5"));
    EXPECT_EQ(targets[0].audience(), QStringLiteral("sb://localhost:5/hub"));
    EXPECT_FALSE(targets[1].tls) << "sb:// to loopback is plain";
    EXPECT_EQ(targets[1].amqpUrl(), QStringLiteral("amqp://localhost:5"));
}
