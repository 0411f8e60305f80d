// The device's network check (core/net/netcheck, `iotc-diag netcheck`) against the simulator over
// TLS: each step passing and failing as a device's network makes it fail: a blocked port beside an
// open 443, a TLS-inspecting (untrusted) root, a name that does not resolve, a skewed clock, a
// proxy that tunnels and one that will not. The simulator has no MQTT endpoint yet (issue 16 §3):
// its TLS ports stand in for the hub's, which is all DNS, TCP and TLS need.
#include "connectproxy.h"
#include "simfixture.h"

#include "net/netcheck.h"
#include "net/networksettings.h"
#include "sim/simulatedapp.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <gtest/gtest.h>

using namespace iotc;
using namespace iotc::test;

namespace {

class NetCheck : public SimSuite<NetCheck, 0, 0, true> {
protected:
    static void SetUpTestSuite()
    {
        SimSuite::SetUpTestSuite();
        restPort = QUrl(e.baseUrl).port();
        // A port nothing listens on: bound, then closed.
        QTcpServer s;
        s.listen(QHostAddress::LocalHost);
        closedPort = s.serverPort();
        s.close();
    }
    void TearDown() override { app->httpFaults().clockOffsetSeconds = 0; }

    // The hub at localhost: "MQTT" on mqttPort, AMQP on the amqps port, 443 on the REST port.
    static NetCheckReport check(int mqttPort, bool trustCa = true, const QString& proxy = {})
    {
        NetCheckOptions options;
        if (trustCa)
            options.network.extraCaCertificates = ca;
        options.network.proxy = proxy.isEmpty() ? QStringLiteral("direct") : proxy;
        options.timeoutMs = 5000;
        return runNetCheck(
            deviceTargets({}, { QStringLiteral("localhost") }, {}, NetPorts { mqttPort, e.amqpsPort, restPort }),
            options);
    }

    static inline int restPort = 0;
    static inline quint16 closedPort = 0;
};

const NetTargetResult& on(const NetCheckReport& r, NetProtocol p)
{
    for (const auto& t : r.targets) {
        if (t.target.protocol == p)
            return t;
    }
    throw std::runtime_error("no such target");
}

TEST_F(NetCheck, EverythingReachableWithTrustedTlsPasses)
{
    const auto r = check(e.websocketPort);
    ASSERT_EQ(r.targets.size(), 3u);
    for (const auto& t : r.targets) {
        EXPECT_TRUE(t.passed) << protocolName(t.target.protocol) << ": " << t.detail.toStdString();
        EXPECT_GE(t.dnsMs, 0);
        EXPECT_FALSE(t.addresses.isEmpty());
        EXPECT_GE(t.tcpMs, 0);
        EXPECT_TRUE(t.tls.ok);
        EXPECT_TRUE(t.tls.protocol.startsWith(QStringLiteral("TLS 1."))) << t.tls.protocol.toStdString();
        EXPECT_EQ(t.tls.issuer, QStringLiteral("iotc-diag sim CA (throwaway)"));
        EXPECT_TRUE(t.code.isEmpty());
    }
    ASSERT_TRUE(r.clockSkewSeconds.has_value()) << "the 443 target's Date header";
    EXPECT_LE(std::abs(*r.clockSkewSeconds), 2);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.verdictLines().size(), 1);
    EXPECT_TRUE(r.verdictLines().front().startsWith(QStringLiteral("Every endpoint a device needs is reachable")));
}

TEST_F(NetCheck, ABlockedMqttPortBesideAnOpen443SaysWhatDevicesOnMqttShouldDo)
{
    const auto r = check(closedPort);
    const auto& mqtt = on(r, NetProtocol::Mqtt);
    EXPECT_FALSE(mqtt.passed);
    EXPECT_EQ(mqtt.code, QStringLiteral("netcheck-port-blocked"));
    EXPECT_TRUE(mqtt.detail.contains(QStringLiteral("refused"))) << mqtt.detail.toStdString();
    EXPECT_FALSE(mqtt.tls.attempted);
    const QString expected = QStringLiteral("MQTT (%1) is blocked on this network: devices using MQTT cannot connect "
                                            "to their IoT hub here; use MQTT over WebSockets (443) or open %1 "
                                            "outbound to localhost.")
                                 .arg(closedPort);
    EXPECT_EQ(mqtt.mitigation, expected);
    EXPECT_TRUE(on(r, NetProtocol::Https).passed);
    EXPECT_TRUE(on(r, NetProtocol::Amqp).passed);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.verdictLines(), QStringList { expected });
}

