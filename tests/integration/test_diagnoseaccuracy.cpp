// The diagnosis names the right service and code, does not wait for what REST and DPS already
// settle, shows a blocked device once, and says when it could not run (issue 14, section 1).
// Against the simulated app, in-process and through the iotc-diag binary.
#include "simfixture.h"

#include "central/centralclient.h"
#include "central/deviceidsuggest.h"
#include "diagnose/diagnoser.h"
#include "knowledge/advice.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/dpscheck.h"
#include "report/diagnosisreport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace iotc;

namespace {

// A bound that only catches a hang: the measured times belong in a benchmark.
constexpr qint64 HangGuardMs = 20000;

const DiagnosisCheck* checkOf(const Diagnosis& d, const char* id)
{
    const auto it
        = std::find_if(d.checks.begin(), d.checks.end(), [&](const auto& c) { return c.id == QLatin1String(id); });
    return it == d.checks.end() ? nullptr : &*it;
}

const DiagnosisCause* causeOf(const Diagnosis& d, QLatin1String code)
{
    const auto it
        = std::find_if(d.causes.begin(), d.causes.end(), [&](const DiagnosisCause& c) { return c.code == code; });
    return it == d.causes.end() ? nullptr : &*it;
}

std::vector<std::string> causeCodes(const Diagnosis& d)
{
    std::vector<std::string> out;
    for (const auto& c : d.causes)
        out.push_back(c.code.toStdString());
    return out;
}

// Every word the diagnosis shows, as the Markdown report has it.
QString everything(const Diagnosis& d)
{
    return diagnosisToMarkdown(d);
}

class DiagnoseAccuracy : public test::SimSuite<DiagnoseAccuracy, 0, 5> {
protected:
    static Diagnosis diagnose(
        const QString& device, std::optional<QString> log = std::nullopt, int listenSeconds = 3, qint64* ms = nullptr)
    {
        DiagnoseOptions o;
        o.deviceId = device;
        o.listenSeconds = listenSeconds;
        o.enoughMessages = 3;
        o.deviceLog = std::move(log);
        QElapsedTimer clock;
        clock.start();
        auto d = Diagnoser(profile(), o).run();
        if (ms)
            *ms = clock.elapsed();
        return d;
    }
};

// 1a. A 429 from DPS is DPS throttling, in DPS's words, even when its body carries 429001.
TEST_F(DiagnoseAccuracy, DpsThrottlingIsDpsThrottlingNeverIoTHubs)
{
    const auto d = diagnose(QStringLiteral("throttled-device"));
    EXPECT_EQ(causeCodes(d), (std::vector<std::string> { "dps-throttled", "device-never-connected" }));
    const auto* prov = checkOf(d, "provisioning");
    ASSERT_TRUE(prov);
    const KnowledgeEntry* dps429 = KnowledgeBase::builtIn().byCode("429", "dps");
    ASSERT_TRUE(dps429);
    const auto finding = std::find_if(prov->findings.begin(), prov->findings.end(),
        [](const DiagnosisFinding& f) { return f.code == QLatin1String("429"); });
    ASSERT_NE(finding, prov->findings.end()) << "the guide's DPS 429";
    EXPECT_EQ(finding->title.toStdString(), dps429->title);
    EXPECT_EQ(finding->mitigation.toStdString(), dps429->mitigation);
    const KnowledgeEntry* hub = KnowledgeBase::builtIn().byCode("429001");
    ASSERT_TRUE(hub);
    EXPECT_EQ(hub->kind, "iothub");
    EXPECT_FALSE(everything(d).contains(QString::fromStdString(hub->title))) << "never IoT Hub's title for DPS";
    const auto* cause = causeOf(d, causes::DpsThrottled);
    ASSERT_TRUE(cause);
    EXPECT_TRUE(cause->evidence.join(QLatin1Char(' ')).contains(QStringLiteral("DPS answered 429, errorCode 429001")))
        << "DPS's own answer is kept as the evidence";
}

TEST(DpsKnowledge, TheEntryIsAlwaysDpssOwn)
{
    auto answer = [](int status, std::optional<int> code) {
        DpsAnswer a;
        a.httpStatus = status;
        a.errorCode = code;
        return a;
    };
    auto codeOf = [](const KnowledgeEntry* e) { return e ? e->code + "/" + e->kind : std::string("none"); };
    EXPECT_EQ(codeOf(dpsKnowledge(answer(429, 429001))), "429/dps") << "429001 is IoT Hub's code";
    EXPECT_EQ(codeOf(dpsKnowledge(answer(429, std::nullopt))), "429/dps");
    EXPECT_EQ(codeOf(dpsKnowledge(answer(401, 401002))), "401002/dps");
    EXPECT_EQ(codeOf(dpsKnowledge(answer(401, 400209))), "400209/dps");
    EXPECT_EQ(codeOf(dpsKnowledge(answer(404, 404201))), "404201/dps");
    EXPECT_EQ(codeOf(dpsKnowledge(answer(404, 404001))), "404/dps") << "404001 is IoT Hub's";
    EXPECT_EQ(codeOf(dpsKnowledge(answer(200, std::nullopt))), "none");
    EXPECT_TRUE(dpsThrottled(answer(429, 429001)));
    EXPECT_FALSE(dpsThrottled(answer(401, 401002)));
    DpsAnswer unreachable = answer(0, std::nullopt);
    unreachable.transportError.kind = CentralError::Kind::Network;
    EXPECT_EQ(dpsKnowledge(unreachable), nullptr);
}

// 1b. 429001 / ThrottlingException in a device log is IoT Hub throttling, its own cause.
TEST_F(DiagnoseAccuracy, IoTHubThrottlingInTheLogIsHubThrottled)
{
    const QString hubLine = QStringLiteral(
        "2026-01-05 10:00:01 WARN  IotHubThrottledException: ErrorCode:ThrottlingException;429001 Too many requests");
    auto d = diagnose(QStringLiteral("healthy-controller"), hubLine + QLatin1Char('\n'));
    EXPECT_EQ(causeCodes(d), std::vector<std::string> { "hub-throttled" });
    const auto* cause = causeOf(d, causes::HubThrottled);
    ASSERT_TRUE(cause);
    EXPECT_TRUE(cause->title.contains(QStringLiteral("IoT Hub"))) << cause->title.toStdString();
    EXPECT_TRUE(cause->mitigation.contains(QStringLiteral("Reduce message frequency, split responsibilities among "
                                                          "more devices")))
        << "the guide's words: " << cause->mitigation.toStdString();
    ASSERT_FALSE(cause->evidence.isEmpty());
    EXPECT_TRUE(cause->evidence.front().contains(QStringLiteral("429001")));

    // DPS's 429 in the same log stays DPS's: each service its own cause.
    d = diagnose(QStringLiteral("healthy-controller"),
        QStringLiteral("ERROR ProvisioningTransportException: registration failed: 429 Too Many Requests\n") + hubLine
            + QLatin1Char('\n'));
    EXPECT_EQ(causeCodes(d), (std::vector<std::string> { "dps-throttled", "hub-throttled" }));
}

// 1c. A REST 404 for the device is "not found in this application", with the app's similar ids.
TEST_F(DiagnoseAccuracy, AnUnknownDeviceIsNotInThisApplicationWithDidYouMean)
{
    for (const auto& [typed, meant] : { std::pair { "healthy-controler", "healthy-controller" },
             std::pair { "Blocked-Device", "blocked-device" }, std::pair { "no-such-device", "" } }) {
        const auto d = diagnose(QLatin1String(typed));
        EXPECT_EQ(causeCodes(d), std::vector<std::string> { "device-not-found" }) << typed;
        const auto* cause = causeOf(d, causes::DeviceNotFound);
        ASSERT_TRUE(cause);
        const QString expected = std::string(meant).empty()
            ? QStringLiteral("no device %1 in this application").arg(QLatin1String(typed))
            : QStringLiteral("no device %1 in this application; did you mean %2?")
                  .arg(QLatin1String(typed), QLatin1String(meant));
        EXPECT_EQ(cause->evidence, QStringList { expected });
        EXPECT_TRUE(cause->title.contains(QStringLiteral("in this application"))) << cause->title.toStdString();
        const auto* device = checkOf(d, "device");
        ASSERT_TRUE(device);
        EXPECT_EQ(device->status, DiagnosisCheck::Status::Failed);
        EXPECT_TRUE(device->summary.contains(expected.mid(1))) << device->summary.toStdString();
        const QString all = everything(d);
        EXPECT_FALSE(all.contains(QStringLiteral("ID scope"))) << "never DPS's 404 advice: " << all.toStdString();
        EXPECT_TRUE(all.contains(QStringLiteral("not found in this application"))) << all.toStdString();
    }
}

TEST_F(DiagnoseAccuracy, ARestErrorNeverCarriesADpsEntry)
{
    CentralClient client(profile());
    auto missing = client.device(QStringLiteral("no-such-device"));
    missing.waitForFinished();
    const auto r = missing.result();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.httpStatus, 404);
    EXPECT_EQ(r.error.knowledge, nullptr) << "a REST 404 is not DPS's 404";
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("not found in this application")))
        << r.error.explanation.toStdString();
    auto tpl = client.deviceTemplate(QStringLiteral("dtmi:no:such;1"));
    tpl.waitForFinished();
    EXPECT_EQ(tpl.result().error.knowledge, nullptr);
    EXPECT_TRUE(tpl.result().error.explanation.contains(QStringLiteral("not found in this application")));
}

