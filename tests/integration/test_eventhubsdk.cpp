// A client we did not write reads the simulator: Microsoft's Event Hubs SDK for Python
// (azure-eventhub, Debian's python3-azure, its own pure-Python AMQP) consumes `iotc-diag sim --tls`
// over AMQP on TLS and over WebSockets, with the simulator's CA as its only extra trust. It lists
// the partitions and receives events with IoT Hub's annotations. Azure sends the fields this
// client insists on (Open's max-frame-size, Begin's and Attach's trailing fields, the attach's
// echoed properties); the simulator must too, or no Event Hubs tooling could be pointed at it.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <gtest/gtest.h>

#include <csignal>
#include <set>

namespace {

constexpr int Want = 20;

struct Sim {
    QProcess process;
    QJsonObject json;
    explicit Sim(const QStringList& extra = {})
    {
        process.start(QStringLiteral(IOTC_DIAG_PATH),
            QStringList { QStringLiteral("sim"), QStringLiteral("--tls"), QStringLiteral("--rate"),
                QStringLiteral("20"), QStringLiteral("--extra-rate"), QStringLiteral("0") }
                + extra);
        if (process.waitForStarted(10000) && process.waitForReadyRead(20000))
            json = QJsonDocument::fromJson(process.readLine()).object();
    }
    ~Sim()
    {
        ::kill(static_cast<pid_t>(process.processId()), SIGTERM);
        process.waitForFinished(10000);
    }
};

struct SdkRun {
    QStringList partitions;
    std::vector<QJsonObject> events;
    int received = -1;
    QStringList errors;
    QString log;
};

SdkRun consume(const Sim& sim, const QString& transport, const QString& endpoint)
{
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(IOTC_INTEROP_DIR "/eventhub_sdk_consume.py"),
            sim.json.value(QStringLiteral("eventHubConnectionString")).toString(),
            sim.json.value(QStringLiteral("caFile")).toString(), endpoint, transport, QString::number(Want),
            QStringLiteral("40") });
    SdkRun run;
    if (!python.waitForStarted(10000) || !python.waitForFinished(60000)) {
        python.kill();
        python.waitForFinished(5000);
    }
    run.log = QString::fromUtf8(python.readAllStandardError()).right(4000);
    const auto out = python.readAllStandardOutput().split('\n');
    for (const auto& line : out) {
        const auto o = QJsonDocument::fromJson(line).object();
        if (o.contains(QStringLiteral("partitions")))
            for (const auto& p : o.value(QStringLiteral("partitions")).toArray())
                run.partitions << p.toString();
        if (o.contains(QStringLiteral("event")))
            run.events.push_back(o.value(QStringLiteral("event")).toObject());
        if (o.contains(QStringLiteral("received")))
            run.received = o.value(QStringLiteral("received")).toInt();
        if (o.contains(QStringLiteral("error")))
            run.errors << o.value(QStringLiteral("error")).toString();
    }
    return run;
}

void expectRead(const SdkRun& run, const std::string& label)
{
    EXPECT_EQ(run.partitions,
        (QStringList { QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3") }))
        << label << "\n"
        << run.log.toStdString();
    EXPECT_TRUE(run.errors.isEmpty()) << label << ": " << run.errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_GE(run.received, Want) << label << "\n" << run.log.toStdString();
    std::set<QString> devices;
    for (const auto& e : run.events) {
        const QString device = e.value(QStringLiteral("deviceId")).toString();
        EXPECT_FALSE(device.isEmpty()) << label << ": iothub-connection-device-id on every event";
        EXPECT_TRUE(e.value(QStringLiteral("enqueuedTime")).isString()) << label;
        EXPECT_GE(e.value(QStringLiteral("sequenceNumber")).toInteger(-1), 0) << label;
        devices.insert(device);
    }
    EXPECT_GT(devices.size(), 1u) << label << ": events of several devices";
}

TEST(EventHubsSdk, MicrosoftsPythonSdkReadsTheSimulatorOverTls)
{
    // The SDK dials AMQP over TLS on 5671 whatever port the connection string names (a custom
    // endpoint address switches it to WebSockets), so the simulator listens there.
    Sim sim({ QStringLiteral("--port-amqps"), QStringLiteral("5671") });
    ASSERT_EQ(sim.json.value(QStringLiteral("amqpsPort")).toInt(), 5671)
        << sim.process.readAllStandardError().toStdString();
    expectRead(consume(sim, QStringLiteral("amqp"), QStringLiteral("-")), "amqps");
}

TEST(EventHubsSdk, MicrosoftsPythonSdkReadsTheSimulatorOverWebSockets)
{
    Sim sim;
    ASSERT_TRUE(sim.json.value(QStringLiteral("tls")).toBool()) << sim.process.readAllStandardError().toStdString();
    const int port = sim.json.value(QStringLiteral("websocketPort")).toInt();
    expectRead(consume(sim, QStringLiteral("amqp-ws"), QStringLiteral("https://localhost:%1").arg(port)), "wss");
}

} // namespace
