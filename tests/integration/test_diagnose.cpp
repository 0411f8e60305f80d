// The guided diagnosis for every scenario device of the simulated app: the verdict's top cause,
// its mitigation, and a report that shows the evidence and no secret.
#include "simfixture.h"

#include "diagnose/diagnoser.h"
#include "report/diagnosisreport.h"
#include "util/redact.h"

#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace iotc;

namespace {

class Diagnose : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        sim::SimOptions o;
        o.rateHz = 5;
        o.extraRateHz = 0;
        app = new sim::SimulatedApp(o);
        e = app->start();
    }
    static void TearDownTestSuite() { delete app; }
    static Diagnosis diagnose(const char* device, std::optional<QString> log = std::nullopt)
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        p.dpsEndpoint = e.dpsEndpoint;
        DiagnoseOptions o;
        o.deviceId = QLatin1String(device);
        o.listenSeconds = 3;
        o.enoughMessages = 3;
        o.deviceLog = std::move(log);
        return Diagnoser(p, o).run();
    }
    static inline sim::SimulatedApp* app = nullptr;
    static inline sim::SimEndpoints e;
};

struct Expect {
    const char* device;
    const char* topCause; // empty = healthy
};

class EveryScenario : public Diagnose, public ::testing::WithParamInterface<Expect> { };

void PrintTo(const Expect& x, std::ostream* os)
{
    *os << x.device;
}

TEST_P(EveryScenario, TopCauseAndMitigation)
{
    const auto& x = GetParam();
    const auto d = diagnose(x.device);
    if (std::string(x.topCause).empty()) {
        EXPECT_TRUE(d.healthy()) << x.device << ": " << (d.causes.empty() ? "" : d.causes.front().code.toStdString());
        EXPECT_FALSE(d.healthySummary.isEmpty());
        return;
    }
    ASSERT_FALSE(d.causes.empty()) << x.device;
    EXPECT_EQ(d.causes.front().code.toStdString(), x.topCause) << x.device;
    EXPECT_FALSE(d.causes.front().mitigation.isEmpty());
    EXPECT_FALSE(d.causes.front().evidence.isEmpty()) << "every cause shows what was seen";
    const QString md = diagnosisToMarkdown(d);
    EXPECT_TRUE(
        md.contains(redactSecrets(d.causes.front().evidence.front()).replace(QLatin1Char('|'), QStringLiteral("\\|"))))
        << "the report mentions the evidence";
    EXPECT_TRUE(md.contains(d.causes.front().code));
}

INSTANTIATE_TEST_SUITE_P(Guide, EveryScenario,
    ::testing::Values(Expect { "healthy-controller", "" }, Expect { "blocked-device", "device-blocked" },
        Expect { "waiting-for-approval", "device-blocked-or-waiting-for-approval" },
        Expect { "unassigned-device", "device-unassigned" },
        Expect { "registered-never-connected", "device-never-connected" },
        Expect { "expired-credentials", "dps-invalid-credentials" }, Expect { "throttled-device", "dps-throttled" },
        Expect { "wrong-casing", "unmodeled-capability" }, Expect { "string-for-double", "schema-mismatch" },
        Expect { "undefined-property", "unmodeled-capability" }, Expect { "malformed-json", "invalid-json" },
        Expect { "duplicate-names", "duplicate-capability" }, Expect { "edge-gateway-old", "edge-unmodeled" },
        Expect { "unacknowledged-writable", "writable-property-not-acknowledged" },
        Expect { "rejected-writable", "writable-property-rejected" }, Expect { "edge-gateway-new", "" },
        Expect { "no-content-type", "content-type-or-encoding" }, Expect { "latin1-encoding", "invalid-encoding" },
        Expect { "utf16-body", "invalid-encoding" }, Expect { "no-such-device", "device-not-found" }));

TEST_F(Diagnose, ADeviceLogWithOtherErrorsIsACauseWithWhatToDo)
{
    // file-upload-failing sends its telemetry fine; its own log says file uploads fail (403006).
    const auto device = app->state().device(QStringLiteral("file-upload-failing"));
    ASSERT_TRUE(device);
    EXPECT_TRUE(diagnose("file-upload-failing").healthy()) << "without the log, nothing is wrong";
    const auto d = diagnose("file-upload-failing", device->log.join(QLatin1Char('\n')));
    ASSERT_FALSE(d.causes.empty());
    EXPECT_EQ(d.causes.front().code, QStringLiteral("file-upload-limit-exceeded")) << "its own cause (issue 14)";
    ASSERT_FALSE(d.causes.front().evidence.isEmpty());
    EXPECT_TRUE(d.causes.front().evidence.front().contains(QStringLiteral("403006")));
    EXPECT_TRUE(d.causes.front().mitigation.contains(QStringLiteral("notify IoT Central promptly")))
        << d.causes.front().mitigation.toStdString();
}