// 1c. The same for the template the device is assigned to: a scenario whose device names a template
// the application does not have.
TEST(DiagnoseTemplate, ATemplateNotInThisApplicationIsNotFoundWithDidYouMean)
{
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("scenario.json"));
    QFile f(scenario);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({
      "app": {"name": "Template test", "idScope": "0ne00TPL001"},
      "templates": [{
        "@id": "dtmi:contoso:sensor;1", "@type": ["ModelDefinition", "DeviceModel"], "displayName": "Sensor",
        "capabilityModel": {"@id": "dtmi:contoso:sensor;1", "@type": "Interface", "displayName": "Sensor",
          "contents": [{"@type": "Telemetry", "name": "temperature", "schema": "double"}]}
      }],
      "devices": [{
        "id": "mistyped-template", "scenario": "template-not-found", "template": "dtmi:contoso:sensr;1",
        "enabled": true, "provisioned": true, "dps": "assigned", "modelId": "dtmi:contoso:sensr;1",
        "messages": [{"body": "{\"temperature\": {t1}}", "contentType": "application/json",
                      "contentEncoding": "utf-8"}]
      }]
    })");
    f.close();
    sim::SimOptions o;
    o.scenarioFile = scenario;
    o.rateHz = 5;
    o.extraRateHz = 0;
    sim::SimulatedApp app(o);
    const auto e = app.start();
    auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
    p.authorization = e.apiToken;
    p.dpsEndpoint = e.dpsEndpoint;
    DiagnoseOptions options;
    options.deviceId = QStringLiteral("mistyped-template");
    options.listenSeconds = 2;
    options.enoughMessages = 3;
    const auto d = Diagnoser(p, options).run();
    ASSERT_FALSE(d.causes.empty());
    EXPECT_EQ(d.causes.front().code, causes::TemplateNotFound);
    EXPECT_EQ(d.causes.front().evidence,
        QStringList { QStringLiteral(
            "no device template dtmi:contoso:sensr;1 in this application; did you mean dtmi:contoso:sensor;1?") });
    EXPECT_FALSE(d.causes.front().mitigation.isEmpty());
    const auto* device = checkOf(d, "device");
    ASSERT_TRUE(device);
    EXPECT_EQ(device->status, DiagnosisCheck::Status::Failed);
    EXPECT_FALSE(everything(d).contains(QStringLiteral("ID scope")));
}

