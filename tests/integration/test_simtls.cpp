// The simulator over TLS (SimOptions::tls, `iotc-diag sim --tls`): a throwaway CA, REST and DPS over
// https, the event hub over amqps and wss in front of the plain AMQP port. The product's consumer
// reads it on both transports with the CA it is given (and not without), reconnects across
// dropConnections() without loss, and the CLI runs against `iotc-diag sim --tls` end to end.
#include "collectevents.h"
#include "simfixture.h"

#include "eventhub/eventhubconsumer.h"
#include "net/networksettings.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <map>

using namespace iotc;
using namespace iotc::test;

namespace {

constexpr int Devices = 8;

QString extraDevice(int i)
{
    return QStringLiteral("sim-device-%1").arg(i % Devices + 1, 6, 10, QLatin1Char('0'));
}

// A request with exactly these trust anchors (none given: the system's only).
HttpResult httpsGet(const QUrl& url, const QString& authorization, const QList<QSslCertificate>& extraCas,
    const QByteArray& method = "GET")
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + extraCas);
    request.setSslConfiguration(tls);
    request.setRawHeader("Authorization", authorization.toUtf8());
    request.setTransferTimeout(10000);
    QNetworkReply* reply = nam.sendCustomRequest(request, method);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(11000);
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.error = reply->error();
    r.json = QJsonDocument::fromJson(r.body).object();
    delete reply;
    return r;
}

class SimTls : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        sim::SimOptions o;
        o.tls = true;
        o.rateHz = 0;
        o.extraRateHz = 0;
        o.extraDevices = Devices;
        app = new sim::SimulatedApp(o);
        e = app->start();
        QString error;
        caLoaded = loadCaFile(e.caFile, ca, error);
        caError = error.toStdString();
    }
    static void TearDownTestSuite()
    {
        delete app;
        app = nullptr;
    }
    void SetUp() override { ASSERT_TRUE(caLoaded) << caError; }

    static EventHubTarget target()
    {
        QString error;
        const auto t = EventHubTarget::fromConnectionString(e.eventHubConnectionString, error);
        EXPECT_TRUE(t) << error.toStdString();
        return t.value_or(EventHubTarget {});
    }

    static ConsumerOptions options(AmqpTransport transport)
    {
        ConsumerOptions o;
        o.network.transport = transport;
        o.network.extraCaCertificates = ca;
        o.network.websocketPort = e.websocketPort;
        return o;
    }

    static QString expectedRoute(AmqpTransport transport)
    {
        return transport == AmqpTransport::Amqp ? QStringLiteral("AMQP over TLS (%1)").arg(e.amqpsPort)
                                                : QStringLiteral("AMQP over WebSockets (%1)").arg(e.websocketPort);
    }

    // Injects n events (round robin over the extra devices) once the consumer reads every partition.
    static int injectWhenReceiving(EventHubConsumer& consumer, int n)
    {
        if (!allReceiving(consumer))
            return -1;
        int sent = 0;
        for (int i = 0; i < n; ++i)
            sent += app->injectTelemetry(extraDevice(i), 1);
        return sent;
    }

    static inline sim::SimulatedApp* app = nullptr;
    static inline sim::SimEndpoints e;
    static inline QList<QSslCertificate> ca;
    static inline bool caLoaded = false;
    static inline std::string caError;
};

