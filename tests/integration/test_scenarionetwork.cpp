// A scenario's "network" (core/sim/scenarionetwork, blockedport): the simulator acts out the
// device's network as a scenario file says: a device port that refuses, one that drops connection
// attempts unanswered (a black hole), and a skewed Date header. The device-side tools see it as
// they would see a real firewall: netcheck names the refused port and the silent one, the probe's
// hub-connect ends at its timeout, and the cloud side (REST, DPS, the event stream) stays reachable.
#include "simfixture.h"

#include "central/centralclient.h"
#include "device/deviceprobe.h"
#include "net/netcheck.h"
#include "sim/blockedport.h"
#include "sim/scenariocatalog.h"
#include "sim/simulatedapp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <memory>

using namespace iotc;
using namespace iotc::sim;

namespace {

// The built-in scenario with a network object.
QByteArray scenarioWith(const QJsonObject& network)
{
    ScenarioCatalog::builtIn(); // (registers the built-in resources)
    QFile f(QStringLiteral(":/sim/scenarios.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    auto root = QJsonDocument::fromJson(f.readAll()).object();
    root.insert(QStringLiteral("network"), network);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QJsonObject badNetwork()
{
    return QJsonObject { { QStringLiteral("mqtt"), QStringLiteral("refuse") },
        { QStringLiteral("amqp"), QStringLiteral("black-hole") }, { QStringLiteral("clockOffsetSeconds"), -600 } };
}

std::string what(const QJsonObject& network)
{
    try {
        ScenarioNetwork::fromJson(network);
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

TEST(ScenarioNetworkParsing, EachMistakeNamesItsField)
{
    const auto n = ScenarioNetwork::fromJson(badNetwork());
    EXPECT_EQ(n.mqtt, PortBlock::Refuse);
    EXPECT_EQ(n.amqp, PortBlock::BlackHole);
    EXPECT_EQ(n.websocket, PortBlock::Open);
    EXPECT_EQ(n.clockOffsetSeconds, -600);
    EXPECT_TRUE(n.acted());
    EXPECT_FALSE(ScenarioNetwork::fromJson({}).acted()) << "no network object: nothing acted out";

    EXPECT_NE(
        what({ { QStringLiteral("mqtt"), QStringLiteral("closed") } }).find("network.mqtt must be"), std::string::npos);
    EXPECT_NE(what({ { QStringLiteral("amqp"), 5671 } }).find("network.amqp must be"), std::string::npos);
    EXPECT_NE(what({ { QStringLiteral("https"), QStringLiteral("refuse") } }).find("network.https is not known"),
        std::string::npos);
    for (const QJsonValue& v : { QJsonValue(1.5), QJsonValue(1e12), QJsonValue(QStringLiteral("600")) })
        EXPECT_NE(
            what({ { QStringLiteral("clockOffsetSeconds"), v } }).find("whole number of seconds"), std::string::npos);
    try {
        auto root = QJsonDocument::fromJson(scenarioWith({})).object();
        root.insert(QStringLiteral("network"), QStringLiteral("refuse"));
        ScenarioCatalog::fromJson(QJsonDocument(root).toJson());
        ADD_FAILURE() << "a network that is not an object was ignored";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("network must be an object"), std::string::npos) << e.what();
    }
    // The catalogue refuses such a scenario as a whole, with the same words.
    QJsonObject typo { { QStringLiteral("websocket"), QStringLiteral("blackhole") } };
    try {
        ScenarioCatalog::fromJson(scenarioWith(typo));
        ADD_FAILURE() << "a misspelt block was accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("network.websocket must be"), std::string::npos) << e.what();
    }
    EXPECT_EQ(n.describe(1, 2, 3),
        QStringList({ QStringLiteral("the device MQTT port (port 1) refuses connections"),
            QStringLiteral("the device AMQP port (port 2) never answers a connection attempt"),
            QStringLiteral("the Date header is 600 s behind the real time") }));
}

TEST(BlockedPorts, ARefusedPortRefusesAndABlackHoleNeverAnswers)
{
    BlockedPort refused(PortBlock::Refuse);
    QTcpSocket a;
    a.connectToHost(QHostAddress::LocalHost, refused.port());
    EXPECT_FALSE(a.waitForConnected(3000));
    EXPECT_EQ(a.error(), QAbstractSocket::ConnectionRefusedError) << a.errorString().toStdString();

    BlockedPort hole(PortBlock::BlackHole);
    QTcpSocket b;
    b.connectToHost(QHostAddress::LocalHost, hole.port());
    EXPECT_FALSE(b.waitForConnected(1500)) << "a black hole completed a connection";
    EXPECT_EQ(b.error(), QAbstractSocket::SocketTimeoutError) << b.errorString().toStdString();
    EXPECT_NE(refused.port(), hole.port());
}

class ScenarioNetworkSim : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir = new QTemporaryDir;
        scenarioPath = dir->filePath(QStringLiteral("bad-network.json"));
        QFile f(scenarioPath);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(scenarioWith(badNetwork()));
        f.close();
        SimOptions o;
        o.tls = true;
        o.rateHz = 0;
        o.extraRateHz = 0;
        o.scenarioFile = scenarioPath;
        app = new SimulatedApp(o);
        e = app->start();
        QString error;
        loadCaFile(e.caFile, ca, error);
    }
    static void TearDownTestSuite()
    {
        delete app;
        app = nullptr;
        delete dir;
        dir = nullptr;
    }
    static std::shared_ptr<CentralClient> client()
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        p.dpsEndpoint = e.dpsEndpoint;
        p.network.extraCaCertificates = ca;
        p.network.caFile = e.caFile;
        p.network.proxy = QStringLiteral("direct");
        return std::make_shared<CentralClient>(p);
    }
    static inline QTemporaryDir* dir = nullptr;
    static inline QString scenarioPath;
    static inline SimulatedApp* app = nullptr;
    static inline SimEndpoints e;
    static inline QList<QSslCertificate> ca;
};

const NetTargetResult& on(const NetCheckReport& r, NetProtocol p)
{
    for (const auto& t : r.targets) {
        if (t.target.protocol == p)
            return t;
    }
    throw std::runtime_error("no such target");
}

TEST_F(ScenarioNetworkSim, TheDevicePortsAreBlockedAndTheCloudSideIsNot)
{
    EXPECT_NE(e.deviceAmqpPort, e.amqpsPort) << "the device AMQP port is the black hole, not the event stream's";
    EXPECT_EQ(e.network.size(), 3) << e.network.join(QLatin1Char('\n')).toStdString();
    const auto json = e.toJson();
    const auto device = json.value(QStringLiteral("deviceEndpoints")).toObject();
    EXPECT_EQ(device.value(QStringLiteral("mqtt")).toInt(), e.mqttPort);
    EXPECT_EQ(device.value(QStringLiteral("amqp")).toInt(), e.deviceAmqpPort);
    EXPECT_EQ(json.value(QStringLiteral("network")).toArray().size(), 3);

    // The event stream's AMQP port and the REST port still take connections.
    for (quint16 port : { e.amqpsPort, static_cast<quint16>(QUrl(e.baseUrl).port()) }) {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("localhost"), port);
        EXPECT_TRUE(s.waitForConnected(3000)) << port << ": " << s.errorString().toStdString();
    }
}

TEST_F(ScenarioNetworkSim, NetcheckSeesTheRefusedPortTheBlackHoleAndTheSkewedClock)
{
    NetCheckOptions options;
    options.network.extraCaCertificates = ca;
    options.network.proxy = QStringLiteral("direct");
    options.timeoutMs = 3000;
    const auto r = runNetCheck(deviceTargets({}, { QStringLiteral("localhost") }, {},
                                   NetPorts { e.mqttPort, e.deviceAmqpPort, QUrl(e.baseUrl).port() }),
        options);
    const auto& mqtt = on(r, NetProtocol::Mqtt);
    EXPECT_EQ(mqtt.code, QStringLiteral("netcheck-port-blocked"));
    EXPECT_TRUE(mqtt.detail.contains(QStringLiteral("refused the connection"))) << mqtt.detail.toStdString();
    const auto& amqp = on(r, NetProtocol::Amqp);
    EXPECT_EQ(amqp.code, QStringLiteral("netcheck-port-blocked"));
    EXPECT_TRUE(amqp.detail.contains(QStringLiteral("did not answer within 3 s (a firewall that drops the packets)")))
        << amqp.detail.toStdString();
    EXPECT_TRUE(
        amqp.mitigation.startsWith(QStringLiteral("AMQP (%1) is blocked on this network").arg(e.deviceAmqpPort)))
        << amqp.mitigation.toStdString();
    EXPECT_TRUE(on(r, NetProtocol::Https).passed) << on(r, NetProtocol::Https).detail.toStdString();
    ASSERT_TRUE(r.clockSkewSeconds.has_value());
    EXPECT_NEAR(static_cast<double>(*r.clockSkewSeconds), 600.0, 2.0) << "the Date header is 10 min behind";
    EXPECT_EQ(r.verdictLines().size(), 3) << r.verdictLines().join(QLatin1Char('\n')).toStdString();
}

// The probe registers (DPS is on the cloud side), then its AMQP connection meets the black hole and
// ends at the step's timeout; MQTT meets the refusal at once.
TEST_F(ScenarioNetworkSim, TheProbeEndsAtTheBlackHolesTimeoutAndNamesTheRefusal)
{
    ProbeOptions o;
    o.deviceId = QStringLiteral("healthy-controller");
    o.protocols = { DeviceProtocol::Amqp, DeviceProtocol::Mqtt };
    o.mqttPort = e.mqttPort;
    o.amqpPort = e.deviceAmqpPort;
    o.websocketPort = e.deviceWebSocketPort;
    o.caFile = e.caFile;
    o.stepTimeoutMs = 8000; // (the event stream has three of these to start)
    o.arrivalTimeoutMs = 5000;
    QElapsedTimer clock;
    clock.start();
    const auto r = runDeviceProbe(client(), o);
    EXPECT_LT(clock.elapsed(), 60000) << "the probe ends; a black hole does not hold it";
    ASSERT_FALSE(r.couldNotRun) << r.whyNot.toStdString();
    QStringList seen;
    for (const auto& s : r.steps)
        seen << s.name + QLatin1Char('/') + s.protocol + QLatin1Char('=') + s.status;
    const auto text = seen.join(QLatin1Char(' ')).toStdString();
    EXPECT_TRUE(seen.contains(QStringLiteral("clock/https=failed"))) << text;
    EXPECT_TRUE(seen.contains(QStringLiteral("dps-register/https=passed"))) << text;
    EXPECT_TRUE(seen.contains(QStringLiteral("hub-connect/amqp=failed"))) << text;
    EXPECT_TRUE(seen.contains(QStringLiteral("hub-connect/mqtt=failed"))) << text;
    for (const auto& s : r.steps) {
        if (s.name == QLatin1String("hub-connect") && s.protocol == QLatin1String("mqtt")) {
            EXPECT_TRUE(s.detail.contains(QStringLiteral("localhost:%1 refused the connection").arg(e.mqttPort)))
                << s.detail.toStdString();
        }
    }
    EXPECT_FALSE(r.ok());
}

// The probe's --amqp-port and --websocket-port are the device's ports: the application's event
// stream keeps its own, so a black-holed device AMQP port does not blind the probe to what arrives.
TEST_F(ScenarioNetworkSim, TheProbesDevicePortsAreNotTheEventStreams)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("probe"), QStringLiteral("healthy-controller"), QStringLiteral("--as-device"),
            QStringLiteral("--protocol"), QStringLiteral("mqtt-ws"), QStringLiteral("--base-url"), e.baseUrl,
            QStringLiteral("--token"), e.apiToken, QStringLiteral("--dps-endpoint"), e.dpsEndpoint,
            QStringLiteral("--ca-file"), e.caFile, QStringLiteral("--amqp-port"), QString::number(e.deviceAmqpPort),
            QStringLiteral("--websocket-port"), QString::number(e.deviceWebSocketPort), QStringLiteral("--wait"),
            QStringLiteral("20") });
    ASSERT_TRUE(p.waitForFinished(90000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 1) << "the clock is off: " << err.toStdString();
    const auto steps
        = QJsonDocument::fromJson(p.readAllStandardOutput()).object().value(QStringLiteral("steps")).toArray();
    QStringList seen;
    for (const auto& s : steps) {
        const auto o = s.toObject();
        seen << o.value(QStringLiteral("name")).toString() + QLatin1Char('=')
                + o.value(QStringLiteral("status")).toString();
    }
    EXPECT_TRUE(seen.contains(QStringLiteral("arrived=passed"))) << seen.join(QLatin1Char(' ')).toStdString() << "\n"
                                                                 << err.toStdString();
    EXPECT_TRUE(seen.contains(QStringLiteral("validated=passed"))) << seen.join(QLatin1Char(' ')).toStdString();
}

