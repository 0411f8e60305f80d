// The probe as the device (core/device/deviceprobe, `iotc-diag probe --as-device`) against the
// simulator over TLS, whose DPS assigns devices the hub "localhost" and whose IoT hub takes MQTT
// (sim/simmqttserver): the message arrives in the application's event stream and validates; DPS
// refusals (400209 blocked, 401002 unauthorized) stop it at dps-register with DPS's code; CONNACK 3
// and 5; a blocked MQTT port; the CLI's guard and JSON. The client side is Eclipse Paho.
#include "connectproxy.h"
#include "mqttconnectpacket.h"
#include "simfixture.h"

#include "central/centralclient.h"
#include "device/deviceprobe.h"
#include "device/mqttdevice.h"
#include "net/networksettings.h"
#include "report/deviceexport.h"
#include "report/diagnosisreport.h"
#include "sim/simmqttserver.h"
#include "sim/simulatedapp.h"
#include "util/sas.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace iotc;

namespace {

class Probe : public iotc::test::SimSuite<Probe, 0, 2, true> { // scenario devices keep sending
protected:
    void TearDown() override { app->mqtt()->unavailable = false; }

    static std::shared_ptr<CentralClient> client() { return std::make_shared<CentralClient>(profile()); }
    static ProbeReport probe(const QString& deviceId, int mqttPort = 0)
    {
        ProbeOptions o;
        o.deviceId = deviceId;
        o.mqttPort = mqttPort ? mqttPort : e.mqttPort;
        o.caFile = e.caFile;
        o.stepTimeoutMs = 8000;
        o.arrivalTimeoutMs = 20000;
        return runDeviceProbe(client(), o);
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
            out += (s.name + QLatin1Char(' ') + s.status + QStringLiteral(": ") + s.detail + QLatin1Char('\n'))
                       .toStdString();
        return out + r.whyNot.toStdString();
    }
};

TEST_F(Probe, AsAHealthyDeviceTheMessageArrivesAndValidates)
{
    const int before = app->mqtt()->messagesReceived;
    const auto r = probe(QStringLiteral("healthy-controller"));
    ASSERT_FALSE(r.couldNotRun) << r.whyNot.toStdString();
    const QStringList names { "dns", "tcp", "tls", "clock", "dps-register", "hub-connect", "send", "arrived",
        "validated" };
    ASSERT_EQ(r.steps.size(), static_cast<size_t>(names.size())) << dump(r);
    for (int i = 0; i < names.size(); ++i) {
        EXPECT_EQ(r.steps[i].name, names[i]);
        EXPECT_EQ(r.steps[i].status, QStringLiteral("passed")) << dump(r);
    }
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.assignedHub, QStringLiteral("localhost"));
    EXPECT_EQ(step(r, "hub-connect")->protocol, QStringLiteral("mqtt"));
    EXPECT_EQ(app->mqtt()->messagesReceived, before + 1);
    // Modelled values from the template: a JSON object of its telemetry, nothing else.
    const auto body = QJsonDocument::fromJson(r.payload).object();
    EXPECT_FALSE(body.isEmpty()) << r.payload.toStdString();
    EXPECT_FALSE(body.contains(QStringLiteral("iotcProbe"))) << "the template's telemetry, not a placeholder";
    EXPECT_TRUE(step(r, "send")->detail.contains(r.probeId));
}

// Only 443 open: MQTT over WebSockets (wss://HOST/$iothub/websocket, subprotocol mqtt).
TEST_F(Probe, OverWebSocketsTheMessageArrivesToo)
{
    ProbeOptions o;
    o.deviceId = QStringLiteral("healthy-controller");
    o.protocols = { DeviceProtocol::MqttWebSocket };
    o.websocketPort = e.deviceWebSocketPort;
    o.mqttPort = 1; // never dialled
    o.caFile = e.caFile;
    o.stepTimeoutMs = 8000;
    o.arrivalTimeoutMs = 20000;
    const auto r = runDeviceProbe(client(), o);
    EXPECT_TRUE(r.ok()) << dump(r);
    ASSERT_TRUE(step(r, "hub-connect"));
    EXPECT_EQ(step(r, "hub-connect")->protocol, QStringLiteral("mqtt-ws"));
    EXPECT_TRUE(step(r, "hub-connect")->detail.contains(QString::number(e.deviceWebSocketPort))) << dump(r);
    EXPECT_EQ(step(r, "validated")->status, QStringLiteral("passed"));
}

// IoT Hub allows one connection per device identity: the probe's connection closes the real
// device's while it lasts, as the confirmation says.
TEST_F(Probe, AConnectedDeviceIsDisconnectedWhileTheProbeHoldsItsIdentity)
{
    const QString id = QStringLiteral("healthy-controller");
    const auto credentials = client()->credentials(id).result();
    ASSERT_TRUE(credentials.ok());
    const QByteArray key = credentials.value->value(QStringLiteral("symmetricKey"))
                               .toObject()
                               .value(QStringLiteral("primaryKey"))
                               .toString()
                               .toLatin1();
    QSslSocket device;
    ASSERT_EQ(iotc::test::connectRawMqttDevice(device, e.mqttPort, ca, id, key), QByteArray("\x20\x02\x00\x00", 4))
        << "CONNACK 0: the device is connected";
    QSignalSpy dropped(&device, &QSslSocket::disconnected);

    const auto r = probe(id);
    EXPECT_TRUE(r.ok()) << dump(r);
    EXPECT_TRUE(dropped.count() == 1 || dropped.wait(5000)) << "the device's own connection was closed";
}