TEST_F(SimTls, EndpointsNameTheSecureFacesAndTheCaFile)
{
    EXPECT_TRUE(e.tls);
    EXPECT_TRUE(e.baseUrl.startsWith(QStringLiteral("https://localhost:"))) << e.baseUrl.toStdString();
    EXPECT_EQ(e.dpsEndpoint, e.baseUrl);
    ASSERT_GT(e.amqpsPort, 0);
    ASSERT_GT(e.websocketPort, 0);
    EXPECT_NE(e.amqpsPort, e.amqpPort);
    EXPECT_NE(e.websocketPort, e.amqpPort);
    EXPECT_TRUE(e.eventHubConnectionString.startsWith(
        QStringLiteral("Endpoint=amqps://localhost:%1/;SharedAccessKeyName=service;").arg(e.amqpsPort)))
        << e.eventHubConnectionString.toStdString();
    const auto t = target();
    EXPECT_TRUE(t.tls) << "amqps:// on loopback is TLS";
    EXPECT_EQ(t.port(), e.amqpsPort);

    ASSERT_EQ(ca.size(), 1);
    EXPECT_EQ(ca.front().subjectInfo(QSslCertificate::CommonName),
        QStringList { QStringLiteral("iotc-diag sim CA (throwaway)") });
    EXPECT_TRUE(ca.front().isSelfSigned());
    EXPECT_LE(ca.front().effectiveDate(), QDateTime::currentDateTimeUtc().addSecs(-3500));
    EXPECT_GE(ca.front().expiryDate(), QDateTime::currentDateTimeUtc().addDays(29));

    const auto json = e.toJson();
    EXPECT_EQ(json.value(QStringLiteral("caFile")).toString(), e.caFile);
    EXPECT_EQ(json.value(QStringLiteral("amqpsPort")).toInt(), e.amqpsPort);
    EXPECT_EQ(json.value(QStringLiteral("websocketPort")).toInt(), e.websocketPort);
    EXPECT_TRUE(json.value(QStringLiteral("tls")).toBool());
    sim::SimEndpoints plain = e;
    plain.tls = false;
    for (const char* key : { "caFile", "amqpsPort", "websocketPort", "tls" })
        EXPECT_FALSE(plain.toJson().contains(QLatin1String(key))) << key << ": plain output is unchanged";
}

TEST_F(SimTls, TheAmqpsFrontPresentsALocalhostCertificateTheCaSignedOverTls12OrLater)
{
    QSslSocket socket;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(ca); // only the simulator's CA
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    socket.setSslConfiguration(tls);
    socket.setProxy(QNetworkProxy::NoProxy);
    QList<QSslError> errors;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&](const QList<QSslError>& e) { errors += e; });
    socket.connectToHostEncrypted(QStringLiteral("localhost"), e.amqpsPort);
    ASSERT_TRUE(socket.waitForEncrypted(10000)) << socket.errorString().toStdString();
    EXPECT_TRUE(errors.isEmpty());
    const auto chain = socket.peerCertificateChain();
    ASSERT_EQ(chain.size(), 2) << "the leaf and the CA";
    const QSslCertificate leaf = chain.front();
    EXPECT_EQ(leaf.issuerInfo(QSslCertificate::CommonName), ca.front().subjectInfo(QSslCertificate::CommonName));
    const auto names = leaf.subjectAlternativeNames();
    EXPECT_TRUE(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    EXPECT_TRUE(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    EXPECT_TRUE(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("0:0:0:0:0:0:0:1"))
        || names.values(QSsl::IpAddressEntry).contains(QStringLiteral("::1")));
    const auto protocol = socket.sessionProtocol();
    EXPECT_TRUE(protocol == QSsl::TlsV1_2 || protocol == QSsl::TlsV1_3) << int(protocol);
    // A plain AMQP header through the TLS front reaches the plain port and is answered.
    socket.write(QByteArray("AMQP\x03\x01\x00\x00", 8));
    ASSERT_TRUE(QTest::qWaitFor([&] { return socket.bytesAvailable() >= 8; }, 10000));
    EXPECT_TRUE(socket.read(4) == "AMQP");
}