TEST_F(NetCheck, AnUntrustedRootIsNamedAsPossibleTlsInspection)
{
    const auto r = check(e.websocketPort, false);
    for (const auto& t : r.targets) {
        EXPECT_FALSE(t.passed);
        EXPECT_EQ(t.code, QStringLiteral("netcheck-tls-untrusted"));
        EXPECT_TRUE(t.tls.attempted);
        EXPECT_FALSE(t.tls.trusted);
        EXPECT_EQ(t.tls.root, QStringLiteral("iotc-diag sim CA (throwaway)"));
        EXPECT_TRUE(
            t.detail.contains(QStringLiteral("'iotc-diag sim CA (throwaway)', which this system does not trust")))
            << t.detail.toStdString();
        EXPECT_TRUE(t.mitigation.contains(QStringLiteral("exempt localhost from TLS inspection")))
            << t.mitigation.toStdString();
    }
}

TEST_F(NetCheck, ANameThatDoesNotResolveIsADnsFailure)
{
    NetCheckOptions options;
    options.network.proxy = QStringLiteral("direct");
    const auto r = runNetCheck(deviceTargets(QStringLiteral("dps.nonexistent.invalid"), {}, {}, NetPorts {}), options);
    ASSERT_EQ(r.targets.size(), 3u);
    for (const auto& t : r.targets) {
        EXPECT_EQ(t.code, QStringLiteral("netcheck-dns"));
        EXPECT_TRUE(t.addresses.isEmpty());
        EXPECT_LT(t.tcpMs, 0) << "no connection without an address";
    }
    EXPECT_EQ(r.verdictLines(),
        QStringList { QStringLiteral("Check this network's DNS: it must resolve dps.nonexistent.invalid.") });
}

// Something that takes the connection and then says nothing (a middlebox holding TLS): the
// handshake's time-out is the answer, in words, not a hang.
TEST_F(NetCheck, AHandshakeThatNeverFinishesIsSaidWithinTheTimeout)
{
    QTcpServer silent; // accepts (the kernel does) and never answers
    ASSERT_TRUE(silent.listen(QHostAddress::LocalHost));
    NetCheckOptions options;
    options.network.proxy = QStringLiteral("direct");
    options.timeoutMs = 1000;
    QElapsedTimer clock;
    clock.start();
    const auto r = runNetCheck(
        { NetTarget { QStringLiteral("hub"), QStringLiteral("localhost"), silent.serverPort(), NetProtocol::Mqtt } },
        options);
    EXPECT_LT(clock.elapsed(), 8000);
    ASSERT_EQ(r.targets.size(), 1u);
    const auto& t = r.targets.front();
    EXPECT_FALSE(t.passed);
    EXPECT_GE(t.tcpMs, 0) << "TCP got through";
    EXPECT_EQ(t.code, QStringLiteral("netcheck-tls-failed"));
    EXPECT_TRUE(t.detail.contains(QStringLiteral("did not finish within 1 s"))) << t.detail.toStdString();
    EXPECT_TRUE(t.mitigation.contains(QStringLiteral("devices will time out the same way")))
        << t.mitigation.toStdString();
}

TEST_F(NetCheck, AClockTenMinutesAheadIsSaidWithWhatItBreaks)
{
    app->httpFaults().clockOffsetSeconds = -600; // the server's Date is 10 minutes behind ours
    const auto r = check(e.websocketPort);
    ASSERT_TRUE(r.clockSkewSeconds.has_value());
    EXPECT_NEAR(static_cast<double>(*r.clockSkewSeconds), 600.0, 2.0);
    EXPECT_FALSE(r.ok()) << "every port passed, but the clock breaks SAS tokens";
    const auto lines = r.verdictLines();
    ASSERT_EQ(lines.size(), 1);
    EXPECT_TRUE(lines.front().startsWith(QStringLiteral("This machine's clock is 10 min ahead of Azure's")))
        << lines.front().toStdString();
    EXPECT_TRUE(lines.front().contains(QStringLiteral("SAS tokens")));

    EXPECT_TRUE(clockSkewProblem(59, ClockSkewBoundSeconds).isEmpty());
    EXPECT_TRUE(clockSkewProblem(-7200, ClockSkewBoundSeconds).contains(QStringLiteral("2.0 h behind")));
}

TEST_F(NetCheck, ThroughAProxyThatTunnelsOnly443)
{
    ConnectProxy proxy;
    ASSERT_TRUE(proxy.valid());
    proxy.refusePort(e.amqpsPort); // tunnels "443" and "8883", not AMQP
    const auto r = check(e.websocketPort, true, QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));
    const auto& amqp = on(r, NetProtocol::Amqp);
    EXPECT_FALSE(amqp.passed);
    EXPECT_EQ(amqp.code, QStringLiteral("netcheck-proxy"));
    EXPECT_EQ(amqp.proxy, QStringLiteral("127.0.0.1:%1").arg(proxy.port()));
    EXPECT_TRUE(amqp.mitigation.contains(QStringLiteral("need it to tunnel localhost:%1").arg(e.amqpsPort)))
        << amqp.mitigation.toStdString();
    for (NetProtocol p : { NetProtocol::Mqtt, NetProtocol::Https }) {
        const auto& t = on(r, p);
        EXPECT_TRUE(t.passed) << protocolName(p) << ": " << t.detail.toStdString();
        EXPECT_EQ(t.proxy, amqp.proxy);
        EXPECT_TRUE(t.tls.ok) << "TLS end to end through the tunnel";
    }
}

