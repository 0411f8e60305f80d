// Fleet triage (core/triage, `iotc-diag triage`) against the simulated app: every scenario device
// gets the cause the full diagnosis gives wherever the device list and the event stream suffice
// (a device's properties, DPS and logs are not read for a whole fleet), the generated devices are
// healthy, byCause agrees with the list, and the command's JSON, text and CSV.
#include "simfixture.h"

#include "central/centralclient.h"
#include "diagnose/diagnosis.h"
#include "triage/deepdiagnosis.h"
#include "triage/triagerun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <gtest/gtest.h>

#include <map>

using namespace iotc;

namespace {

class Triage : public iotc::test::SimSuite<Triage> {
protected:
    static void SetUpTestSuite()
    {
        sim::SimOptions o;
        o.extraDevices = 20;
        o.rateHz = 2;
        o.extraRateHz = 1; // the generated devices send, and are healthy
        app = new sim::SimulatedApp(o);
        e = app->start();
    }

    static const TriageDevice* find(const TriageResult& r, const QString& id)
    {
        for (const auto& d : r.devices)
            if (d.deviceId == id)
                return &d;
        return nullptr;
    }

    static QStringList triageArgs(const QStringList& extra)
    {
        return QStringList { QStringLiteral("triage"), QStringLiteral("--base-url"), e.baseUrl,
            QStringLiteral("--token"), e.apiToken, QStringLiteral("--listen"), QStringLiteral("5"),
            QStringLiteral("--lookback"), QStringLiteral("3") }
        + extra;
    }
};

TEST_F(Triage, EveryDeviceGetsTheCauseTheDiagnosisGives)
{
    TriageOptions o;
    o.listenSeconds = 5;
    o.lookbackMinutes = 3;
    const quint64 requestsBefore = app->httpRequests();
    const TriageRun run = runTriage(std::make_shared<CentralClient>(profile()), o);
    ASSERT_FALSE(run.couldNotRun) << run.whyNot.toStdString();
    const TriageResult& r = run.result;
    // The list tells each device's template: no request per device (GET /devices/{id}), only the
    // list, the event hub token, each template once and the IoT Edge gateways' modules.
    EXPECT_LE(app->httpRequests() - requestsBefore, 12u) << "requests for " << r.devices.size() << " devices";
    EXPECT_EQ(static_cast<int>(r.devices.size()), e.devices);
    const std::map<QString, QString> expected {
        { "healthy-controller", HealthyCause },
        { "wrong-casing", causes::UnmodeledCapability },
        { "string-for-double", causes::SchemaMismatch },
        { "malformed-json", causes::InvalidJson },
        { "no-content-type", causes::ContentTypeOrEncoding },
        { "latin1-encoding", causes::InvalidEncoding },
        { "utf16-body", causes::InvalidEncoding },
        { "duplicate-names", causes::DuplicateCapability },
        { "blocked-device", causes::DeviceBlocked },
        { "waiting-for-approval", causes::DeviceBlockedOrWaitingForApproval },
        { "unassigned-device", causes::DeviceUnassigned },
        { "registered-never-connected", causes::DeviceNeverConnected },
        { "expired-credentials", causes::DeviceNeverConnected },
        { "throttled-device", causes::DeviceNeverConnected },
        { "edge-gateway-old", causes::EdgeUnmodeled },
        { "edge-gateway-new", HealthyCause },
        { "stops-sending", causes::DataStopped },
        // Their problems are in properties, uploads or logs, which a fleet triage does not read;
        // their telemetry is sound.
        { "undefined-property", HealthyCause },
        { "unacknowledged-writable", HealthyCause },
        { "rejected-writable", HealthyCause },
        { "file-upload-failing", HealthyCause },
        { "cloud-property-tracker", HealthyCause },
    };
    for (const auto& [id, cause] : expected) {
        const auto* d = find(r, id);
        ASSERT_TRUE(d) << id.toStdString();
        EXPECT_EQ(d->cause, cause) << id.toStdString() << ": " << d->evidence.toStdString();
        if (cause != QLatin1String(HealthyCause)) {
            EXPECT_FALSE(d->mitigation.isEmpty()) << id.toStdString();
        }
    }
    int generated = 0;
    for (const auto& d : r.devices) {
        if (d.deviceId.startsWith(QLatin1String("sim-device-"))) {
            ++generated;
            EXPECT_EQ(d.cause, QLatin1String(HealthyCause))
                << d.deviceId.toStdString() << ": " << d.evidence.toStdString();
        }
    }
    EXPECT_EQ(generated, 20);
    int counted = r.healthy;
    for (const auto& [cause, n] : r.byCause)
        counted += n;
    EXPECT_EQ(counted, static_cast<int>(r.devices.size()));
    EXPECT_EQ(r.devices.front().severity, Severity::Error) << "the worst first";
}

TEST_F(Triage, TheFilterNarrowsTheFleet)
{
    TriageOptions o;
    o.listenSeconds = 2;
    o.lookbackMinutes = 1;
    o.filter.status = DeviceStatus::Registered;
    const TriageRun run = runTriage(std::make_shared<CentralClient>(profile()), o);
    ASSERT_FALSE(run.couldNotRun) << run.whyNot.toStdString();
    ASSERT_EQ(run.result.devices.size(), 3u);
    EXPECT_EQ(run.result.byCause.at(causes::DeviceNeverConnected), 3);
    EXPECT_EQ(run.devicesListed, e.devices);
}

// When the event stream cannot be read, no device is said to send nothing: exit 2, saying why.
TEST_F(Triage, BlindItSaysSoInsteadOfBlamingDevices)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        triageArgs({ QStringLiteral("--eventhub-connection-string"),
            QStringLiteral("Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=k;SharedAccessKey=a2V5;EntityPath=hub") }));
    ASSERT_TRUE(p.waitForFinished(90000));
    EXPECT_EQ(p.exitCode(), 2);
    const QByteArray err = p.readAllStandardError();
    EXPECT_TRUE(err.contains("event stream could not be read")) << err.toStdString();
    EXPECT_FALSE(p.readAllStandardOutput().contains("no-data"));
    EXPECT_FALSE(err.contains("a2V5")) << "the key is never printed";
}