TEST_F(SimTls, RestAndTheTokenAnswerOverHttpsWithTheCaAndNotWithout)
{
    const auto devices = httpsGet(apiUrl(e, QStringLiteral("/devices")), e.apiToken, ca);
    ASSERT_EQ(devices.error, QNetworkReply::NoError) << devices.body.toStdString();
    EXPECT_EQ(devices.status, 200);
    EXPECT_GE(devices.json.value(QStringLiteral("value")).toArray().size(), Devices);

    const auto untrusted = httpsGet(apiUrl(e, QStringLiteral("/devices")), e.apiToken, {});
    EXPECT_EQ(untrusted.error, QNetworkReply::SslHandshakeFailedError);
    EXPECT_EQ(untrusted.status, 0);
    EXPECT_TRUE(untrusted.body.isEmpty());

    // generateEventSasTokens names the TLS endpoint, so that the product reads it over TLS.
    const auto tokens
        = httpsGet(QUrl(e.baseUrl + QStringLiteral("/system/iothubs/generateEventSasTokens")), e.apiToken, ca, "POST");
    ASSERT_EQ(tokens.status, 200) << tokens.body.toStdString();
    QString error;
    const auto targets = EventHubTarget::fromEventSasTokens(tokens.json, error);
    ASSERT_FALSE(targets.isEmpty()) << error.toStdString();
    for (const auto& hub : tokens.json)
        EXPECT_EQ(hub.toObject()
                      .value(QStringLiteral("eventhubSasToken"))
                      .toObject()
                      .value(QStringLiteral("hostname"))
                      .toString(),
            QStringLiteral("amqps://localhost:%1/").arg(e.amqpsPort));
    EXPECT_TRUE(targets.front().tls);
    EXPECT_EQ(targets.front().host, QStringLiteral("localhost:%1").arg(e.amqpsPort));
}

class SimTlsTransport : public SimTls, public ::testing::WithParamInterface<AmqpTransport> { };

TEST_P(SimTlsTransport, TheConsumerReadsInjectedEventsWithTheCa)
{
    EventHubConsumer consumer(target(), options(GetParam()));
    consumer.start();
    ASSERT_EQ(injectWhenReceiving(consumer, 20), 20) << consumer.fatalError().toStdString();
    const auto events = collectEvents(consumer, 20);
    ASSERT_EQ(events.size(), 20u) << consumer.fatalError().toStdString();
    EXPECT_EQ(consumer.route(), expectedRoute(GetParam()));
    EXPECT_TRUE(events.front().deviceId.startsWith(QStringLiteral("sim-device-")));
}

TEST_P(SimTlsTransport, WithoutTheCaTheConsumerIsRefusedInWords)
{
    auto o = options(GetParam());
    o.network.extraCaCertificates.clear();
    EventHubConsumer consumer(target(), o);
    QSignalSpy failed(&consumer, &EventHubConsumer::failed);
    consumer.start();
    ASSERT_TRUE(failed.wait(10000));
    const std::string why = consumer.fatalError().toStdString();
    EXPECT_NE(why.find("iotc-diag sim CA (throwaway)"), std::string::npos) << why;
    EXPECT_TRUE(consumer.take().empty());
}

TEST_P(SimTlsTransport, DroppedConnectionsAreResumedWithoutLossOrDuplicates)
{
    auto o = options(GetParam());
    EventHubConsumer consumer(target(), o);
    consumer.start();
    std::vector<TelemetryEvent> all;
    int sent = injectWhenReceiving(consumer, 0);
    ASSERT_EQ(sent, 0) << consumer.fatalError().toStdString();
    const int drops = 3;
    const int perRound = 400;
    for (int drop = 0; drop < drops; ++drop) {
        for (int i = 0; i < perRound; ++i)
            sent += app->injectTelemetry(extraDevice(i), 1);
        const int reconnectsBefore = consumer.reconnects();
        app->eventHub().dropConnections(); // (the front closes the client's side when the plain one goes)
        ASSERT_TRUE(QTest::qWaitFor(
            [&] {
                auto batch = consumer.take(1000000);
                std::move(batch.begin(), batch.end(), std::back_inserter(all));
                return consumer.reconnects() > reconnectsBefore && allReceiving(consumer, 0);
            },
            20000))
            << "drop " << drop << ": " << consumer.fatalError().toStdString();
    }
    auto rest = collectEvents(consumer, static_cast<size_t>(sent) - all.size(), 20000);
    std::move(rest.begin(), rest.end(), std::back_inserter(all));
    ASSERT_EQ(sent, drops * perRound);
    EXPECT_EQ(all.size(), static_cast<size_t>(sent)) << consumer.fatalError().toStdString();
    EXPECT_GE(consumer.reconnects(), drops);
    EXPECT_EQ(consumer.route(), expectedRoute(GetParam())) << "it reconnected the same way";
    std::map<int, std::vector<qint64>> byPartition;
    for (const auto& ev : all)
        byPartition[ev.partition].push_back(ev.sequenceNumber);
    for (const auto& [p, seqs] : byPartition)
        for (size_t i = 1; i < seqs.size(); ++i)
            ASSERT_EQ(seqs[i], seqs[i - 1] + 1) << "partition " << p << " at " << i << ": a gap or a duplicate";
}