// Behind a proxy that tunnels only 443-style traffic: MQTT over WebSockets goes through it (CONNECT
// to the hub's WebSocket port), and so do DPS and the event stream.
TEST_F(Probe, MqttOverWebSocketsGoesThroughTheProxy)
{
    iotc::test::ConnectProxy proxy; // on this thread: the probe runs on another one meanwhile
    ASSERT_TRUE(proxy.valid());
    auto p = profile();
    p.network.proxy = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    ProbeOptions o;
    o.deviceId = QStringLiteral("healthy-controller");
    o.protocols = { DeviceProtocol::MqttWebSocket };
    o.websocketPort = e.deviceWebSocketPort;
    o.caFile = e.caFile;
    o.stepTimeoutMs = 8000;
    o.arrivalTimeoutMs = 20000;
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
    EXPECT_TRUE(proxy.requestedPorts().contains(e.deviceWebSocketPort)) << "the hub's WebSockets went through it";
}

TEST_F(Probe, DpsRefusalsStopAtRegistrationWithDpsCode)
{
    for (const auto& [device, code] :
        { std::pair { "blocked-device", "400209" }, { "expired-credentials", "401002" } }) {
        const auto r = probe(QLatin1String(device));
        ASSERT_FALSE(r.couldNotRun) << device << ": " << r.whyNot.toStdString();
        EXPECT_EQ(r.failedStep(), QStringLiteral("dps-register")) << device << "\n" << dump(r);
        const auto* dps = step(r, "dps-register");
        ASSERT_TRUE(dps);
        EXPECT_EQ(dps->code, QLatin1String(code)) << device;
        EXPECT_FALSE(dps->mitigation.isEmpty()) << device << ": the guide's advice";
        for (const char* later : { "hub-connect", "send", "arrived", "validated" })
            EXPECT_EQ(step(r, later)->status, QStringLiteral("skipped")) << device << " " << later;
        EXPECT_FALSE(r.ok());
    }
}

TEST_F(Probe, AnUnavailableHubIsConnack3AndABlockedPortIsSaidAsSuch)
{
    app->mqtt()->unavailable = true;
    auto r = probe(QStringLiteral("healthy-controller"));
    EXPECT_EQ(r.failedStep(), QStringLiteral("hub-connect")) << dump(r);
    EXPECT_EQ(step(r, "hub-connect")->code, QStringLiteral("connack-3"));
    EXPECT_TRUE(step(r, "hub-connect")->detail.contains(QStringLiteral("unavailable (CONNACK 3)")));
    app->mqtt()->unavailable = false;

    QTcpServer s;
    s.listen(QHostAddress::LocalHost);
    const quint16 closed = s.serverPort();
    s.close();
    r = probe(QStringLiteral("healthy-controller"), closed);
    EXPECT_EQ(r.failedStep(), QStringLiteral("hub-connect")) << dump(r);
    EXPECT_TRUE(
        step(r, "hub-connect")->detail.contains(QStringLiteral("could not connect to localhost:%1").arg(closed)))
        << dump(r);
    EXPECT_EQ(step(r, "send")->status, QStringLiteral("skipped"));
}

TEST_F(Probe, AWrongKeyIsConnack5AtTheHub)
{
    DeviceMessage m;
    m.hubHost = QStringLiteral("localhost");
    m.port = e.mqttPort;
    m.deviceId = QStringLiteral("healthy-controller");
    m.deviceKeyBase64 = QByteArray("d3Jvbmcta2V5LW5vdC10aGUtZGV2aWNlcw==");
    m.caFile = e.caFile;
    m.body = "{}";
    m.timeoutMs = 8000;
    const auto r = sendAsDeviceOverMqtt(m);
    EXPECT_FALSE(r.connected);
    EXPECT_EQ(r.connackCode, 5) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains(QStringLiteral("CONNACK 5"))) << r.error.toStdString();

    // Without the simulator's CA the hub's certificate is refused: nothing is sent.
    m.deviceKeyBase64 = {};
    m.caFile.clear();
    const auto untrusted = sendAsDeviceOverMqtt(m);
    EXPECT_FALSE(untrusted.connected);
    EXPECT_EQ(untrusted.connackCode, -1) << untrusted.error.toStdString();
}

