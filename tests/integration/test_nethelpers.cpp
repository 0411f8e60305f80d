// The network test helpers on their own, with Qt sockets only: ConnectProxy tunnels a socket (and a
// WebSocket) as an HTTP proxy does, refuses a port with 403, challenges with 407 until the right
// Basic credentials come, and answers bad requests in HTTP; WsRelay pipes AMQPWSB10 WebSockets
// (ws:// and wss://) to a plain TCP port and closes other paths.
#include "connectproxy.h"
#include "wsrelay.h"

#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QWebSocketHandshakeOptions>
#include <gtest/gtest.h>

using namespace iotc::test;

namespace {

constexpr int kWaitMs = 5000;

// A plain TCP server sending back whatever it is sent.
class EchoServer : public QObject {
public:
    EchoServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++m_connections;
                QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    int m_connections = 0;
};

// A local port nothing listens on.
quint16 closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost);
    return s.serverPort();
}

QNetworkProxy httpProxy(quint16 port, const QString& user = {}, const QString& password = {})
{
    return QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), port, user, password);
}

// Connects `s` to host:port; true once connected, false on an error (kept in `error`) or time out.
bool connectSocket(QTcpSocket& s, const QString& host, quint16 port, QAbstractSocket::SocketError* error = nullptr)
{
    QSignalSpy connected(&s, &QTcpSocket::connected);
    QSignalSpy failed(&s, &QTcpSocket::errorOccurred);
    s.connectToHost(host, port);
    (void)QTest::qWaitFor([&] { return !connected.isEmpty() || !failed.isEmpty(); }, kWaitMs);
    if (error)
        *error = s.error();
    return !connected.isEmpty() && failed.isEmpty();
}

QByteArray readAtLeast(QTcpSocket& s, qsizetype n, QByteArray already = {})
{
    (void)QTest::qWaitFor(
        [&] {
            already += s.readAll();
            return already.size() >= n;
        },
        kWaitMs);
    return already;
}

// The bytes sent come back through the tunnel.
void expectEcho(QTcpSocket& s, const QByteArray& bytes)
{
    s.write(bytes);
    EXPECT_EQ(readAtLeast(s, bytes.size()), bytes);
}

// A raw client of the proxy: its answer to `pieces` (each written on its own), read until the
// proxy closes the connection or the answer ends with `until`.
QByteArray rawExchange(quint16 proxyPort, const QList<QByteArray>& pieces, const QByteArray& until = {})
{
    QTcpSocket s;
    s.setProxy(QNetworkProxy::NoProxy);
    if (!connectSocket(s, QStringLiteral("127.0.0.1"), proxyPort))
        return "not connected";
    for (const QByteArray& piece : pieces) {
        s.write(piece);
        s.flush(); // on the loopback the bytes are readable at once: the proxy reads each piece alone
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
    }
    QByteArray answer;
    (void)QTest::qWaitFor(
        [&] {
            answer += s.readAll();
            return s.state() == QAbstractSocket::UnconnectedState || (!until.isEmpty() && answer.endsWith(until));
        },
        kWaitMs);
    return answer + s.readAll();
}

TEST(ConnectProxy, TunnelsASocketToALocalServerBothWaysUntilDropped)
{
    EchoServer echo;
    ConnectProxy proxy;
    ASSERT_TRUE(proxy.valid());
    QTcpSocket s;
    s.setProxy(httpProxy(proxy.port()));
    ASSERT_TRUE(connectSocket(s, QStringLiteral("127.0.0.1"), echo.port())) << s.errorString().toStdString();
    expectEcho(s, "ping through the tunnel");
    expectEcho(s, QByteArray(100000, 'x'));
    EXPECT_EQ(proxy.tunnels(), 1);
    EXPECT_EQ(proxy.requestedPorts(), QList<quint16> { echo.port() });
    EXPECT_EQ(proxy.authChallenges(), 0);
    EXPECT_EQ(echo.connections(), 1);

    QSignalSpy disconnected(&s, &QTcpSocket::disconnected);
    proxy.dropAll();
    EXPECT_TRUE(disconnected.wait(kWaitMs));
}