INSTANTIATE_TEST_SUITE_P(SimTls, SimTlsTransport, ::testing::Values(AmqpTransport::Amqp, AmqpTransport::AmqpWebSockets),
    [](const ::testing::TestParamInfo<AmqpTransport>& info) {
        return std::string(info.param == AmqpTransport::Amqp ? "Amqps" : "Wss");
    });

// The close code the WebSocket front answers this path and these subprotocols with (Normal when it
// never closed); opened says whether the upgrade itself succeeded.
QWebSocketProtocol::CloseCode webSocketCloseCode(
    quint16 port, const QList<QSslCertificate>& ca, const QString& path, const QStringList& subprotocols, bool& opened)
{
    QWebSocket ws;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslConfiguration::systemCaCertificates() + ca);
    ws.setSslConfiguration(tls);
    ws.setProxy(QNetworkProxy::NoProxy);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(subprotocols);
    QSignalSpy disconnected(&ws, &QWebSocket::disconnected);
    QObject::connect(&ws, &QWebSocket::connected, &ws, [&opened] { opened = true; });
    ws.open(QNetworkRequest(QUrl(QStringLiteral("wss://localhost:%1%2").arg(port).arg(path))), handshake);
    if (!disconnected.wait(10000))
        return QWebSocketProtocol::CloseCodeNormal;
    return ws.closeCode();
}

TEST_F(SimTls, TheWebSocketFrontServesAmqpAtItsPathWithItsSubprotocolOnly)
{
    const QStringList amqp { QStringLiteral("AMQPWSB10") };
    bool opened = false;
    EXPECT_EQ(webSocketCloseCode(e.websocketPort, ca, QStringLiteral("/other"), amqp, opened),
        QWebSocketProtocol::CloseCodePolicyViolated);
    EXPECT_TRUE(opened) << "the upgrade worked; the front closed it";
    opened = false;
    EXPECT_EQ(webSocketCloseCode(e.websocketPort, ca, QStringLiteral("/$servicebus/websocket"), {}, opened),
        QWebSocketProtocol::CloseCodePolicyViolated)
        << "no AMQPWSB10";

    // The right path and subprotocol: the AMQP header goes through and is answered in a binary frame.
    QWebSocket ws;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(ca);
    ws.setSslConfiguration(tls);
    ws.setProxy(QNetworkProxy::NoProxy);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(amqp);
    QByteArray answer;
    QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws, [&](const QByteArray& b) { answer += b; });
    QObject::connect(
        &ws, &QWebSocket::connected, &ws, [&] { ws.sendBinaryMessage(QByteArray("AMQP\x03\x01\x00\x00", 8)); });
    ws.open(QNetworkRequest(QUrl(QStringLiteral("wss://localhost:%1/$servicebus/websocket").arg(e.websocketPort))),
        handshake);
    ASSERT_TRUE(QTest::qWaitFor([&] { return answer.size() >= 8; }, 10000)) << ws.errorString().toStdString();
    EXPECT_EQ(ws.subprotocol(), QStringLiteral("AMQPWSB10"));
    EXPECT_TRUE(answer.startsWith("AMQP"));
}

// `iotc-diag sim --tls` in its own process, and the CLI reading it over TLS and over WebSockets.
struct Process {
    int exitCode = -1;
    QString out;
    QString err;
};

Process runDiag(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForStarted(10000));
    p.closeWriteChannel();
    EXPECT_TRUE(p.waitForFinished(30000)) << args.join(QLatin1Char(' ')).toStdString();
    return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
}

