// The Event Hubs consumer on every transport of issue 15: plain AMQP, AMQP over TLS, AMQP over
// WebSockets (ws:// and wss://) and each through an HTTP CONNECT proxy. On each, twenty forced
// disconnects during 50,000 events lose and duplicate nothing, and tokens are renewed across their
// expiry without a drop; auto goes from a refused, silent or
// untunnelled 5671 to WebSockets on 443; a proxy that wants credentials, a WebSocket endpoint with
// a certificate nobody trusts, and a path that is not AMQP's are each refused in words. Over TLS:
// reading with the CA it is given, each certificate failure refused in words with no event and no
// retry, and a port that does not speak TLS a failed handshake.
#include "collectevents.h"
#include "connectproxy.h"
#include "tlsrelay.h"
#include "wsrelay.h"

#include "eventhub/eventhubconsumer.h"
#include "sim/simulatedapp.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace iotc;
using namespace iotc::test;

namespace {

// How a test reaches the simulator's plain AMQP port.
enum class Route { Plain, Tls, WebSocket, SecureWebSocket, TlsThroughProxy, SecureWebSocketThroughProxy };

const char* routeName(Route r)
{
    switch (r) {
    case Route::Plain:
        return "Plain";
    case Route::Tls:
        return "Tls";
    case Route::WebSocket:
        return "WebSocket";
    case Route::SecureWebSocket:
        return "SecureWebSocket";
    case Route::TlsThroughProxy:
        return "TlsThroughProxy";
    case Route::SecureWebSocketThroughProxy:
        return "SecureWebSocketThroughProxy";
    }
    return "?";
}

class Transports : public ::testing::Test {
protected:
    void SetUp() override
    {
        sim::SimOptions o;
        o.rateHz = 0;
        o.extraRateHz = 0;
        o.extraDevices = 8;
        app = std::make_unique<sim::SimulatedApp>(o);
        e = app->start();
        QString error;
        auto t = EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);
        ASSERT_TRUE(t) << error.toStdString();
        plain = *t;
    }

    // The simulator's hub under another name and port (a relay in front of it).
    EventHubTarget via(const QString& host, quint16 port, bool tls) const
    {
        EventHubTarget t = plain;
        t.host = host + QLatin1Char(':') + QString::number(port);
        t.tls = tls;
        return t;
    }

    struct Setup {
        EventHubTarget target;
        ConsumerOptions options;
        QString expectedRoute;
    };

    // Builds the relays a route needs (kept by the fixture) and the consumer's target and options.
    Setup setUp(Route r)
    {
        Setup s;
        s.options.start.kind = ConsumerStart::Kind::Beginning;
        s.options.network.extraCaCertificates = { testCa() };
        switch (r) {
        case Route::Plain:
            s.target = plain;
            s.options.network.transport = AmqpTransport::Amqp;
            s.expectedRoute = QStringLiteral("plain AMQP (%1)").arg(plain.port());
            break;
        case Route::TlsThroughProxy:
            proxy = std::make_unique<ConnectProxy>();
            s.options.network.proxy = QStringLiteral("http://127.0.0.1:%1").arg(proxy->port());
            [[fallthrough]];
        case Route::Tls:
            tls = std::make_unique<TlsRelay>(QStringLiteral("localhost"), plain.port());
            s.target = via(QStringLiteral("localhost"), tls->port(), true);
            s.options.network.transport = AmqpTransport::Amqp;
            s.expectedRoute = QStringLiteral("AMQP over TLS (%1)").arg(tls->port());
            break;
        case Route::WebSocket:
            ws = std::make_unique<WsRelay>(plain.port());
            s.target = via(QStringLiteral("127.0.0.1"), plain.port(), false);
            s.options.network.transport = AmqpTransport::AmqpWebSockets;
            s.options.network.websocketPort = ws->port();
            s.expectedRoute = QStringLiteral("AMQP over plain WebSockets (%1)").arg(ws->port());
            break;
        case Route::SecureWebSocketThroughProxy:
            proxy = std::make_unique<ConnectProxy>();
            s.options.network.proxy = QStringLiteral("http://127.0.0.1:%1").arg(proxy->port());
            [[fallthrough]];
        case Route::SecureWebSocket:
            ws = std::make_unique<WsRelay>(plain.port(), QStringLiteral("localhost"));
            s.target = via(QStringLiteral("localhost"), 5671, true);
            s.options.network.transport = AmqpTransport::AmqpWebSockets;
            s.options.network.websocketPort = ws->port();
            s.expectedRoute = QStringLiteral("AMQP over WebSockets (%1)").arg(ws->port());
            break;
        }
        if (proxy)
            s.expectedRoute += QStringLiteral(" through 127.0.0.1:%1").arg(proxy->port());
        return s;
    }