TEST(ConnectProxy, RefusedPortIsForbiddenAndNeverReachesTheTarget)
{
    EchoServer echo;
    ConnectProxy proxy;
    proxy.refusePort(echo.port());
    QTcpSocket s;
    s.setProxy(httpProxy(proxy.port()));
    QAbstractSocket::SocketError error {};
    EXPECT_FALSE(connectSocket(s, QStringLiteral("127.0.0.1"), echo.port(), &error));
    EXPECT_EQ(error, QAbstractSocket::SocketAccessError) << "Qt's word for a 403: " << s.errorString().toStdString();
    EXPECT_EQ(proxy.tunnels(), 0);
    // Qt asks once more on a new connection before it gives up.
    const QList<quint16> asked = proxy.requestedPorts();
    EXPECT_FALSE(asked.isEmpty());
    EXPECT_EQ(asked.count(echo.port()), asked.size());
    EXPECT_EQ(echo.connections(), 0);

    // Another port still goes through.
    EchoServer other;
    QTcpSocket t;
    t.setProxy(httpProxy(proxy.port()));
    ASSERT_TRUE(connectSocket(t, QStringLiteral("127.0.0.1"), other.port())) << t.errorString().toStdString();
    expectEcho(t, "allowed");
    EXPECT_EQ(proxy.requestedPorts(), asked + QList<quint16> { other.port() });
    EXPECT_EQ(proxy.tunnels(), 1);
}

TEST(ConnectProxy, BasicCredentialsAreChallengedAndOnlyTheRightOnesTunnel)
{
    EchoServer echo;
    ConnectProxy proxy;
    proxy.requireAuth("alice", "s3cret");

    QTcpSocket right;
    right.setProxy(httpProxy(proxy.port(), QStringLiteral("alice"), QStringLiteral("s3cret")));
    ASSERT_TRUE(connectSocket(right, QStringLiteral("127.0.0.1"), echo.port())) << right.errorString().toStdString();
    expectEcho(right, "authenticated");
    EXPECT_EQ(proxy.tunnels(), 1);
    EXPECT_EQ(proxy.authChallenges(), 1) << "Qt sends credentials only after a 407";
    EXPECT_EQ(proxy.requestedPorts(), (QList<quint16> { echo.port(), echo.port() }));

    for (const auto& [user, password] : { std::pair { "alice", "wrong" }, std::pair { "", "" } }) {
        QTcpSocket wrong;
        wrong.setProxy(httpProxy(proxy.port(), QLatin1String(user), QLatin1String(password)));
        QAbstractSocket::SocketError error {};
        EXPECT_FALSE(connectSocket(wrong, QStringLiteral("127.0.0.1"), echo.port(), &error)) << user;
        EXPECT_EQ(error, QAbstractSocket::ProxyAuthenticationRequiredError) << wrong.errorString().toStdString();
    }
    EXPECT_EQ(proxy.tunnels(), 1);
    EXPECT_GE(proxy.authChallenges(), 3);
    EXPECT_EQ(echo.connections(), 1);
}