// 1d. Without a DPS endpoint, an application that is not on azureiotcentral.com is not DPS-checked
// at the global endpoint: the diagnosis says so, and how to check it.
TEST_F(DiagnoseAccuracy, WithoutADpsEndpointANonAzureApplicationSaysDpsWasNotChecked)
{
    auto p = profile();
    p.dpsEndpoint = ConnectionProfile {}.dpsEndpoint; // as without --dps-endpoint
    DiagnoseOptions o;
    o.deviceId = QStringLiteral("healthy-controller");
    o.listenSeconds = 3;
    o.enoughMessages = 3;
    QElapsedTimer clock;
    clock.start();
    const auto d = Diagnoser(p, o).run();
    EXPECT_LT(clock.elapsed(), HangGuardMs);
    EXPECT_TRUE(d.healthy()) << (d.causes.empty() ? "" : d.causes.front().code.toStdString());
    const auto* prov = checkOf(d, "provisioning");
    ASSERT_TRUE(prov);
    ASSERT_EQ(prov->findings.size(), 1u);
    const auto& f = prov->findings.front();
    EXPECT_EQ(f.code, QStringLiteral("dps-not-checked"));
    EXPECT_TRUE(f.explanation.contains(QStringLiteral("not an Azure IoT Central host"))) << f.explanation.toStdString();
    EXPECT_TRUE(f.explanation.contains(QStringLiteral("127.0.0.1"))) << "why: names the application";
    EXPECT_TRUE(f.explanation.contains(QStringLiteral("--dps-endpoint"))) << "how to check it";
    EXPECT_FALSE(everything(d).contains(QStringLiteral("does not resolve")));
    EXPECT_FALSE(everything(d).contains(QStringLiteral("dps-unreachable")));
}