// --deep N: the full diagnosis of the N worst, in rank order, agreeing with the triage's cause.
TEST_F(Triage, TheDeepDiagnosisTakesTheWorstInRankOrder)
{
    TriageOptions o;
    o.listenSeconds = 3;
    o.lookbackMinutes = 3;
    const TriageRun run = runTriage(std::make_shared<CentralClient>(profile()), o);
    ASSERT_FALSE(run.couldNotRun) << run.whyNot.toStdString();
    const auto& worst = run.result.devices;
    ASSERT_GE(worst.size(), 2u);

    DeepDiagnosisOptions d;
    d.count = 2;
    d.listenSeconds = 2;
    d.lookbackMinutes = 3;
    QStringList progress;
    d.progress = [&progress](const QString& what) { progress << what; };
    d.pacer = std::make_shared<RequestPacer>(1000); // (a fast pace for the test, still every call's)
    const quint64 before = app->httpRequests();
    const auto deep = diagnoseWorst(profile(), run.result, d);
    ASSERT_EQ(deep.size(), 2u);
    EXPECT_GE(d.pacer->booked(), 4u) << "the diagnoses' REST calls go through the pacer";
    EXPECT_LE(d.pacer->booked(), app->httpRequests() - before) << "each a request the app served";
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(deep[i].deviceId, worst[i].deviceId);
        EXPECT_TRUE(deep[i].causes.contains(worst[i].cause))
            << worst[i].deviceId.toStdString() << ": triage " << worst[i].cause.toStdString() << ", diagnosis "
            << deep[i].causes.join(QLatin1Char(',')).toStdString();
    }
    EXPECT_EQ(progress.value(0), QStringLiteral("Diagnosing %1 (1 of 2)…").arg(worst[0].deviceId));

    // Stopped (Ctrl-C): no further device is started.
    d.stop = std::make_shared<std::atomic<bool>>(true);
    EXPECT_TRUE(diagnoseWorst(profile(), run.result, d).empty());
    // The healthy are never diagnosed: a fleet with nothing wrong has nothing to go deep on.
    TriageResult healthy;
    healthy.devices.push_back(TriageDevice {});
    healthy.devices.back().deviceId = QStringLiteral("healthy-controller");
    healthy.devices.back().cause = QString::fromLatin1(HealthyCause);
    d.stop.reset();
    EXPECT_TRUE(diagnoseWorst(profile(), healthy, d).empty());
}