// The CLI contract: JSON shape, exit 1 when something failed, 2 for a usage error.
TEST_F(NetCheck, TheCommandsJsonAndExitCodes)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("netcheck"), QStringLiteral("--dps"), QStringLiteral("localhost"),
            QStringLiteral("--mqtt-port"), QString::number(closedPort), QStringLiteral("--amqp-port"),
            QString::number(e.amqpsPort), QStringLiteral("--websocket-port"), QString::number(restPort),
            QStringLiteral("--ca-file"), e.caFile, QStringLiteral("--proxy"), QStringLiteral("direct") });
    ASSERT_TRUE(p.waitForFinished(30000));
    EXPECT_EQ(p.exitCode(), 1) << p.readAllStandardError().toStdString();
    const auto out = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const auto targets = out.value(QStringLiteral("targets")).toArray();
    ASSERT_EQ(targets.size(), 3);
    const auto mqtt = targets.at(0).toObject();
    EXPECT_EQ(mqtt.value(QStringLiteral("role")).toString(), QStringLiteral("dps"));
    EXPECT_EQ(mqtt.value(QStringLiteral("protocol")).toString(), QStringLiteral("mqtt"));
    EXPECT_EQ(mqtt.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    EXPECT_EQ(mqtt.value(QStringLiteral("code")).toString(), QStringLiteral("netcheck-port-blocked"));
    EXPECT_TRUE(mqtt.value(QStringLiteral("mitigation")).toString().startsWith(QStringLiteral("MQTT (")));
    const auto https = targets.at(2).toObject();
    EXPECT_EQ(https.value(QStringLiteral("status")).toString(), QStringLiteral("passed"));
    EXPECT_TRUE(https.value(QStringLiteral("tcpMs")).isDouble());
    EXPECT_TRUE(https.value(QStringLiteral("dns")).toObject().value(QStringLiteral("addresses")).isArray());
    const auto tls = https.value(QStringLiteral("tls")).toObject();
    EXPECT_EQ(tls.value(QStringLiteral("sni")).toString(), QStringLiteral("localhost"));
    EXPECT_TRUE(tls.value(QStringLiteral("trusted")).toBool());
    EXPECT_EQ(tls.value(QStringLiteral("issuer")).toString(), QStringLiteral("iotc-diag sim CA (throwaway)"));
    EXPECT_TRUE(out.value(QStringLiteral("clockSkewSeconds")).isDouble());
    EXPECT_FALSE(out.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ok")).toBool());

    QProcess bad;
    bad.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("netcheck"), QStringLiteral("--mqtt-port"), QStringLiteral("0") });
    ASSERT_TRUE(bad.waitForFinished(30000));
    EXPECT_EQ(bad.exitCode(), 2);
    EXPECT_TRUE(bad.readAllStandardError().contains("--mqtt-port"));
}

// Given the application, its event hubs and the device's hub (from DPS) are checked too.
TEST_F(NetCheck, TheApplicationNamesItsEventHubsAndDpsTheDevicesHub)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("netcheck"), QStringLiteral("--base-url"), e.baseUrl, QStringLiteral("--token"), e.apiToken,
            QStringLiteral("--dps-endpoint"), e.dpsEndpoint, QStringLiteral("--ca-file"), e.caFile,
            QStringLiteral("--dps"), QStringLiteral("localhost"), QStringLiteral("--device-id"),
            QStringLiteral("healthy-controller"), QStringLiteral("--mqtt-port"), QString::number(e.mqttPort),
            QStringLiteral("--amqp-port"), QString::number(e.amqpsPort), QStringLiteral("--websocket-port"),
            QString::number(restPort) });
    ASSERT_TRUE(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 0) << err.toStdString();
    const auto out = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QStringList roles;
    for (const auto& t : out.value(QStringLiteral("targets")).toArray()) {
        const auto o = t.toObject();
        roles << o.value(QStringLiteral("role")).toString() + QLatin1Char(' ')
                + o.value(QStringLiteral("protocol")).toString();
        EXPECT_EQ(o.value(QStringLiteral("status")).toString(), QStringLiteral("passed")) << err.toStdString();
    }
    EXPECT_EQ(roles,
        (QStringList { "dps mqtt", "dps amqp", "dps https", "hub mqtt", "hub amqp", "hub https", "eventhub amqp",
            "eventhub https" }));
    EXPECT_FALSE(out.contains(QStringLiteral("notes"))) << err.toStdString();
}

} // namespace
