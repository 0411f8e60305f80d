// The guided diagnosis for every scenario device of the simulated app: the verdict's top cause,
// its mitigation, and a report that shows the evidence and no secret.
#include "simfixture.h"

#include "diagnose/diagnoser.h"
#include "diagnose/recency.h"
#include "report/diagnosisreport.h"
#include "util/redact.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace iotc;

namespace {

class Diagnose : public test::SimSuite<Diagnose, 0, 5> {
protected:
    static Diagnosis diagnose(const char* device, std::optional<QString> log = std::nullopt)
    {
        const auto p = profile();
        DiagnoseOptions o;
        o.deviceId = QLatin1String(device);
        o.listenSeconds = 3;
        o.enoughMessages = 3;
        o.deviceLog = std::move(log);
        return Diagnoser(p, o).run();
    }
};

struct Expect {
    const char* device;
    std::vector<const char*> causes; // every cause, ranked; empty = healthy
    // REST and DPS settle the cause: the data check does not listen (issue 14).
    bool listened = true;
};

class EveryScenario : public Diagnose, public ::testing::WithParamInterface<Expect> { };

void PrintTo(const Expect& x, std::ostream* os)
{
    *os << x.device;
}

const DiagnosisCheck* checkOf(const Diagnosis& d, const char* id)
{
    const auto it
        = std::find_if(d.checks.begin(), d.checks.end(), [&](const auto& c) { return c.id == QLatin1String(id); });
    return it == d.checks.end() ? nullptr : &*it;
}

bool hasCause(const Diagnosis& d, QLatin1String code)
{
    return std::any_of(d.causes.begin(), d.causes.end(), [&](const DiagnosisCause& c) { return c.code == code; });
}

std::vector<std::string> causeCodes(const Diagnosis& d)
{
    std::vector<std::string> out;
    for (const auto& c : d.causes)
        out.push_back(c.code.toStdString());
    return out;
}

TEST_P(EveryScenario, CausesAndMitigation)
{
    const auto& x = GetParam();
    const auto d = diagnose(x.device);
    EXPECT_EQ(causeCodes(d), std::vector<std::string>(x.causes.begin(), x.causes.end())) << x.device;
    const auto* data = checkOf(d, "data");
    ASSERT_TRUE(data);
    if (x.listened) {
        EXPECT_NE(data->status, DiagnosisCheck::Status::Skipped) << x.device << ": " << data->summary.toStdString();
    } else {
        EXPECT_EQ(data->status, DiagnosisCheck::Status::Skipped) << x.device;
        EXPECT_TRUE(data->summary.startsWith(QStringLiteral("Not listened: ") + d.causes.front().code))
            << data->summary.toStdString();
        EXPECT_TRUE(data->summary.contains(QStringLiteral("already explains why no data arrives")));
        EXPECT_FALSE(hasCause(d, causes::NoData));
    }
    if (x.causes.empty()) {
        EXPECT_TRUE(d.healthy()) << x.device;
        EXPECT_FALSE(d.couldNotRun());
        EXPECT_FALSE(d.healthySummary.isEmpty());
        return;
    }
    ASSERT_FALSE(d.causes.empty()) << x.device;
    EXPECT_FALSE(d.couldNotRun()) << x.device << ": a problem was found";
    for (const auto& cause : d.causes) {
        EXPECT_FALSE(cause.mitigation.isEmpty()) << cause.code.toStdString();
        EXPECT_FALSE(cause.evidence.isEmpty()) << "every cause shows what was seen: " << cause.code.toStdString();
    }
    const QString md = diagnosisToMarkdown(d);
    EXPECT_TRUE(
        md.contains(redactSecrets(d.causes.front().evidence.front()).replace(QLatin1Char('|'), QStringLiteral("\\|"))))
        << "the report mentions the evidence";
    EXPECT_TRUE(md.contains(d.causes.front().code));
    // DPS's 404 advice (the ID scope) is never the answer for anything IoT Central's REST API said.
    EXPECT_FALSE(md.contains(QStringLiteral("ID scope the device uses"))) << x.device;
}

INSTANTIATE_TEST_SUITE_P(Guide, EveryScenario,
    ::testing::Values(Expect { "healthy-controller", {} }, Expect { "blocked-device", { "device-blocked" }, false },
        Expect { "waiting-for-approval", { "device-blocked-or-waiting-for-approval" }, false },
        Expect { "unassigned-device", { "device-unassigned" } },
        Expect { "registered-never-connected", { "device-never-connected" }, false },
        Expect { "expired-credentials", { "dps-invalid-credentials", "device-never-connected" }, false },
        Expect { "throttled-device", { "dps-throttled", "device-never-connected" }, false },
        Expect { "wrong-casing", { "unmodeled-capability" } }, Expect { "string-for-double", { "schema-mismatch" } },
        Expect { "undefined-property", { "unmodeled-capability" } }, Expect { "malformed-json", { "invalid-json" } },
        Expect { "duplicate-names", { "duplicate-capability" } }, Expect { "edge-gateway-old", { "edge-unmodeled" } },
        Expect { "unacknowledged-writable", { "writable-property-not-acknowledged" } },
        Expect { "rejected-writable", { "writable-property-rejected" } }, Expect { "edge-gateway-new", {} },
        Expect { "no-content-type", { "content-type-or-encoding" } },
        Expect { "latin1-encoding", { "invalid-encoding", "content-type-or-encoding" } },
        Expect { "utf16-body", { "invalid-encoding", "content-type-or-encoding" } },
        Expect { "no-such-device", { "device-not-found" }, false }, Expect { "stops-sending", { "data-stopped" } },
        Expect { "file-upload-failing", {} }, Expect { "cloud-property-tracker", {} }));

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

// A device that never connected: the diagnosis points at the probe, which acts as the device from
// the device's network (issue 16).
TEST_F(Diagnose, ANeverConnectedDeviceIsPointedAtTheProbe)
{
    const auto d = diagnose("registered-never-connected");
    ASSERT_FALSE(d.causes.empty());
    EXPECT_EQ(d.causes.front().code, QStringLiteral("device-never-connected"));
    EXPECT_TRUE(d.causes.front().mitigation.contains(QStringLiteral("iotc-diag probe DEVICE_ID --as-device")))
        << d.causes.front().mitigation.toStdString();
}

// Stale data is not "data arriving" (issue 14): stops-sending sent every half second until 90 s
// before the app started; the look-back has it, listening hears nothing.
TEST_F(Diagnose, ADeviceThatStoppedIsDataStoppedWithItsLastTimeAndInterval)
{
    const auto d = diagnose("stops-sending");
    ASSERT_FALSE(d.causes.empty());
    EXPECT_EQ(d.causes.front().code, causes::DataStopped);
    EXPECT_FALSE(hasCause(d, causes::NoData));
    ASSERT_FALSE(d.causes.front().evidence.isEmpty());
    const QString evidence = d.causes.front().evidence.front();
    EXPECT_TRUE(evidence.contains(QStringLiteral("last message at 20"))) << evidence.toStdString();
    EXPECT_TRUE(evidence.contains(QStringLiteral("usual interval about 0.5 s"))) << evidence.toStdString();
    EXPECT_TRUE(d.causes.front().mitigation.contains(QStringLiteral("network connectivity")))
        << d.causes.front().mitigation.toStdString();
    const auto* data = checkOf(d, "data");
    ASSERT_TRUE(data);
    EXPECT_EQ(data->status, DiagnosisCheck::Status::Failed);
    EXPECT_TRUE(data->summary.contains(QStringLiteral("last message at"))) << data->summary.toStdString();
    // The time is the device's last message, about 90 s before the simulated app started.
    const int at = evidence.indexOf(QStringLiteral("last message at ")) + 16;
    const auto last = QDateTime::fromString(evidence.mid(at, 20), Qt::ISODate);
    ASSERT_TRUE(last.isValid()) << evidence.toStdString();
    EXPECT_LT(last.secsTo(QDateTime::currentDateTimeUtc()), 600);
    EXPECT_GT(last.secsTo(QDateTime::currentDateTimeUtc()), 85);
}

TEST_F(Diagnose, ADeviceThatSendsReportsWhenItLastSent)
{
    const auto d = diagnose("healthy-controller");
    EXPECT_TRUE(d.healthy());
    const auto* data = checkOf(d, "data");
    ASSERT_TRUE(data);
    EXPECT_EQ(data->status, DiagnosisCheck::Status::Passed);
    EXPECT_TRUE(data->summary.contains(QStringLiteral("last message at 20"))) << data->summary.toStdString();
}

// An event stream that cannot be read is not "the device sends nothing" (issue 14): the data
// check did not run, and the cause says so.
TEST_F(Diagnose, AnUnreachableEventStreamIsItsOwnCauseNeverNoData)
{
    for (const char* authority : { "127.0.0.1:1", "nonexistent.invalid" }) {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        p.dpsEndpoint = e.dpsEndpoint;
        QString error;
        DiagnoseOptions o;
        o.eventHub = EventHubTarget::fromConnectionString(QStringLiteral("Endpoint=sb://") + QLatin1String(authority)
                + QStringLiteral("/;SharedAccessKeyName=s;SharedAccessKey=AAAA;EntityPath=x"),
            error);
        ASSERT_TRUE(o.eventHub) << error.toStdString();
        o.listenSeconds = 45;
        for (const char* device : { "healthy-controller", "registered-never-connected" }) {
            const bool registered = std::string(device) == "registered-never-connected";
            o.deviceId = QLatin1String(device);
            QElapsedTimer clock;
            clock.start();
            const auto d = Diagnoser(p, o).run();
            EXPECT_LT(clock.elapsed(), 30000) << authority << ": not the 45 s of listening";
            const auto* data = checkOf(d, "data");
            ASSERT_TRUE(data);
            EXPECT_EQ(data->status, DiagnosisCheck::Status::Skipped) << authority << " " << device;
            EXPECT_FALSE(hasCause(d, causes::NoData)) << authority << " " << device;
            if (registered) {
                // REST alone says it never connected: the stream is not even opened.
                EXPECT_EQ(causeCodes(d), std::vector<std::string> { "device-never-connected" }) << authority;
                EXPECT_TRUE(data->summary.startsWith(QStringLiteral("Not listened: device-never-connected")))
                    << data->summary.toStdString();
                EXPECT_FALSE(d.couldNotRun());
                continue;
            }
            EXPECT_TRUE(data->summary.contains(QString::fromLatin1(authority).section(QLatin1Char(':'), 0, 0)))
                << data->summary.toStdString();
            // Provisioned: nothing more fundamental, and nothing else found: the diagnosis could not run.
            EXPECT_EQ(causeCodes(d), std::vector<std::string> { "event-stream-unreachable" }) << authority;
            EXPECT_TRUE(d.couldNotRun()) << authority;
            const auto& c = d.causes.front();
            EXPECT_TRUE(c.title.contains(QStringLiteral("event stream could not be read")));
            EXPECT_TRUE(c.mitigation.contains(QStringLiteral("5671")));
            EXPECT_TRUE(c.mitigation.contains(QStringLiteral("443 (AMQP over WebSockets")));
            EXPECT_FALSE(c.evidence.join(QLatin1Char(' ')).contains(QStringLiteral("AAAA")));
        }
    }
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

// The recency rule alone, on fed histories: look-back vs live by enqueued time, the usual interval
// as the median gap between sends, and only a listen much longer than it says "stopped".
std::vector<Observation> sentAt(const std::vector<qint64>& times)
{
    std::vector<Observation> out;
    for (qint64 t : times) {
        Observation o;
        o.event.enqueuedMs = t;
        out.push_back(o);
    }
    return out;
}

TEST(Recency, SteadyLookBackAndASilentListenIsStopped)
{
    const qint64 start = 1'800'000'000'000;
    std::vector<qint64> times;
    for (int i = 0; i < 20; ++i)
        times.push_back(start - 600'000 + i * 5'000); // every 5 s, ending 505 s before listening
    times.push_back(start - 600'000 + 7'000); // an irregular one does not move the median
    const auto r = dataRecency(sentAt(times), start, 60);
    EXPECT_EQ(r.lookback, 21);
    EXPECT_EQ(r.live, 0);
    ASSERT_TRUE(r.usualIntervalSeconds);
    EXPECT_DOUBLE_EQ(*r.usualIntervalSeconds, 5.0);
    EXPECT_TRUE(r.stopped);
    EXPECT_EQ(r.lastMs, start - 600'000 + 19 * 5'000);
    EXPECT_EQ(r.lastText(), QStringLiteral("2027-01-15T07:51:35Z"));
    EXPECT_FALSE(dataRecency(sentAt(times), start, 15).stopped) << "a listen of 15 s is not > 3 x 5 s";
}

TEST(Recency, ALiveMessageOrTooFewOrBurstsAreNotStopped)
{
    const qint64 start = 1'800'000'000'000;
    EXPECT_FALSE(dataRecency(sentAt({ start - 20'000, start - 10'000, start + 1'000 }), start, 60).stopped)
        << "it sent while we listened";
    EXPECT_EQ(dataRecency(sentAt({ start - 20'000, start - 10'000, start + 1'000 }), start, 60).live, 1);
    EXPECT_EQ(dataRecency(sentAt({ start - 1'000 }), start, 60).live, 1) << "within the clocks' slack";
    EXPECT_FALSE(dataRecency(sentAt({ start - 20'000 }), start, 60).stopped) << "one message shows no interval";
    // Three messages at once (one per component) every 10 minutes: the interval is 10 minutes, not 5 ms.
    const auto bursts = dataRecency(
        sentAt({ start - 900'000, start - 899'995, start - 899'990, start - 300'000, start - 299'995 }), start, 60);
    ASSERT_TRUE(bursts.usualIntervalSeconds);
    EXPECT_NEAR(*bursts.usualIntervalSeconds, 599.99, 0.1);
    EXPECT_FALSE(bursts.stopped);
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