TEST(ConnectProxy, RemoteOrUnreachableTargetsAreBadGateway)
{
    ConnectProxy proxy;
    EchoServer echo;
    for (const auto& [host, port] : { std::pair { QStringLiteral("192.0.2.1"), quint16(443) },
             std::pair { QStringLiteral("127.0.0.1"), closedPort() } }) {
        QTcpSocket s;
        s.setProxy(httpProxy(proxy.port()));
        EXPECT_FALSE(connectSocket(s, host, port)) << host.toStdString();
        EXPECT_NE(s.error(), QAbstractSocket::UnknownSocketError) << host.toStdString();
    }
    EXPECT_EQ(proxy.tunnels(), 0);
    EXPECT_EQ(proxy.requestedPorts().size(), 2);

    const QByteArray target = "127.0.0.1:" + QByteArray::number(closedPort());
    EXPECT_TRUE(rawExchange(proxy.port(), { "CONNECT " + target + " HTTP/1.1\r\n\r\n" })
                    .startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
    EXPECT_TRUE(rawExchange(proxy.port(), { "CONNECT example.com:443 HTTP/1.1\r\n\r\n" })
                    .startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
}

TEST(ConnectProxy, RawRequestsPartialHeadersEarlyBytesAndBadRequests)
{
    EchoServer echo;
    ConnectProxy proxy;
    const QByteArray target = "localhost:" + QByteArray::number(echo.port());
    const QByteArray established = "HTTP/1.1 200 Connection established\r\n\r\n";

    // A header in pieces, with tunnel bytes right behind it in the last one.
    const QByteArray answer = rawExchange(proxy.port(),
        { "CONNECT " + target.left(5), target.mid(5) + " HTTP/1.1\r\nHost: " + target + "\r", "\n\r\nearly bytes" },
        established + "early bytes");
    EXPECT_EQ(answer, established + "early bytes");
    EXPECT_EQ(proxy.tunnels(), 1);

    EXPECT_TRUE(rawExchange(proxy.port(), { "GET http://localhost/ HTTP/1.1\r\n\r\n" })
                    .startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
    EXPECT_TRUE(rawExchange(proxy.port(), { "CONNECT nonsense\r\n\r\n" }).startsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_TRUE(rawExchange(proxy.port(), { "CONNECT " + target + " HTTP/1.1\r\nX: " + QByteArray(17000, 'a') })
                    .startsWith("HTTP/1.1 400 Bad Request\r\n"));

    // A 407 leaves the connection open for the retry; Content-Length says there is no body.
    proxy.requireAuth("u", "p");
    const QByteArray challenged = rawExchange(proxy.port(),
        { "CONNECT " + target + " HTTP/1.1\r\n\r\n",
            "CONNECT " + target + " HTTP/1.1\r\nProxy-Authorization: Basic " + QByteArray("u:p").toBase64()
                + "\r\n\r\nx" },
        established + "x");
    EXPECT_TRUE(challenged.startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n")) << challenged.toStdString();
    EXPECT_TRUE(challenged.contains("Proxy-Authenticate: Basic realm=\"test\"\r\n"));
    EXPECT_TRUE(challenged.contains("Content-Length: 0\r\n"));
    EXPECT_TRUE(challenged.endsWith(established + "x")) << challenged.toStdString();
    EXPECT_EQ(proxy.authChallenges(), 1);
    EXPECT_EQ(proxy.tunnels(), 2);
}

// A WebSocket client of WsRelay, collecting what comes back.
struct WsClient {
    QWebSocket ws;
    QByteArray received;
    QSignalSpy connected { &ws, &QWebSocket::connected };
    QSignalSpy disconnected { &ws, &QWebSocket::disconnected };
    QSignalSpy failed { &ws, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error) };
    QList<QSslError> sslErrors;

    explicit WsClient(const QNetworkProxy& proxy = QNetworkProxy(QNetworkProxy::NoProxy), bool trustTestCa = false)
    {
        ws.setProxy(proxy);
        if (trustTestCa) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + QList<QSslCertificate> { testCa() });
            ws.setSslConfiguration(tls);
        }
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws, [this](const QByteArray& b) { received += b; });
        QObject::connect(&ws, &QWebSocket::sslErrors, &ws, [this](const QList<QSslError>& e) { sslErrors += e; });
    }

    bool open(const QString& url)
    {
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({ QStringLiteral("AMQPWSB10") });
        ws.open(QUrl(url), options);
        (void)QTest::qWaitFor(
            [&] { return !connected.isEmpty() || !disconnected.isEmpty() || !failed.isEmpty(); }, kWaitMs);
        return !connected.isEmpty();
    }

    void expectEcho(const QByteArray& bytes)
    {
        received.clear();
        ws.sendBinaryMessage(bytes);
        (void)QTest::qWaitFor([&] { return received.size() >= bytes.size(); }, kWaitMs);
        EXPECT_EQ(received, bytes);
    }
};

QString wsUrl(const char* scheme, const char* host, quint16 port)
{
    return QStringLiteral("%1://%2:%3/$servicebus/websocket").arg(QLatin1String(scheme), QLatin1String(host)).arg(port);
}

TEST(WsRelay, PipesBinaryFramesOfAPlainWebSocketToTheUpstreamAndBack)
{
    EchoServer echo;
    WsRelay relay(echo.port());
    ASSERT_TRUE(relay.valid());
    WsClient c;
    ASSERT_TRUE(c.open(wsUrl("ws", "127.0.0.1", relay.port()))) << c.ws.errorString().toStdString();
    EXPECT_EQ(c.ws.subprotocol(), QStringLiteral("AMQPWSB10"));
    c.expectEcho(QByteArray("AMQP\x00\x01\x00\x00", 8));
    c.expectEcho(QByteArray(200000, 'z'));
    EXPECT_EQ(relay.relayed(), 1);
    EXPECT_EQ(relay.lastPath(), QStringLiteral("/$servicebus/websocket"));
    EXPECT_EQ(relay.lastSubprotocol(), QStringLiteral("AMQPWSB10"));
    EXPECT_EQ(echo.connections(), 1);

    relay.dropAll();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !c.disconnected.isEmpty(); }, kWaitMs));
}