TEST_F(Diagnose, EdgeRuntimeVersionIsReadFromTheSystemModules)
{
    for (const auto& [device, version, status] :
        { std::tuple { "edge-gateway-old", "1.2.0", DiagnosisCheck::Status::Failed },
            std::tuple { "edge-gateway-new", "1.4.10", DiagnosisCheck::Status::Passed } }) {
        const auto d = diagnose(device);
        const auto edge = std::find_if(
            d.checks.begin(), d.checks.end(), [](const auto& c) { return c.id == QLatin1String("edge"); });
        ASSERT_NE(edge, d.checks.end());
        EXPECT_EQ(edge->status, status) << device;
        EXPECT_TRUE(edge->summary.contains(QLatin1String(version))) << edge->summary.toStdString();
    }
}

TEST_F(Diagnose, DeviceLogFindingsAreFoldedIn)
{
    const auto d = diagnose("registered-never-connected",
        QStringLiteral("ERROR Provisioning: 401 Unauthorized {\"errorCode\":401002,\"message\":\"Unauthorized\"}\n"));
    ASSERT_FALSE(d.causes.empty());
    EXPECT_EQ(d.causes.front().code, QStringLiteral("dps-invalid-credentials"))
        << "the log explains why it never connected";
    bool logChecked = false;
    for (const auto& c : d.checks)
        logChecked = logChecked || (c.id == QLatin1String("device-log") && c.status == DiagnosisCheck::Status::Failed);
    EXPECT_TRUE(logChecked);
}

TEST_F(Diagnose, WrongCredentialsAreTheVerdict)
{
    auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
    p.authorization = QStringLiteral("SharedAccessSignature sr=other&sig=x&skn=y&se=9999999999999");
    DiagnoseOptions o;
    o.deviceId = QStringLiteral("healthy-controller");
    o.listenSeconds = 1;
    const auto d = Diagnoser(p, o).run();
    ASSERT_FALSE(d.causes.empty());
    EXPECT_EQ(d.causes.front().code, QStringLiteral("credentials-invalid"));
}

TEST(Report, SecretsNeverAppear)
{
    Diagnosis d;
    d.deviceId = QStringLiteral("dev");
    d.application = QStringLiteral("https://contoso.azureiotcentral.com");
    DiagnosisCause c;
    c.code = QStringLiteral("credentials-invalid");
    c.title = QStringLiteral("x");
    c.evidence << QStringLiteral("Authorization: SharedAccessSignature sr=abc&sig=SECRETSIG%2Bxyz&skn=op&se=1")
               << QStringLiteral("Endpoint=sb://h/;SharedAccessKeyName=service;SharedAccessKey=SECRETKEY=;EntityPath=e")
               << QStringLiteral("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SECRETJWTSIG")
               << QStringLiteral("{\"primaryKey\": \"SECRETPRIMARY\", \"ok\": 1}");
    d.causes.push_back(c);
    SampleMessage s;
    s.body = QStringLiteral("{\"token\": \"SECRETTOKEN\", \"temperature\": 1}");
    d.samples.push_back(s);
    s.body = QStringLiteral("{\"password\": \"ab\\\"SECRETESCAPED\", \"t\": 1}");
    d.samples.push_back(s);
    s.body = QStringLiteral("{\"sasToken\": \"SECRETCUT"); // a body cut short inside the value
    d.samples.push_back(s);
    for (const QString& rendered : { QString::fromUtf8(QJsonDocument(diagnosisToJson(d)).toJson()),
             diagnosisToMarkdown(d), diagnosisToHtml(d), diagnosisToText(d) }) {
        for (const char* secret :
            { "SECRETSIG", "SECRETKEY", "SECRETJWTSIG", "SECRETPRIMARY", "SECRETTOKEN", "SECRETESCAPED", "SECRETCUT" })
            EXPECT_FALSE(rendered.contains(QLatin1String(secret))) << secret;
        EXPECT_TRUE(
            rendered.contains(QStringLiteral("<redacted")) || rendered.contains(QStringLiteral("&lt;redacted")));
    }
}

} // namespace