    int inject(const QString& device, int n) { return app->injectTelemetry(device, n); }

    std::unique_ptr<sim::SimulatedApp> app;
    sim::SimEndpoints e;
    EventHubTarget plain;
    std::unique_ptr<ConnectProxy> proxy;
    std::unique_ptr<TlsRelay> tls;
    std::unique_ptr<WsRelay> ws;
};

class EveryTransport : public Transports, public ::testing::WithParamInterface<Route> { };

TEST_P(EveryTransport, TwentyDisconnectsDuringFiftyThousandEventsLoseAndDuplicateNothing)
{
    auto s = setUp(GetParam());
    ASSERT_TRUE(!ws || ws->valid());
    ASSERT_TRUE(!tls || tls->valid());
    EventHubConsumer consumer(s.target, s.options);
    consumer.start();
    ASSERT_TRUE(allReceiving(consumer, 20000)) << consumer.fatalError().toStdString();
    EXPECT_EQ(consumer.route(), s.expectedRoute);
    std::vector<TelemetryEvent> all;
    const int total = 50000;
    int sent = 0;
    for (int drop = 0; drop < 20; ++drop) {
        for (int i = 0; i < total / 20; ++i)
            sent += inject(QStringLiteral("sim-device-%1").arg(i % 8 + 1, 6, 10, QLatin1Char('0')), 1);
        const int reconnectsBefore = consumer.reconnects();
        app->eventHub().dropConnections(); // (a relay closes its side when the upstream goes)
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                auto batch = consumer.take(1000000);
                std::move(batch.begin(), batch.end(), std::back_inserter(all));
                const auto ps = consumer.partitions();
                return consumer.reconnects() > reconnectsBefore
                    && std::all_of(ps.begin(), ps.end(),
                        [](const PartitionState& p) { return p.state == PartitionState::State::Receiving; });
            },
            20000))
            << "drop " << drop << ": " << consumer.fatalError().toStdString();
    }
    auto rest = collectEvents(consumer, static_cast<size_t>(sent) - all.size(), 60000);
    std::move(rest.begin(), rest.end(), std::back_inserter(all));
    ASSERT_EQ(sent, total);
    EXPECT_EQ(all.size(), static_cast<size_t>(total)) << consumer.fatalError().toStdString();
    EXPECT_GE(consumer.reconnects(), 20);
    std::map<int, std::vector<qint64>> byPartition;
    for (const auto& ev : all)
        byPartition[ev.partition].push_back(ev.sequenceNumber);
    for (const auto& [p, seqs] : byPartition) {
        for (size_t i = 1; i < seqs.size(); ++i)
            ASSERT_EQ(seqs[i], seqs[i - 1] + 1) << "partition " << p << " at " << i << ": a gap or a duplicate";
    }
    EXPECT_EQ(consumer.dropped(), 0u);
    if (ws) {
        EXPECT_GE(ws->relayed(), 21) << "every connection went over WebSockets";
        EXPECT_EQ(ws->lastSubprotocol(), QStringLiteral("AMQPWSB10"));
        EXPECT_EQ(ws->lastPath(), QStringLiteral("/$servicebus/websocket"));
    }
    if (proxy) {
        EXPECT_GE(proxy->tunnels(), 21) << "every connection went through the proxy";
    }
}

TEST_P(EveryTransport, TokensAreRenewedAcrossTheirExpiry)
{
    auto s = setUp(GetParam());
    s.options.tokenLifetimeSeconds = 4; // the simulator closes a connection whose token lapsed
    EventHubConsumer consumer(s.target, s.options);
    consumer.start();
    ASSERT_TRUE(allReceiving(consumer, 20000)) << consumer.fatalError().toStdString();
    // Seven rounds over about seven seconds: the 4-second token is renewed at least once, on this
    // transport's connection, which never drops.
    QElapsedTimer clock;
    clock.start();
    size_t received = 0;
    for (int round = 0; round < 7; ++round) {
        inject(QStringLiteral("healthy-controller"), 3);
        received += collectEvents(consumer, 3, 5000).size();
        (void)QTest::qWaitFor([&] { return clock.elapsed() >= 1000 * (round + 1); }, 2000);
    }
    EXPECT_GE(clock.elapsed(), 6000) << "past the first token's expiry";
    EXPECT_EQ(received, 21u);
    EXPECT_EQ(consumer.reconnects(), 0) << "renewed in time: the connection never dropped";
    EXPECT_TRUE(consumer.fatalError().isEmpty()) << consumer.fatalError().toStdString();
}