// 2. What REST and DPS settle is not listened for.
TEST_F(DiagnoseAccuracy, SettledCausesDoNotWaitForTheListen)
{
    for (const auto& [device, cause] : { std::pair { "blocked-device", "device-blocked" },
             std::pair { "waiting-for-approval", "device-blocked-or-waiting-for-approval" },
             std::pair { "registered-never-connected", "device-never-connected" },
             std::pair { "expired-credentials", "dps-invalid-credentials" },
             std::pair { "throttled-device", "dps-throttled" },
             std::pair { "healthy-controler", "device-not-found" } }) {
        qint64 ms = 0;
        const auto d = diagnose(QLatin1String(device), std::nullopt, 60, &ms);
        EXPECT_LT(ms, HangGuardMs) << device << ": not the 60 s of listening";
        ASSERT_FALSE(d.causes.empty()) << device;
        EXPECT_EQ(d.causes.front().code.toStdString(), cause);
        const auto* data = checkOf(d, "data");
        ASSERT_TRUE(data);
        EXPECT_EQ(data->status, DiagnosisCheck::Status::Skipped) << device << ": not run, so not failed";
        EXPECT_EQ(data->summary.left(data->summary.indexOf(QLatin1String(" ("))),
            QStringLiteral("Not listened: %1 already explains why no data arrives").arg(QLatin1String(cause)));
        EXPECT_EQ(causeOf(d, causes::NoData), nullptr) << device;
        EXPECT_EQ(causeOf(d, causes::DataStopped), nullptr) << device;
        EXPECT_EQ(causeOf(d, causes::EventStreamUnreachable), nullptr) << device;
    }
}

TEST(SettledCauses, DpsAnswersSettleOnlyBeforeProvisioning)
{
    for (const auto& c : { causes::DeviceNotFound, causes::DeviceBlocked, causes::DeviceBlockedOrWaitingForApproval,
             causes::DeviceNeverConnected }) {
        EXPECT_TRUE(settlesNoData(c, false)) << c.data();
        EXPECT_TRUE(settlesNoData(c, true)) << c.data();
    }
    for (const auto& c : { causes::DpsInvalidCredentials, causes::DpsThrottled }) {
        EXPECT_TRUE(settlesNoData(c, false)) << c.data();
        EXPECT_FALSE(settlesNoData(c, true)) << c.data() << ": a provisioned device may still send through its hub";
    }
    for (const auto& c : { causes::DeviceUnassigned, causes::HubThrottled, causes::TemplateNotFound,
             causes::EventStreamUnreachable, causes::UnmodeledCapability })
        EXPECT_FALSE(settlesNoData(c, false)) << c.data();
}

// 3. A blocked device appears once: device-blocked, with the other cause's evidence.
TEST_F(DiagnoseAccuracy, ABlockedDeviceAppearsOnce)
{
    // Status blocked and DPS's 400209.
    auto d = diagnose(QStringLiteral("blocked-device"));
    EXPECT_EQ(causeCodes(d), std::vector<std::string> { "device-blocked" });
    QString evidence = causeOf(d, causes::DeviceBlocked)->evidence.join(QLatin1Char('\n'));
    EXPECT_TRUE(evidence.contains(QStringLiteral("enabled=false"))) << evidence.toStdString();
    EXPECT_TRUE(evidence.contains(QStringLiteral("400209"))) << evidence.toStdString();

    // Blocked or waiting (REST and DPS), and the device's log says DEVICE_BLOCKED: blocked it is.
    const QString blockedLine
        = QStringLiteral("ERROR IoTHubUnauthorized: DEVICE_BLOCKED The device is blocked from connecting");
    d = diagnose(QStringLiteral("waiting-for-approval"), blockedLine + QLatin1Char('\n'));
    EXPECT_EQ(causeCodes(d), std::vector<std::string> { "device-blocked" });
    evidence = causeOf(d, causes::DeviceBlocked)->evidence.join(QLatin1Char('\n'));
    EXPECT_TRUE(evidence.contains(QStringLiteral("DEVICE_BLOCKED"))) << evidence.toStdString();
    EXPECT_TRUE(evidence.contains(QStringLiteral("enabled=false, provisioned=false"))) << "the other's evidence";
    EXPECT_TRUE(evidence.contains(QStringLiteral("400209"))) << evidence.toStdString();

    // A log with both codes, for a device REST knows nothing wrong about.
    d = diagnose(QStringLiteral("healthy-controller"),
        blockedLine + QStringLiteral("\nERROR Provisioning failed: 401 Unauthorized errorCode 400209\n"));
    EXPECT_EQ(causeCodes(d), std::vector<std::string> { "device-blocked" });
    EXPECT_EQ(causeOf(d, causes::DeviceBlocked)->evidence.size(), 2) << "both lines";
}