TEST_F(Triage, TheCommandPrintsJsonTextAndCsv)
{
    QProcess json;
    json.start(QStringLiteral(IOTC_DIAG_PATH), triageArgs({}));
    ASSERT_TRUE(json.waitForFinished(90000));
    EXPECT_EQ(json.exitCode(), 1) << json.readAllStandardError().toStdString();
    const auto out = QJsonDocument::fromJson(json.readAllStandardOutput()).object();
    const auto summary = out.value(QStringLiteral("summary")).toObject();
    EXPECT_EQ(summary.value(QStringLiteral("devices")).toInt(), e.devices);
    const auto devices = out.value(QStringLiteral("devices")).toArray();
    int byCause = 0;
    for (const auto& v : summary.value(QStringLiteral("byCause")).toObject())
        byCause += v.toInt();
    EXPECT_EQ(byCause, devices.size()) << "byCause counts agree with the list";
    EXPECT_EQ(byCause + summary.value(QStringLiteral("healthy")).toInt(), e.devices);
    EXPECT_FALSE(devices.at(0).toObject().contains(QStringLiteral("diagnosis"))) << "only with --deep";
    for (const auto& v : devices) {
        const auto d = v.toObject();
        EXPECT_NE(d.value(QStringLiteral("cause")).toString(), QStringLiteral("healthy"))
            << "healthy ones only with --all";
        for (const char* key :
            { "deviceId", "displayName", "cause", "severity", "evidence", "mitigation", "lastSeen", "messages" })
            EXPECT_TRUE(d.contains(QLatin1String(key))) << key;
    }

    QProcess text;
    text.start(QStringLiteral(IOTC_DIAG_PATH), triageArgs({ QStringLiteral("--output"), QStringLiteral("text") }));
    ASSERT_TRUE(text.waitForFinished(90000));
    const QByteArray t = text.readAllStandardOutput();
    EXPECT_TRUE(t.contains("CAUSE")) << t.toStdString();
    EXPECT_TRUE(t.indexOf("CAUSE") < t.indexOf("DEVICE ")) << "the causes table first";
    EXPECT_TRUE(t.contains(QStringLiteral("%1 devices: ").arg(e.devices).toUtf8()));

    QProcess csv;
    csv.start(QStringLiteral(IOTC_DIAG_PATH),
        triageArgs({ QStringLiteral("--output"), QStringLiteral("csv"), QStringLiteral("--all") }));
    ASSERT_TRUE(csv.waitForFinished(90000));
    const QList<QByteArray> lines = csv.readAllStandardOutput().split('\n');
    ASSERT_FALSE(lines.isEmpty());
    EXPECT_TRUE(lines.front().startsWith("deviceId,displayName,cause,severity,lastSeen,messages,evidence,mitigation"));
    EXPECT_EQ(lines.size() - 2, e.devices) << "a header, a row per device (--all), the last line ending";

    QProcess deep;
    deep.start(QStringLiteral(IOTC_DIAG_PATH), triageArgs({ QStringLiteral("--deep"), QStringLiteral("1") }));
    ASSERT_TRUE(deep.waitForFinished(120000));
    const QByteArray deepErr = deep.readAllStandardError();
    EXPECT_EQ(deep.exitCode(), 1) << deepErr.toStdString();
    const auto deepDevices
        = QJsonDocument::fromJson(deep.readAllStandardOutput()).object().value(QStringLiteral("devices")).toArray();
    ASSERT_GE(deepDevices.size(), 2);
    const auto first = deepDevices.at(0).toObject();
    EXPECT_TRUE(first.value(QStringLiteral("diagnosis")).toArray().contains(first.value(QStringLiteral("cause"))))
        << QJsonDocument(first).toJson().toStdString();
    EXPECT_FALSE(deepDevices.at(1).toObject().contains(QStringLiteral("diagnosis"))) << "only the N worst";
    EXPECT_TRUE(deepErr.contains("(1 of 1)")) << deepErr.toStdString();
}

} // namespace