TEST(SimTlsCommand, ServesOverTlsAndTheCliReadsItOnBothTransports)
{
    QProcess sim;
    sim.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("sim"), QStringLiteral("--tls"), QStringLiteral("--rate"), QStringLiteral("10"),
            QStringLiteral("--extra-rate"), QStringLiteral("0") });
    ASSERT_TRUE(sim.waitForStarted(10000));
    ASSERT_TRUE(sim.waitForReadyRead(20000)) << sim.readAllStandardError().toStdString();
    const auto json = QJsonDocument::fromJson(sim.readLine()).object();
    const QString caFile = json.value(QStringLiteral("caFile")).toString();
    const int amqpsPort = json.value(QStringLiteral("amqpsPort")).toInt();
    const int websocketPort = json.value(QStringLiteral("websocketPort")).toInt();
    const QString baseUrl = json.value(QStringLiteral("baseUrl")).toString();
    EXPECT_TRUE(json.value(QStringLiteral("tls")).toBool());
    EXPECT_TRUE(QFileInfo::exists(caFile)) << caFile.toStdString();
    EXPECT_GT(amqpsPort, 0);
    EXPECT_GT(websocketPort, 0);
    EXPECT_TRUE(baseUrl.startsWith(QStringLiteral("https://localhost:"))) << baseUrl.toStdString();
    EXPECT_TRUE(json.value(QStringLiteral("eventHubConnectionString"))
                    .toString()
                    .startsWith(QStringLiteral("Endpoint=amqps://localhost:%1/").arg(amqpsPort)));

    const QStringList common { QStringLiteral("monitor-events"), QStringLiteral("--base-url"), baseUrl,
        QStringLiteral("--token"), json.value(QStringLiteral("apiToken")).toString(), QStringLiteral("--ca-file"),
        caFile, QStringLiteral("--timeout"), QStringLiteral("5"), QStringLiteral("--max-messages"),
        QStringLiteral("3") };
    struct Run {
        QStringList extra;
        QString route;
    };
    const Run runs[] = {
        { {}, QStringLiteral("Live via AMQP over TLS (%1)").arg(amqpsPort) },
        { { QStringLiteral("--transport"), QStringLiteral("amqp-ws"), QStringLiteral("--websocket-port"),
              QString::number(websocketPort) },
            QStringLiteral("Live via AMQP over WebSockets (%1)").arg(websocketPort) },
    };
    for (const auto& run : runs) {
        const auto r = runDiag(common + run.extra);
        EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
        const auto lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        int events = 0;
        for (const auto& line : lines)
            events += QJsonDocument::fromJson(line.toUtf8()).object().contains(QStringLiteral("event")) ? 1 : 0;
        EXPECT_EQ(events, 3) << r.out.toStdString() << r.err.toStdString();
        const auto errLines = r.err.split(QLatin1Char('\n'));
        EXPECT_TRUE(std::any_of(errLines.begin(), errLines.end(), [&](const QString& l) {
            return l.startsWith(QStringLiteral("Live via AMQP over")) && l.contains(run.route);
        })) << r.err.toStdString();
    }

    // Without the CA, REST over https is refused (and no event is printed).
    QStringList untrusted = common;
    untrusted.removeAt(untrusted.indexOf(QStringLiteral("--ca-file")) + 1);
    untrusted.removeAll(QStringLiteral("--ca-file"));
    const auto refused = runDiag(untrusted);
    EXPECT_NE(refused.exitCode, 0);
    EXPECT_FALSE(refused.out.contains(QStringLiteral("\"event\""))) << refused.out.toStdString();

    ::kill(static_cast<pid_t>(sim.processId()), SIGTERM);
    ASSERT_TRUE(sim.waitForFinished(10000));
    EXPECT_EQ(sim.exitCode(), 0);
    EXPECT_FALSE(QFileInfo::exists(caFile)) << "the throwaway CA goes with the simulator";
}

TEST(SimTlsCommand, SecurePortsWithoutTlsAreAUsageError)
{
    const auto r = runDiag({ QStringLiteral("sim"), QStringLiteral("--port-amqps"), QStringLiteral("0") });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--tls"))) << r.err.toStdString();
}

} // namespace