INSTANTIATE_TEST_SUITE_P(Transports, EveryTransport,
    ::testing::Values(Route::Plain, Route::Tls, Route::WebSocket, Route::SecureWebSocket, Route::TlsThroughProxy,
        Route::SecureWebSocketThroughProxy),
    [](const ::testing::TestParamInfo<Route>& info) { return std::string(routeName(info.param)); });

TEST_F(Transports, AutoGoesToWebSocketsWhenTheProxyWillNotTunnelTheAmqpPort)
{
    // A corporate proxy that only tunnels 443: CONNECT to the AMQP port is forbidden.
    tls = std::make_unique<TlsRelay>(QStringLiteral("localhost"), plain.port());
    ws = std::make_unique<WsRelay>(plain.port(), QStringLiteral("localhost"));
    proxy = std::make_unique<ConnectProxy>();
    proxy->refusePort(tls->port());
    ASSERT_EQ(inject(QStringLiteral("healthy-controller"), 5), 5);
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    options.network.extraCaCertificates = { testCa() };
    options.network.proxy = QStringLiteral("127.0.0.1:%1").arg(proxy->port()); // (http:// may be left out)
    options.network.websocketPort = ws->port();
    ASSERT_EQ(options.network.transport, AmqpTransport::Auto) << "auto is the default";
    EventHubConsumer consumer(via(QStringLiteral("localhost"), tls->port(), true), options);
    QElapsedTimer clock;
    clock.start();
    consumer.start();
    auto events = collectEvents(consumer, 5);
    ASSERT_EQ(events.size(), 5u) << consumer.fatalError().toStdString();
    EXPECT_LT(clock.elapsed(), 10000);
    EXPECT_TRUE(proxy->requestedPorts().contains(tls->port())) << "5671 was tried first";
    EXPECT_EQ(proxy->requestedPorts().last(), ws->port());
    EXPECT_EQ(tls->relayed(), 0);
    EXPECT_GE(ws->relayed(), 1);
    EXPECT_EQ(consumer.route(),
        QStringLiteral("AMQP over WebSockets (%1) through 127.0.0.1:%2").arg(ws->port()).arg(proxy->port()));
    EXPECT_EQ(consumer.reconnects(), 0) << "the fallback is not a retry";
}

TEST_F(Transports, AutoGoesToWebSocketsWhenTheAmqpPortIsRefusedOrSilent)
{
    ws = std::make_unique<WsRelay>(plain.port());
    // A port that accepts TCP and never says a word (a firewall that black-holes the handshake).
    QTcpServer silent;
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost));
    QTcpServer closed;
    ASSERT_TRUE(closed.listen(QHostAddress::LocalHost));
    const quint16 refusedPort = closed.serverPort();
    closed.close();
    ASSERT_EQ(inject(QStringLiteral("healthy-controller"), 3), 3);
    for (const quint16 port : { refusedPort, silent.serverPort() }) {
        ConsumerOptions options;
        options.start.kind = ConsumerStart::Kind::Beginning;
        options.network.websocketPort = ws->port();
        options.autoAmqpTimeoutMs = 1500;
        EventHubConsumer consumer(via(QStringLiteral("127.0.0.1"), port, false), options);
        consumer.start();
        auto events = collectEvents(consumer, 3);
        ASSERT_EQ(events.size(), 3u) << port << ": " << consumer.fatalError().toStdString();
        EXPECT_EQ(consumer.route(), QStringLiteral("AMQP over plain WebSockets (%1)").arg(ws->port())) << port;
    }
}