TEST_F(Probe, ThePropertyBagAndUserNameAreIotHubs)
{
    DeviceMessage m;
    m.hubHost = QStringLiteral("iotc-1.azure-devices.net");
    m.deviceId = QStringLiteral("dev 1");
    m.modelId = QStringLiteral("dtmi:contoso:Thermostat;1");
    m.properties = { { QStringLiteral("iotc-probe"), QStringLiteral("a&b") } };
    EXPECT_EQ(mqttPropertyBag(m), QStringLiteral("$.ct=application%2Fjson&$.ce=utf-8&iotc-probe=a%26b"));
    EXPECT_EQ(mqttUserName(m),
        QStringLiteral(
            "iotc-1.azure-devices.net/dev 1/?api-version=2021-04-12&model-id=dtmi%3Acontoso%3AThermostat%3B1"));
}

// The device's report carries the probe: a check with every step as evidence, the failed step as
// a finding with DPS's code and the guide's advice.
TEST_F(Probe, TheDeviceReportCarriesTheProbe)
{
    const auto healthy = probe(QStringLiteral("healthy-controller"));
    DeviceExportInput in;
    in.application = e.baseUrl;
    in.deviceId = QStringLiteral("healthy-controller");
    in.probe = &healthy;
    auto d = buildDeviceExport(in);
    auto check
        = std::find_if(d.checks.begin(), d.checks.end(), [](const DiagnosisCheck& c) { return c.id == "probe"; });
    ASSERT_NE(check, d.checks.end());
    EXPECT_EQ(check->status, DiagnosisCheck::Status::Passed);
    ASSERT_FALSE(check->findings.empty());
    EXPECT_EQ(check->findings.front().evidence.size(), 9);
    const QString markdown = diagnosisToMarkdown(d);
    EXPECT_TRUE(markdown.contains(QStringLiteral("Probe as the device"))) << markdown.toStdString();
    EXPECT_TRUE(markdown.contains(QStringLiteral("hub-connect: passed (mqtt)"))) << markdown.toStdString();
    EXPECT_FALSE(markdown.contains(QStringLiteral("SharedAccessSignature")));

    const auto blocked = probe(QStringLiteral("blocked-device"));
    in.deviceId = QStringLiteral("blocked-device");
    in.probe = &blocked;
    d = buildDeviceExport(in);
    check = std::find_if(d.checks.begin(), d.checks.end(), [](const DiagnosisCheck& c) { return c.id == "probe"; });
    ASSERT_NE(check, d.checks.end());
    EXPECT_EQ(check->status, DiagnosisCheck::Status::Failed);
    ASSERT_EQ(check->findings.size(), 1u);
    EXPECT_EQ(check->findings.front().code, QStringLiteral("400209"));
    EXPECT_FALSE(check->findings.front().mitigation.isEmpty());

    in.deviceId = QStringLiteral("another-device"); // a probe of another device says nothing of this one
    d = buildDeviceExport(in);
    EXPECT_TRUE(
        std::none_of(d.checks.begin(), d.checks.end(), [](const DiagnosisCheck& c) { return c.id == "probe"; }));
}

// The CLI: no --as-device, no probe (exit 2, saying why); with it, the JSON contract.
TEST_F(Probe, TheCommandAsksForAsDeviceAndPrintsItsSteps)
{
    const QStringList common { QStringLiteral("probe"), QStringLiteral("healthy-controller"),
        QStringLiteral("--base-url"), e.baseUrl, QStringLiteral("--token"), e.apiToken,
        QStringLiteral("--dps-endpoint"), e.dpsEndpoint, QStringLiteral("--ca-file"), e.caFile,
        QStringLiteral("--mqtt-port"), QString::number(e.mqttPort), QStringLiteral("--wait"), QStringLiteral("20") };
    QProcess guard;
    guard.start(QStringLiteral(IOTC_DIAG_PATH), common);
    ASSERT_TRUE(guard.waitForFinished(30000));
    EXPECT_EQ(guard.exitCode(), 2);
    const QByteArray why = guard.readAllStandardError();
    EXPECT_TRUE(why.contains("disconnected")) << why.toStdString();
    EXPECT_TRUE(why.contains("--as-device")) << why.toStdString();
    EXPECT_TRUE(guard.readAllStandardOutput().isEmpty());

    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH), common + QStringList { QStringLiteral("--as-device") });
    ASSERT_TRUE(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 0) << err.toStdString();
    const auto out = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    EXPECT_EQ(out.value(QStringLiteral("deviceId")).toString(), QStringLiteral("healthy-controller"));
    const auto steps = out.value(QStringLiteral("steps")).toArray();
    ASSERT_EQ(steps.size(), 9);
    EXPECT_EQ(steps.at(5).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("hub-connect"));
    EXPECT_EQ(steps.at(5).toObject().value(QStringLiteral("protocol")).toString(), QStringLiteral("mqtt"));
    EXPECT_TRUE(out.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("ok")).toBool());
    EXPECT_FALSE(out.value(QStringLiteral("verdict")).toObject().contains(QStringLiteral("failedStep")));
    EXPECT_TRUE(err.contains("The probe has disconnected"));
    // No key, no token, in any output.
    const QByteArray all = QJsonDocument(out).toJson() + err;
    EXPECT_FALSE(all.contains("SharedAccessSignature"));
    EXPECT_FALSE(all.contains("sig="));
}

} // namespace
