// The probe as the device over AMQP and AMQP over WebSockets (core/device/amqpdevice), and over
// every protocol at once, against the simulator over TLS: its IoT hub takes a device's CBS token
// for {hub}/devices/{id} and telemetry on /devices/{id}/messages/events on the AMQP port, and AMQP
// over WebSockets on the device WebSocket port (subprotocol AMQPWSB10, as IoT Hub's 443 serves
// MQTT and AMQP both). The client side is Proton on Qt's sockets, as the event stream.
#include "connectproxy.h"
#include "mqttconnectpacket.h"
#include "simfixture.h"

#include "central/centralclient.h"
#include "device/amqpdevice.h"
#include "device/deviceprobe.h"
#include "sim/eventhubserver.h"
#include "sim/simmqttserver.h"
#include "sim/simulatedapp.h"
#include "util/sas.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace iotc;

namespace {

class ProbeAmqp : public iotc::test::SimSuite<ProbeAmqp, 0, 0, true> {
protected:
    static std::shared_ptr<CentralClient> client() { return std::make_shared<CentralClient>(profile()); }
    static ProbeOptions options(const QString& deviceId, std::vector<DeviceProtocol> protocols)
    {
        ProbeOptions o;
        o.deviceId = deviceId;
        o.protocols = std::move(protocols);
        o.mqttPort = e.mqttPort;
        o.amqpPort = e.amqpsPort;
        o.websocketPort = e.deviceWebSocketPort;
        o.caFile = e.caFile;
        o.stepTimeoutMs = 8000;
        o.arrivalTimeoutMs = 20000;
        return o;
    }
    static std::vector<const ProbeStep*> stepsOf(const ProbeReport& r, const char* protocol)
    {
        std::vector<const ProbeStep*> out;
        for (const auto& s : r.steps)
            if (s.protocol == QLatin1String(protocol))
                out.push_back(&s);
        return out;
    }
    static const ProbeStep* step(const ProbeReport& r, const char* name)
    {
        for (const auto& s : r.steps)
            if (s.name == QLatin1String(name))
                return &s;
        return nullptr;
    }
    static std::string dump(const ProbeReport& r)
    {
        std::string out;
        for (const auto& s : r.steps)
            out += (s.name + QLatin1Char(' ') + s.protocol + QLatin1Char(' ') + s.status + QStringLiteral(": ")
                + s.detail + QLatin1Char('\n'))
                       .toStdString();
        return out + r.whyNot.toStdString();
    }
    static QByteArray keyOf(const QString& id)
    {
        const auto credentials = client()->credentials(id).result();
        EXPECT_TRUE(credentials.ok());
        if (!credentials.ok())
            return {};
        return credentials.value->value(QStringLiteral("symmetricKey"))
            .toObject()
            .value(QStringLiteral("primaryKey"))
            .toString()
            .toLatin1();
    }
    // The last event the simulated hub stored for the device (any partition).
    static sim::EventPtr lastEventOf(const QString& id)
    {
        sim::EventPtr last;
        for (int p = 0; p < app->store().partitionCount(); ++p) {
            for (const auto& ev : app->store().read(p, 0, 100000)) {
                if (ev->deviceId == id && (!last || ev->enqueuedMs >= last->enqueuedMs))
                    last = ev;
            }
        }
        return last;
    }
    static DeviceMessage amqpMessage(const QString& id, const QByteArray& key)
    {
        DeviceMessage m;
        m.protocol = DeviceProtocol::Amqp;
        m.hubHost = QStringLiteral("localhost");
        m.port = e.amqpsPort;
        m.deviceId = id;
        m.deviceKeyBase64 = key;
        m.caFile = e.caFile;
        m.body = R"({"temperature":21.5})";
        m.timeoutMs = 8000;
        return m;
    }
};

TEST_F(ProbeAmqp, OverAmqpTheMessageArrivesAndValidatesWithIotHubsAnnotations)
{
    const int before = app->eventHub().deviceMessagesReceived;
    const auto r = runDeviceProbe(client(), options(QStringLiteral("healthy-controller"), { DeviceProtocol::Amqp }));
    ASSERT_FALSE(r.couldNotRun) << r.whyNot.toStdString();
    EXPECT_TRUE(r.ok()) << dump(r);
    const auto amqp = stepsOf(r, "amqp");
    ASSERT_EQ(amqp.size(), 4u) << dump(r);
    EXPECT_EQ(amqp[0]->name, QStringLiteral("hub-connect"));
    EXPECT_TRUE(amqp[0]->detail.contains(QStringLiteral("localhost:%1 over AMQP (TLS)").arg(e.amqpsPort))) << dump(r);
    EXPECT_EQ(amqp[3]->name, QStringLiteral("validated"));
    EXPECT_EQ(amqp[3]->status, QStringLiteral("passed"));
    EXPECT_EQ(app->eventHub().deviceMessagesReceived, before + 1);
    // As IoT Hub routes it: content type and encoding from the message, the model id the sender
    // announced as dt-dataschema, the probe's id as an application property.
    const auto stored = lastEventOf(QStringLiteral("healthy-controller"));
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->contentType.value_or(QString()), QStringLiteral("application/json"));
    EXPECT_EQ(stored->contentEncoding.value_or(QString()), QStringLiteral("utf-8"));
    EXPECT_FALSE(stored->modelId.isEmpty()) << "com.microsoft:model-id on the sender's attach";
    EXPECT_EQ(stored->body, r.payload);
    bool tagged = false;
    for (const auto& [k, v] : stored->applicationProperties)
        tagged = tagged || (k == QLatin1String("iotc-probe") && v == r.probeId);
    EXPECT_TRUE(tagged);
}