TEST_F(Transports, AProxyThatWantsCredentialsIsAskedWithThemAndRefusalIsSaidOnce)
{
    ws = std::make_unique<WsRelay>(plain.port(), QStringLiteral("localhost"));
    proxy = std::make_unique<ConnectProxy>();
    proxy->requireAuth("fieldtech", "pa:ss w@rd");
    ASSERT_EQ(inject(QStringLiteral("healthy-controller"), 2), 2);
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    options.network.extraCaCertificates = { testCa() };
    options.network.transport = AmqpTransport::AmqpWebSockets;
    options.network.websocketPort = ws->port();
    {
        options.network.proxy = QStringLiteral("http://127.0.0.1:%1").arg(proxy->port());
        EventHubConsumer consumer(via(QStringLiteral("localhost"), 5671, true), options);
        QSignalSpy failed(&consumer, &EventHubConsumer::failed);
        consumer.start();
        ASSERT_TRUE(failed.wait(10000));
        const std::string why = consumer.fatalError().toStdString();
        EXPECT_NE(why.find("the proxy 127.0.0.1:" + std::to_string(proxy->port()) + " asks for credentials"),
            std::string::npos)
            << why;
        EXPECT_NE(why.find("--proxy http://USER:PASSWORD@"), std::string::npos) << why;
        EXPECT_EQ(consumer.reconnects(), 0) << "the same demand would come again";
        EXPECT_EQ(ws->relayed(), 0);
    }
    {
        // Percent-encoded in the URL, as a password with ':', ' ' and '@' must be.
        options.network.proxy = QStringLiteral("http://fieldtech:pa%3Ass%20w%40rd@127.0.0.1:%1").arg(proxy->port());
        EventHubConsumer consumer(via(QStringLiteral("localhost"), 5671, true), options);
        consumer.start();
        auto events = collectEvents(consumer, 2);
        ASSERT_EQ(events.size(), 2u) << consumer.fatalError().toStdString();
        EXPECT_FALSE(consumer.route().contains(QStringLiteral("fieldtech"))) << "no credentials in the route";
        EXPECT_FALSE(consumer.route().contains(QStringLiteral("w@rd")));
    }
}

TEST_F(Transports, CertificateFailuresOverWebSocketsAreRefusedInWords)
{
    ASSERT_EQ(inject(QStringLiteral("healthy-controller"), 2), 2);
    struct Case {
        const char* certificate;
        bool trustTheCa;
        const char* words;
    };
    const Case cases[] = {
        { "localhost", false, "chain ends at 'IoTC Test Inspection CA', which this system does not trust" },
        { "wronghost", true, "is for 'wrong.example'" },
        { "expired", true, "expired on 2021-01-01" },
    };
    for (const auto& c : cases) {
        WsRelay relay(plain.port(), QLatin1String(c.certificate));
        ASSERT_TRUE(relay.valid());
        ConsumerOptions options;
        options.network.transport = AmqpTransport::AmqpWebSockets;
        options.network.websocketPort = relay.port();
        if (c.trustTheCa)
            options.network.extraCaCertificates = { testCa() };
        EventHubConsumer consumer(via(QStringLiteral("localhost"), 5671, true), options);
        QSignalSpy failed(&consumer, &EventHubConsumer::failed);
        consumer.start();
        ASSERT_TRUE(failed.wait(10000)) << c.certificate;
        const std::string why = consumer.fatalError().toStdString();
        EXPECT_NE(why.find(c.words), std::string::npos) << c.certificate << ": " << why;
        EXPECT_EQ(why.find("ignore"), std::string::npos) << why;
        EXPECT_EQ(consumer.reconnects(), 0) << c.certificate;
        EXPECT_EQ(relay.relayed(), 0) << c.certificate;
        EXPECT_TRUE(consumer.take().empty());
    }
}

TEST_F(Transports, AWebSocketServerOnAnotherPathIsNotMistakenForTheHub)
{
    // The relay closes every connection whose path is not AMQP's: here the consumer's path is
    // right, so the check is on the relay's side that it was asked for exactly that path; an HTTP
    // server that answers 404 to the upgrade is refused in words.
    QTcpServer http;
    ASSERT_TRUE(http.listen(QHostAddress::LocalHost));
    QObject::connect(&http, &QTcpServer::newConnection, &http, [&http] {
        while (QTcpSocket* s = http.nextPendingConnection()) {
            QObject::connect(s, &QTcpSocket::readyRead, s, [s] {
                s->readAll();
                s->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                s->disconnectFromHost();
            });
        }
    });
    ConsumerOptions options;
    options.network.transport = AmqpTransport::AmqpWebSockets;
    options.network.websocketPort = http.serverPort();
    EventHubConsumer consumer(via(QStringLiteral("127.0.0.1"), plain.port(), false), options);
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    consumer.start();
    ASSERT_TRUE(failed.wait(10000));
    const std::string why = consumer.fatalError().toStdString();
    EXPECT_NE(
        why.find("ws://127.0.0.1:" + std::to_string(http.serverPort()) + "/$servicebus/websocket"), std::string::npos)
        << why;
    EXPECT_TRUE(consumer.take().empty());
}

// ---- Plain TLS (a TLS front whose CA the consumer is given) ----