// `iotc-diag sim --tls --scenario FILE` acts it out too, and its line says so.
TEST_F(ScenarioNetworkSim, TheSimCommandPrintsTheBlockedPortsAndActsThemOut)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("sim"), QStringLiteral("--tls"), QStringLiteral("--rate"), QStringLiteral("0"),
            QStringLiteral("--scenario"), scenarioPath });
    ASSERT_TRUE(p.waitForReadyRead(30000)) << p.readAllStandardError().toStdString();
    QByteArray line;
    for (int i = 0; i < 100 && !line.endsWith('\n'); ++i) {
        line += p.readLine();
        if (!line.endsWith('\n'))
            p.waitForReadyRead(100);
    }
    const auto out = QJsonDocument::fromJson(line).object();
    const auto device = out.value(QStringLiteral("deviceEndpoints")).toObject();
    const auto network = out.value(QStringLiteral("network")).toArray();
    ASSERT_EQ(network.size(), 3) << line.toStdString();
    EXPECT_TRUE(network.at(0).toString().contains(QStringLiteral("refuses connections")));
    QTcpSocket mqtt;
    mqtt.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(device.value(QStringLiteral("mqtt")).toInt()));
    EXPECT_FALSE(mqtt.waitForConnected(3000));
    EXPECT_EQ(mqtt.error(), QAbstractSocket::ConnectionRefusedError);
    QTcpSocket amqps;
    amqps.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(out.value(QStringLiteral("amqpsPort")).toInt()));
    EXPECT_TRUE(amqps.waitForConnected(3000)) << "the event stream's port stays open";
    p.terminate();
    EXPECT_TRUE(p.waitForFinished(10000));
    EXPECT_TRUE(p.readAllStandardError().contains("The scenario's network: the device AMQP port"));
}

} // namespace