// 5. Could not run: the application could not be asked, or only the data check could not run.
TEST(CouldNotRun, OnlyWhenNothingButTheToolsOwnReachFailed)
{
    auto with = [](std::initializer_list<QLatin1String> codes) {
        Diagnosis d;
        for (const auto& c : codes)
            d.causes.push_back({ c, {}, {}, {} });
        return d;
    };
    EXPECT_FALSE(with({}).couldNotRun()) << "healthy";
    EXPECT_TRUE(with({ causes::AppUnreachable }).couldNotRun());
    EXPECT_TRUE(with({ causes::CredentialsInvalid, causes::DeviceLogErrors }).couldNotRun());
    EXPECT_TRUE(with({ causes::EventStreamUnreachable }).couldNotRun());
    EXPECT_FALSE(with({ causes::EventStreamUnreachable, causes::WritablePropertyRejected }).couldNotRun())
        << "something else was found";
    EXPECT_FALSE(with({ causes::DeviceUnassigned, causes::EventStreamUnreachable }).couldNotRun());
    EXPECT_FALSE(with({ causes::DeviceNotFound }).couldNotRun());
}

struct Cli {
    int exitCode = -1;
    QJsonObject json;
    QByteArray err;
    qint64 ms = 0;
};

Cli diagnoseCli(const QStringList& args)
{
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(IOTC_DIAG_PATH), QStringList { QStringLiteral("diagnose") } + args);
    EXPECT_TRUE(p.waitForFinished(120000)) << args.join(QLatin1Char(' ')).toStdString();
    Cli r;
    r.ms = clock.elapsed();
    r.exitCode = p.exitCode();
    r.err = p.readAllStandardError();
    r.json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    return r;
}

QString topCause(const Cli& r)
{
    const auto causes = r.json.value(QStringLiteral("verdict")).toObject().value(QStringLiteral("causes")).toArray();
    return causes.isEmpty() ? QString() : causes[0].toObject().value(QStringLiteral("code")).toString();
}

TEST(DiagnoseExitCodes, HealthyProblemOrCouldNotRun)
{
    auto r = diagnoseCli({ QStringLiteral("cloud-property-tracker"), QStringLiteral("--demo"),
        QStringLiteral("--listen"), QStringLiteral("3") });
    EXPECT_EQ(r.exitCode, 0) << "healthy, its cloud property values included: " << topCause(r).toStdString();

    r = diagnoseCli({ QStringLiteral("blocked-device"), QStringLiteral("--demo"), QStringLiteral("--listen"),
        QStringLiteral("60") });
    EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
    EXPECT_EQ(topCause(r), QStringLiteral("device-blocked"));
    EXPECT_LT(r.ms, HangGuardMs) << "a settled cause does not listen";

    // The data check could not run and nothing else was found.
    r = diagnoseCli({ QStringLiteral("healthy-controller"), QStringLiteral("--demo"), QStringLiteral("--listen"),
        QStringLiteral("30"), QStringLiteral("--eventhub-connection-string"),
        QStringLiteral("Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=s;SharedAccessKey=AAAA;EntityPath=x") });
    EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
    EXPECT_EQ(topCause(r), QStringLiteral("event-stream-unreachable"));

    // The application is not there at all.
    QTcpServer probe;
    ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    r = diagnoseCli({ QStringLiteral("healthy-controller"), QStringLiteral("--base-url"),
        QStringLiteral("http://127.0.0.1:%1").arg(port), QStringLiteral("--token"),
        QStringLiteral("SharedAccessSignature sr=a&sig=b&skn=c&se=9999999999999"), QStringLiteral("--listen"),
        QStringLiteral("60") });
    EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
    EXPECT_EQ(topCause(r), QStringLiteral("app-unreachable"));
    EXPECT_LT(r.ms, HangGuardMs);
}

} // namespace