TEST(WsRelay, SecureModePresentsTheTestCertificateChain)
{
    EchoServer echo;
    WsRelay relay(echo.port(), QStringLiteral("localhost"));
    ASSERT_TRUE(relay.valid());
    WsClient trusting(QNetworkProxy(QNetworkProxy::NoProxy), true);
    ASSERT_TRUE(trusting.open(wsUrl("wss", "localhost", relay.port()))) << trusting.ws.errorString().toStdString();
    EXPECT_TRUE(trusting.sslErrors.isEmpty());
    trusting.expectEcho("over TLS");
    EXPECT_EQ(relay.lastSubprotocol(), QStringLiteral("AMQPWSB10"));

    WsClient untrusting;
    EXPECT_FALSE(untrusting.open(wsUrl("wss", "localhost", relay.port())));
    EXPECT_FALSE(untrusting.sslErrors.isEmpty()) << "the test CA is not a system root";
    EXPECT_EQ(relay.relayed(), 1);
}

TEST(WsRelay, OtherPathsAreClosedWithoutReachingTheUpstream)
{
    EchoServer echo;
    WsRelay relay(echo.port());
    WsClient c;
    c.open(QStringLiteral("ws://127.0.0.1:%1/elsewhere").arg(relay.port()));
    EXPECT_TRUE(QTest::qWaitFor([&] { return !c.disconnected.isEmpty(); }, kWaitMs));
    EXPECT_EQ(c.ws.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    EXPECT_EQ(relay.lastPath(), QStringLiteral("/elsewhere"));
    EXPECT_EQ(relay.relayed(), 0);
    EXPECT_EQ(echo.connections(), 0);
}

TEST(NetHelpers, AWebSocketTunnelsThroughTheProxyToTheRelay)
{
    EchoServer echo;
    ConnectProxy proxy;
    WsRelay plain(echo.port());
    WsRelay secure(echo.port(), QStringLiteral("localhost"));

    WsClient ws(httpProxy(proxy.port()));
    ASSERT_TRUE(ws.open(wsUrl("ws", "127.0.0.1", plain.port()))) << ws.ws.errorString().toStdString();
    ws.expectEcho("ws through the proxy");

    WsClient wss(httpProxy(proxy.port()), true);
    ASSERT_TRUE(wss.open(wsUrl("wss", "localhost", secure.port()))) << wss.ws.errorString().toStdString();
    wss.expectEcho("wss through the proxy");

    EXPECT_EQ(proxy.tunnels(), 2);
    EXPECT_EQ(proxy.requestedPorts(), (QList<quint16> { plain.port(), secure.port() }));
    EXPECT_EQ(plain.relayed(), 1);
    EXPECT_EQ(secure.relayed(), 1);
    EXPECT_EQ(secure.lastSubprotocol(), QStringLiteral("AMQPWSB10"));

    // A proxy that tunnels only other ports: the WebSocket never opens.
    proxy.refusePort(plain.port());
    WsClient refused(httpProxy(proxy.port()));
    EXPECT_FALSE(refused.open(wsUrl("ws", "127.0.0.1", plain.port())));
    EXPECT_EQ(plain.relayed(), 1);
}

} // namespace