// Only 443 open: AMQP over WebSockets to wss://HUB/$iothub/websocket, the port MQTT over WebSockets uses.
TEST_F(ProbeAmqp, OverAmqpWebSocketsOnTheHubsWebSocketPort)
{
    auto o = options(QStringLiteral("healthy-controller"), { DeviceProtocol::AmqpWebSocket });
    o.amqpPort = 1; // never dialled
    const auto r = runDeviceProbe(client(), o);
    EXPECT_TRUE(r.ok()) << dump(r);
    ASSERT_TRUE(step(r, "hub-connect"));
    EXPECT_EQ(step(r, "hub-connect")->protocol, QStringLiteral("amqp-ws"));
    EXPECT_TRUE(
        step(r, "hub-connect")
            ->detail.contains(QStringLiteral("localhost:%1 over AMQP over WebSockets").arg(e.deviceWebSocketPort)))
        << dump(r);
}

// --protocol all: the network steps and DPS once, then four steps per protocol, each message with
// its own iotc-probe id, each arriving.
TEST_F(ProbeAmqp, EveryProtocolInTurn)
{
    QElapsedTimer wall;
    wall.start();
    const auto r = runDeviceProbe(client(),
        options(QStringLiteral("healthy-controller"),
            { DeviceProtocol::Mqtt, DeviceProtocol::MqttWebSocket, DeviceProtocol::Amqp,
                DeviceProtocol::AmqpWebSocket }));
    const qint64 wallMs = wall.elapsed();
    EXPECT_TRUE(r.ok()) << dump(r);
    ASSERT_EQ(r.steps.size(), 5u + 16u) << dump(r);
    QSet<QString> ids;
    qint64 arrivals = 0;
    for (const char* protocol : { "mqtt", "mqtt-ws", "amqp", "amqp-ws" }) {
        const auto s = stepsOf(r, protocol);
        ASSERT_EQ(s.size(), 4u) << protocol;
        EXPECT_EQ(s[2]->name, QStringLiteral("arrived"));
        // Its own time from the send, also when the stream saw it before the acknowledgement.
        EXPECT_GE(s[2]->ms, 0) << protocol;
        arrivals += s[2]->ms;
        for (const auto* each : s)
            EXPECT_EQ(each->status, QStringLiteral("passed")) << protocol << " " << each->name.toStdString();
        const QString send = s[1]->detail;
        ids.insert(send.section(QStringLiteral("iotc-probe "), 1).section(QLatin1Char(','), 0, 0));
    }
    EXPECT_EQ(ids.size(), 4) << "one id per message";
    EXPECT_LE(arrivals, wallMs) << "each message's own wait, not the protocols after it";
}

// A token not signed with the device's key: CBS answers 401, and nothing is sent.
TEST_F(ProbeAmqp, AWrongKeyIsRefusedOnCbs)
{
    auto m = amqpMessage(QStringLiteral("healthy-controller"), "d3Jvbmcta2V5LW5vdC10aGUtZGV2aWNlcw==");
    const int before = app->eventHub().deviceMessagesReceived;
    const auto r = sendAsDeviceOverAmqp(m);
    EXPECT_FALSE(r.connected);
    EXPECT_FALSE(r.sent);
    EXPECT_EQ(r.refusalCode, QStringLiteral("cbs-401")) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("CBS status 401"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("401002"))) << "IoT Hub's words: " << r.error.toStdString();
    EXPECT_EQ(app->eventHub().deviceMessagesReceived, before);
}

// A device blocked in the application is disabled in its hub: refused with its own words.
TEST_F(ProbeAmqp, ABlockedDeviceIsRefusedAtTheHub)
{
    const QString id = QStringLiteral("blocked-device");
    const auto r = sendAsDeviceOverAmqp(amqpMessage(id, keyOf(id)));
    EXPECT_FALSE(r.connected);
    EXPECT_EQ(r.refusalCode, QStringLiteral("cbs-401")) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("disabled"))) << r.error.toStdString();
}