TEST_F(Transports, ReadsOverTlsWithTheCaItIsGivenAndResumesAfterADrop)
{
    TlsRelay relay(QStringLiteral("localhost"), plain.port());
    ASSERT_TRUE(relay.valid());
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 10), 10);
    ConsumerOptions options;
    options.start.kind = ConsumerStart::Kind::Beginning;
    options.network.extraCaCertificates = { testCa() };
    EventHubConsumer consumer(via(QStringLiteral("localhost"), relay.port(), true), options);
    consumer.start();
    auto events = collectEvents(consumer, 10);
    ASSERT_EQ(events.size(), 10u) << consumer.fatalError().toStdString();
    EXPECT_EQ(relay.relayed(), 1) << "one TLS connection carried it";
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto ps = consumer.partitions();
            return ps.size() == 4 && std::all_of(ps.begin(), ps.end(), [](const PartitionState& p) {
                return p.state == PartitionState::State::Receiving;
            });
        },
        10000));

    // The network breaks under the TLS connection: a new one, resumed after the last event.
    relay.dropAll();
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 5), 5);
    auto more = collectEvents(consumer, 5);
    ASSERT_EQ(more.size(), 5u) << consumer.fatalError().toStdString();
    EXPECT_EQ(consumer.reconnects(), 1);
    EXPECT_EQ(relay.relayed(), 2);
    EXPECT_EQ(more.front().sequenceNumber, events.back().sequenceNumber + 1) << "none lost, none twice";
    EXPECT_TRUE(consumer.take().empty());
}

TEST_F(Transports, EachCertificateFailureIsRefusedInWordsWithoutEventsOrRetries)
{
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 3), 3);
    struct Case {
        const char* certificate;
        bool trustTheCa;
        std::vector<const char*> words;
    };
    const Case cases[] = {
        { "localhost", false,
            { "chain ends at 'IoTC Test Inspection CA', which this system does not trust",
                "a proxy may be inspecting TLS", "--ca-file" } },
        { "wronghost", true, { "presented for localhost is for 'wrong.example'", "not for localhost" } },
        { "expired", true, { "TLS certificate of localhost ('localhost') expired on 2021-01-01", "date and time" } },
    };
    for (const auto& c : cases) {
        TlsRelay relay(QLatin1String(c.certificate), plain.port());
        ASSERT_TRUE(relay.valid()) << c.certificate;
        ConsumerOptions options;
        options.start.kind = ConsumerStart::Kind::Beginning;
        if (c.trustTheCa)
            options.network.extraCaCertificates = { testCa() };
        EventHubConsumer consumer(via(QStringLiteral("localhost"), relay.port(), true), options);
        QSignalSpy failed(&consumer, &EventHubConsumer::failed);
        QElapsedTimer clock;
        clock.start();
        consumer.start();
        ASSERT_TRUE(failed.wait(10000)) << c.certificate;
        EXPECT_LT(clock.elapsed(), 5000) << c.certificate << ": refused at once, not after the time to reach it";
        const std::string why = consumer.fatalError().toStdString();
        for (const char* w : c.words)
            EXPECT_NE(why.find(w), std::string::npos) << c.certificate << ": " << why;
        EXPECT_NE(why.find("The event hub at localhost could not be read"), std::string::npos) << why;
        EXPECT_EQ(why.find("ignore"), std::string::npos) << "never an offer to ignore it: " << why;
        EXPECT_EQ(consumer.reconnects(), 0) << c.certificate << ": the same certificate would come again";
        EXPECT_TRUE(consumer.take().empty()) << c.certificate;
        EXPECT_EQ(relay.relayed(), 0) << c.certificate << ": no AMQP byte went past the refused handshake";
        for (const auto& p : consumer.partitions())
            EXPECT_EQ(p.state, PartitionState::State::Error);
    }
}

TEST_F(Transports, APortThatDoesNotSpeakTlsIsAFailedHandshake)
{
    // TLS to the simulator's plain AMQP port: the handshake fails, is tried once more, then the
    // consumer ends saying so.
    EventHubConsumer consumer(via(QStringLiteral("localhost"), plain.port(), true), {});
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    consumer.start();
    ASSERT_TRUE(failed.wait(10000));
    const std::string why = consumer.fatalError().toStdString();
    EXPECT_NE(
        why.find("the TLS handshake with localhost:" + std::to_string(plain.port()) + " failed"), std::string::npos)
        << why;
    EXPECT_NE(why.find("TLS 1.2 or later"), std::string::npos) << why;
    EXPECT_EQ(consumer.reconnects(), 1) << why;
}

} // namespace