TEST_F(ProbeAmqp, ABlockedAmqpPortIsSaidAsSuch)
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost);
    const quint16 closed = s.serverPort();
    s.close();
    auto o = options(QStringLiteral("healthy-controller"), { DeviceProtocol::Amqp });
    o.amqpPort = closed;
    const auto r = runDeviceProbe(client(), o);
    EXPECT_EQ(r.failedStep(), QStringLiteral("hub-connect")) << dump(r);
    EXPECT_EQ(step(r, "hub-connect")->code, QStringLiteral("amqp-connect"));
    EXPECT_TRUE(step(r, "hub-connect")->mitigation.contains(QStringLiteral("use AMQP over WebSockets (443)")))
        << step(r, "hub-connect")->mitigation.toStdString();
    EXPECT_TRUE(step(r, "hub-connect")
                    ->detail.contains(QStringLiteral("could not connect to localhost:%1 over AMQP (TLS)").arg(closed)))
        << dump(r);
    EXPECT_EQ(step(r, "send")->status, QStringLiteral("skipped"));
}

// One connection per device identity across protocols: a device connected over MQTT is dropped
// when the probe connects as it over AMQP.
TEST_F(ProbeAmqp, AnMqttDeviceIsDisconnectedWhenTheProbeConnectsOverAmqp)
{
    const QString id = QStringLiteral("healthy-controller");
    const QByteArray key = keyOf(id);
    QSslSocket device;
    ASSERT_EQ(iotc::test::connectRawMqttDevice(device, e.mqttPort, ca, id, key), QByteArray("\x20\x02\x00\x00", 4))
        << "CONNACK 0: the device is connected";
    QSignalSpy dropped(&device, &QSslSocket::disconnected);

    const auto r = sendAsDeviceOverAmqp(amqpMessage(id, key));
    EXPECT_TRUE(r.sent) << r.error.toStdString();
    EXPECT_TRUE(dropped.count() == 1 || dropped.wait(5000)) << "the MQTT connection was closed";
}

// AMQP over WebSockets goes through the network's proxy (CONNECT to the hub's WebSocket port).
TEST_F(ProbeAmqp, AmqpOverWebSocketsGoesThroughTheProxy)
{
    iotc::test::ConnectProxy proxy;
    ASSERT_TRUE(proxy.valid());
    auto p = profile();
    p.network.proxy = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    const auto o = options(QStringLiteral("healthy-controller"), { DeviceProtocol::AmqpWebSocket });
    ProbeReport r;
    std::atomic<bool> done = false;
    std::thread worker([&] {
        r = runDeviceProbe(std::make_shared<CentralClient>(p), o);
        done = true;
    });
    const bool finished = QTest::qWaitFor([&] { return done.load(); }, 90000);
    worker.join();
    ASSERT_TRUE(finished);
    EXPECT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(
        step(r, "hub-connect")->detail.contains(QStringLiteral("through the proxy 127.0.0.1:%1").arg(proxy.port())))
        << dump(r);
    EXPECT_TRUE(proxy.requestedPorts().contains(e.deviceWebSocketPort));
}

// The CLI: --protocol all gives every protocol's steps in one JSON document.
TEST_F(ProbeAmqp, TheCommandProbesEveryProtocol)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("probe"), QStringLiteral("healthy-controller"), QStringLiteral("--as-device"),
            QStringLiteral("--protocol"), QStringLiteral("all"), QStringLiteral("--base-url"), e.baseUrl,
            QStringLiteral("--token"), e.apiToken, QStringLiteral("--dps-endpoint"), e.dpsEndpoint,
            QStringLiteral("--ca-file"), e.caFile, QStringLiteral("--mqtt-port"), QString::number(e.mqttPort),
            QStringLiteral("--amqp-port"), QString::number(e.amqpsPort), QStringLiteral("--websocket-port"),
            QString::number(e.deviceWebSocketPort), QStringLiteral("--wait"), QStringLiteral("20") });
    ASSERT_TRUE(p.waitForFinished(120000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 0) << err.toStdString();
    const auto out = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const auto steps = out.value(QStringLiteral("steps")).toArray();
    ASSERT_EQ(steps.size(), 21);
    QStringList protocols;
    for (const auto& s : steps) {
        const QString protocol = s.toObject().value(QStringLiteral("protocol")).toString();
        if (s.toObject().value(QStringLiteral("name")).toString() == QLatin1String("hub-connect"))
            protocols << protocol;
    }
    EXPECT_EQ(protocols, (QStringList { "mqtt", "mqtt-ws", "amqp", "amqp-ws" }));
    EXPECT_TRUE(out.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ok")).toBool());
    const QByteArray all = QJsonDocument(out).toJson() + err;
    EXPECT_FALSE(all.contains("SharedAccessSignature"));
    EXPECT_FALSE(all.contains("sig="));
}

} // namespace
