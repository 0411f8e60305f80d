// The REST client, DPS check and status derivation against the simulated app over real sockets.
#include "simfixture.h"

#include "central/centralclient.h"
#include "central/queuedcontinuation.h"
#include "knowledge/knowledgebase.h"
#include "monitor/monitorpipeline.h"
#include "monitor/templateresolver.h"
#include "provisioning/devicestatus.h"
#include "provisioning/dpscheck.h"
#include "provisioning/provisioningcheck.h"
#include "sim/scenariocatalog.h"

#include <QElapsedTimer>
#include <QFile>
#include <QPromise>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

#include <atomic>

using namespace iotc;
using namespace iotc::test;

namespace {

template <class T> T wait(QFuture<T> f)
{
    f.waitForFinished();
    return f.result();
}

class CentralAgainstSim : public QuietSimSuite<CentralAgainstSim, 1000> {
protected:
    static void SetUpTestSuite()
    {
        QuietSimSuite<CentralAgainstSim, 1000>::SetUpTestSuite();
        http = std::make_shared<HttpWorker>(
            RetryPolicy { std::chrono::milliseconds(20), std::chrono::milliseconds(200) });
    }
    static void TearDownTestSuite()
    {
        http.reset();
        QuietSimSuite<CentralAgainstSim, 1000>::TearDownTestSuite();
    }
    static CentralClient client(const QString& authorization = {})
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = authorization.isEmpty() ? e.apiToken : authorization;
        p.dpsEndpoint = e.dpsEndpoint;
        return CentralClient(p, http);
    }
    static inline std::shared_ptr<HttpWorker> http;
};

TEST_F(CentralAgainstSim, DeviceAndStatusForEveryProvisioningScenario)
{
    auto c = client();
    struct Expect {
        const char* id;
        DeviceStatus status;
    };
    for (const auto& x : { Expect { "healthy-controller", DeviceStatus::Provisioned },
             Expect { "blocked-device", DeviceStatus::Blocked },
             Expect { "waiting-for-approval", DeviceStatus::BlockedOrWaitingForApproval },
             Expect { "unassigned-device", DeviceStatus::Unassigned },
             Expect { "registered-never-connected", DeviceStatus::Registered } }) {
        const auto r = wait(c.device(QLatin1String(x.id)));
        ASSERT_TRUE(r.ok()) << x.id << " " << r.error.summary().toStdString();
        EXPECT_EQ(deviceStatus(*r.value), x.status) << x.id;
        const auto& meaning = statusKnowledge(x.status);
        EXPECT_FALSE(meaning.mitigation.empty());
    }
}

TEST_F(CentralAgainstSim, ErrorsAreTypedWithTheServersDetails)
{
    auto r = wait(client().device(QStringLiteral("no-such-device")));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.kind, CentralError::Kind::Http);
    EXPECT_EQ(r.error.httpStatus, 404);
    EXPECT_EQ(r.error.code, QStringLiteral("NotFound"));
    EXPECT_FALSE(r.error.requestId.isEmpty());
    EXPECT_FALSE(r.error.time.isEmpty());
    // IoT Central's 404, in its words: never DPS's 404 entry ("check the ID scope").
    EXPECT_EQ(r.error.knowledge, nullptr);
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("not found in this application")))
        << r.error.explanation.toStdString();
    EXPECT_FALSE(r.error.summary().contains(QStringLiteral("ID scope")));
    EXPECT_EQ(r.error.attempts, 1) << "404 is not retried";

    r = wait(
        client(QStringLiteral("SharedAccessSignature sr=") + app->state().appId() + QStringLiteral("&sig=x&skn=y&se=1"))
            .device(QStringLiteral("healthy-controller")));
    EXPECT_EQ(r.error.httpStatus, 401);
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("expired"))) << r.error.explanation.toStdString();
    EXPECT_EQ(r.error.attempts, 1) << "401 is not retried";

    r = wait(client(QStringLiteral("SharedAccessSignature sr=another-app&sig=x&skn=y&se=9999999999999"))
                 .device(QStringLiteral("healthy-controller")));
    EXPECT_EQ(r.error.httpStatus, 403);
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("not a member"))) << r.error.explanation.toStdString();
}

TEST_F(CentralAgainstSim, ThrottlingHonoursRetryAfter)
{
    app->httpFaults().retryAfterSeconds = 1;
    app->httpFaults().throttleNext = 1;
    QElapsedTimer t;
    t.start();
    const auto r = wait(client().device(QStringLiteral("healthy-controller")));
    EXPECT_TRUE(r.ok()) << r.error.summary().toStdString();
    EXPECT_GE(t.elapsed(), 950) << "waited as Retry-After said";
}

TEST_F(CentralAgainstSim, ServerErrorsAreRetriedThenSucceed)
{
    app->httpFaults().failNext = 2;
    const auto before = app->httpRequests();
    const auto r = wait(client().device(QStringLiteral("healthy-controller")));
    EXPECT_TRUE(r.ok()) << r.error.summary().toStdString();
    EXPECT_EQ(app->httpRequests() - before, 3u);
}

TEST_F(CentralAgainstSim, PersistentServerErrorsGiveUpWithAnExplanation)
{
    app->httpFaults().failNext = 10;
    const auto r = wait(client().device(QStringLiteral("healthy-controller")));
    app->httpFaults().failNext = 0;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.httpStatus, 500);
    EXPECT_EQ(r.error.attempts, 4);
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("4 attempt"))) << r.error.explanation.toStdString();
}

TEST_F(CentralAgainstSim, MalformedBodyIsAnInvalidResponse)
{
    app->httpFaults().malformedNext = 1;
    const auto r = wait(client().device(QStringLiteral("healthy-controller")));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.kind, CentralError::Kind::InvalidResponse);
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("not a JSON object"))) << r.error.explanation.toStdString();
}

TEST_F(CentralAgainstSim, SlowServerTimesOut)
{
    app->httpFaults().delayMs = 1000;
    auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
    p.authorization = e.apiToken;
    p.timeoutMs = 200;
    const auto r = wait(CentralClient(p, http).device(QStringLiteral("healthy-controller")));
    app->httpFaults().delayMs = 0;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.kind, CentralError::Kind::Timeout);
    EXPECT_EQ(r.error.attempts, 4) << "timeouts are retried";
}

// A refused connection or a name that does not resolve is tried twice at most, not four times
// (issue 14), even with a policy that would retry other failures longer.
TEST_F(CentralAgainstSim, ConnectionRefusedIsExplainedAfterOneRetry)
{
    QTcpServer probe;
    ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    auto p = ConnectionProfile::forBaseUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    p.authorization = e.apiToken;
    QElapsedTimer clock;
    clock.start();
    const auto r = wait(CentralClient(p, http).device(QStringLiteral("x")));
    EXPECT_LT(clock.elapsed(), 20000) << "hang guard";
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.kind, CentralError::Kind::Network);
    EXPECT_EQ(r.error.attempts, 2) << "one retry at most";
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("refused"))) << r.error.explanation.toStdString();
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("2 attempts"))) << r.error.explanation.toStdString();
}

TEST_F(CentralAgainstSim, AHostNameThatDoesNotResolveIsTriedTwiceAtMost)
{
    // .invalid never resolves (RFC 6761); plain http is refused for it, so https.
    auto p = ConnectionProfile::forBaseUrl(QStringLiteral("https://no-such-app.invalid"));
    p.authorization = e.apiToken;
    p.timeoutMs = 5000;
    QElapsedTimer clock;
    clock.start();
    const auto r = wait(CentralClient(p, http).device(QStringLiteral("x")));
    EXPECT_LT(clock.elapsed(), 20000) << "hang guard";
    ASSERT_FALSE(r.ok());
    if (r.error.kind == CentralError::Kind::Timeout)
        GTEST_SKIP() << "this machine's resolver does not answer: " << r.error.summary().toStdString();
    EXPECT_EQ(r.error.kind, CentralError::Kind::Network) << r.error.summary().toStdString();
    EXPECT_EQ(r.error.attempts, 2) << r.error.summary().toStdString();
    EXPECT_TRUE(r.error.explanation.contains(QStringLiteral("does not resolve"))) << r.error.explanation.toStdString();
}

TEST(RetryPolicy, UnreachableHostsAreRetriedOnceOthersAsAsked)
{
    // The worker's own limits, against a refused port: maxAttempts 1 stays 1, the policy's
    // maxUnreachableAttempts bounds the rest.
    QTcpServer probe;
    ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    for (const auto& [policyAttempts, requestAttempts, expected] :
        { std::tuple { 2, 4, 2 }, std::tuple { 2, 1, 1 }, std::tuple { 3, 4, 3 } }) {
        RetryPolicy policy { std::chrono::milliseconds(10), std::chrono::milliseconds(50) };
        policy.maxUnreachableAttempts = policyAttempts;
        auto worker = std::make_shared<HttpWorker>(policy);
        HttpRequest req;
        req.url = QUrl(QStringLiteral("http://127.0.0.1:%1/api/devices").arg(port));
        req.maxAttempts = requestAttempts;
        const auto resp = wait(worker->send(req));
        EXPECT_EQ(resp.outcome, HttpResponse::Outcome::NetworkError);
        EXPECT_EQ(resp.unreachable, HttpResponse::Unreachable::Refused);
        EXPECT_EQ(resp.attempts, expected) << policyAttempts << " " << requestAttempts;
    }
    EXPECT_EQ(RetryPolicy {}.maxUnreachableAttempts, 2) << "the default: one retry";
}

TEST_F(CentralAgainstSim, DeviceListStreamsPagesAndCanStop)
{
    std::atomic<int> pages { 0 };
    std::atomic<qint64> seen { 0 };
    auto r = wait(client().listDevices([&](const QList<Device>& page) {
        ++pages;
        seen += page.size();
        return true;
    }));
    ASSERT_TRUE(r.ok()) << r.error.summary().toStdString();
    EXPECT_EQ(*r.value, e.devices);
    EXPECT_EQ(seen.load(), e.devices);
    EXPECT_EQ(pages.load(), (e.devices + 99) / 100);

    pages = 0;
    r = wait(client().listDevices([&](const QList<Device>&) { return ++pages < 2; }));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r.value, 200) << "stopped after the second page";
}

TEST_F(CentralAgainstSim, TemplateCacheSharesOneRequest)
{
    auto c = client();
    const auto before = app->httpRequests();
    auto a = c.deviceTemplate(QStringLiteral("dtmi:com:example:TemperatureController;2"));
    auto b = c.deviceTemplate(QStringLiteral("dtmi:com:example:TemperatureController;2"));
    const auto ra = wait(a);
    const auto rb = wait(b);
    ASSERT_TRUE(ra.ok()) << ra.error.summary().toStdString();
    ASSERT_TRUE(rb.ok());
    EXPECT_EQ(ra.value->value(QStringLiteral("@id")), rb.value->value(QStringLiteral("@id")));
    wait(c.deviceTemplate(QStringLiteral("dtmi:com:example:TemperatureController;2")));
    EXPECT_EQ(app->httpRequests() - before, 1u);
    const auto missing = wait(c.deviceTemplate(QStringLiteral("dtmi:no:such;1")));
    EXPECT_EQ(missing.error.httpStatus, 404);
}

TEST_F(CentralAgainstSim, BlockAndUnblockThroughPatch)
{
    auto c = client();
    auto r = wait(c.setDeviceEnabled(QStringLiteral("sim-device-000042"), false));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(deviceStatus(*r.value), DeviceStatus::Blocked);
    r = wait(c.setDeviceEnabled(QStringLiteral("sim-device-000042"), true));
    EXPECT_EQ(deviceStatus(*r.value), DeviceStatus::Provisioned);
}

TEST_F(CentralAgainstSim, DpsAnswersAreReportedFaithfully)
{
    auto c = client();
    struct Expect {
        const char* id;
        int httpStatus;
        std::optional<int> errorCode;
        const char* status;
    };
    for (const auto& x : { Expect { "healthy-controller", 200, std::nullopt, "assigned" },
             Expect { "expired-credentials", 401, 401002, "" }, Expect { "blocked-device", 401, 400209, "" },
             Expect { "registered-never-connected", 404, 404201, "" },
             Expect { "throttled-device", 429, 429001, "" } }) {
        const auto creds = wait(c.credentials(QLatin1String(x.id)));
        ASSERT_TRUE(creds.ok()) << x.id;
        const auto key = creds.value->value(QStringLiteral("symmetricKey"))
                             .toObject()
                             .value(QStringLiteral("primaryKey"))
                             .toString();
        const auto a = wait(checkDpsRegistration(http, e.dpsEndpoint,
            creds.value->value(QStringLiteral("idScope")).toString(), QLatin1String(x.id), key.toLatin1()));
        ASSERT_TRUE(a.reached()) << x.id << a.transportError.summary().toStdString();
        EXPECT_EQ(a.httpStatus, x.httpStatus) << x.id;
        // What it means is DPS's own entry: 429001 in a DPS body is still the guide's DPS 429.
        if (const KnowledgeEntry* meaning = dpsKnowledge(a)) {
            EXPECT_EQ(meaning->kind, "dps") << x.id;
            EXPECT_EQ(meaning->code, x.httpStatus == 429 ? "429" : std::to_string(*x.errorCode)) << x.id;
        } else {
            EXPECT_FALSE(x.errorCode) << x.id;
        }
        EXPECT_EQ(a.errorCode, x.errorCode) << x.id;
        EXPECT_EQ(a.status.toStdString(), x.status) << x.id;
        if (x.errorCode)
            EXPECT_FALSE(a.errorMessage.isEmpty()) << x.id;
        else
            EXPECT_TRUE(a.assignedHub.endsWith(QStringLiteral(".azure-devices.net")));
    }
}

// Without a DPS endpoint, the devices of an application that is not on azureiotcentral.com are not
// looked up at the global DPS endpoint (it does not know them, and their keys are not sent there);
// with one, they are.
TEST_F(CentralAgainstSim, DpsIsNotAskedForANonAzureApplicationWithoutAnEndpoint)
{
    auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
    p.authorization = e.apiToken;
    ASSERT_EQ(p.dpsEndpoint, QStringLiteral("https://global.azure-devices-provisioning.net"));
    CentralClient c(p, http);
    const auto report = checkProvisioning(c, QStringLiteral("healthy-controller"));
    ASSERT_TRUE(report.ok()) << report.error.summary().toStdString();
    EXPECT_FALSE(report.dps) << "DPS was not asked";
    EXPECT_EQ(report.credentialType, QStringLiteral("Shared access key")) << "what REST says is still there";
    EXPECT_TRUE(report.dpsNote.startsWith(QStringLiteral("DPS not checked: the application (127.0.0.1)")))
        << report.dpsNote.toStdString();
    EXPECT_TRUE(report.dpsNote.contains(QStringLiteral("--dps-endpoint"))) << report.dpsNote.toStdString();

    auto withEndpoint = client();
    const auto asked = checkProvisioning(withEndpoint, QStringLiteral("healthy-controller"));
    ASSERT_TRUE(asked.dps);
    EXPECT_EQ(asked.dps->status, QStringLiteral("assigned"));
}

TEST(AzureCli, BearerTokenAndItsFailures)
{
    QTemporaryDir dir;
    auto script = [&](const char* name, const char* body) {
        const QString path = dir.filePath(QLatin1String(name));
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(body);
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return path;
    };
    QString error;
    const QString good = script("az-ok",
        "#!/bin/sh\necho '{\"accessToken\": \"eyJ.fake.token\", \"expiresOn\": \"2026-11-26 10:00:00.000000\"}'\n");
    EXPECT_EQ(bearerTokenFromAzureCli(error, 10000, good), QStringLiteral("Bearer eyJ.fake.token"));
    const QString loggedOut
        = script("az-out", "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n");
    EXPECT_TRUE(bearerTokenFromAzureCli(error, 10000, loggedOut).isEmpty());
    EXPECT_TRUE(error.contains(QStringLiteral("not signed in"))) << error.toStdString();
    EXPECT_TRUE(bearerTokenFromAzureCli(error, 10000, dir.filePath(QStringLiteral("missing-az"))).isEmpty());
    EXPECT_TRUE(error.contains(QStringLiteral("not installed"))) << error.toStdString();
}

} // namespace

TEST_F(CentralAgainstSim, AListingThatOutlivesItsClientEndsCleanly)
{
    // The client (and with it the last other owner of its HTTP worker) is gone before the listing
    // ends: the worker is then released on its own thread, which must neither deadlock nor crash.
    QFuture<Result<qint64>> listing;
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        auto own = std::make_shared<CentralClient>(p);
        listing = own->listDevices([](const QList<Device>&) { return true; });
    }
    const auto r = wait(listing);
    ASSERT_TRUE(r.ok()) << r.error.summary().toStdString();
    EXPECT_GT(*r.value, 20);
}

TEST_F(CentralAgainstSim, ABatchOfNewDevicesIsLookedUpTogetherWithTheSameAnswers)
{
    // Every scenario device (unassigned, unknown, Edge gateways old and new, ...), a hundred
    // healthy ones and one the app does not know: prepared together, then asked one by one, the
    // answers are those of asking one by one from the start, and asking costs no more requests.
    std::vector<QString> ids;
    for (const auto& d : sim::ScenarioCatalog::builtIn().devices)
        ids.push_back(d.id);
    for (int i = 1; i <= 100; ++i)
        ids.push_back(QStringLiteral("sim-device-%1").arg(i, 6, 10, QLatin1Char('0')));
    ids.push_back(QStringLiteral("no-such-device"));
    ids.push_back(ids.front()); // twice in one batch: asked once

    TemplateResolver prepared(std::make_shared<CentralClient>(client()));
    const auto beforePrepare = app->httpRequests();
    prepared.prepare(ids);
    const auto afterPrepare = app->httpRequests();
    EXPECT_GE(afterPrepare - beforePrepare, 100u) << "a request per new device, at least";
    for (const auto& id : ids)
        prepared.forDevice(id);
    EXPECT_EQ(app->httpRequests(), afterPrepare) << "every answer was kept from the batch";
    TemplateResolver oneByOne(std::make_shared<CentralClient>(client()));
    for (const auto& id : ids) {
        const auto a = prepared.forDevice(id);
        const auto b = oneByOne.forDevice(id);
        SCOPED_TRACE(id.toStdString());
        EXPECT_EQ(a.templateId, b.templateId);
        EXPECT_EQ(a.problem.has_value(), b.problem.has_value());
        if (a.problem && b.problem) {
            EXPECT_EQ(a.problem->code, b.problem->code);
        }
        EXPECT_EQ(a.validator != nullptr, b.validator != nullptr);
        EXPECT_EQ(a.edgeRuntimeVersion, b.edgeRuntimeVersion);
    }
    const auto unknown = prepared.forDevice(QStringLiteral("no-such-device"));
    ASSERT_TRUE(unknown.problem);
    EXPECT_EQ(unknown.problem->code, "device-not-found");
    const auto edge = prepared.forDevice(QStringLiteral("edge-gateway-old"));
    EXPECT_TRUE(edge.edgeRuntimeVersion) << "the gateway's runtime was read with the rest";
}

TEST_F(CentralAgainstSim, APassingFailureIsAskedOncePerBatchAndAgainInTheNext)
{
    auto telemetry = [](int n) {
        std::vector<TelemetryEvent> events;
        for (int i = 0; i < n; ++i) {
            TelemetryEvent e;
            e.deviceId = QStringLiteral("sim-device-000777");
            e.messageSource = QStringLiteral("Telemetry");
            e.contentType = QStringLiteral("application/json");
            e.contentEncoding = QStringLiteral("utf-8");
            e.body = "{\"temperature\": 21.5}";
            events.push_back(std::move(e));
        }
        return events;
    };
    // What one failing lookup costs (the client retries a 500 a few times).
    app->httpFaults().failNext = 1000;
    auto before = app->httpRequests();
    EXPECT_FALSE(wait(client().device(QStringLiteral("sim-device-000778"))).ok());
    const auto oneLookup = app->httpRequests() - before;

    MonitorPipeline pipeline(std::make_shared<TemplateResolver>(std::make_shared<CentralClient>(client())));
    before = app->httpRequests();
    const auto failing = pipeline.process(telemetry(20));
    app->httpFaults().failNext = 0;
    EXPECT_EQ(app->httpRequests() - before, oneLookup) << "twenty events, one lookup";
    ASSERT_EQ(failing.size(), 20u);
    for (const auto& o : failing) {
        ASSERT_EQ(o.issues.size(), 1u);
        EXPECT_EQ(o.issues.front().code, "template-unavailable");
    }
    const auto next = pipeline.process(telemetry(3));
    for (const auto& o : next) {
        EXPECT_FALSE(o.templateId.isEmpty()) << "asked again, and answered";
        for (const auto& i : o.issues)
            EXPECT_NE(i.code, "template-unavailable");
    }
}

// The flaky Workbench property tests: a PATCH on loopback was sometimes answered before the GUI
// attached its continuation, and then(context, ...) ran that continuation inside the call, so
// the pane's sent() came before the caller started waiting for it.
TEST(QueuedContinuation, RunsOnALaterTurnEvenWhenTheFutureHasAlreadyFinished)
{
    QPromise<int> promise;
    promise.start();
    promise.addResult(7);
    promise.finish();
    QObject context;
    int calls = 0, got = -1;
    QThread* ranOn = nullptr;
    thenQueued(promise.future(), &context, [&](int value) {
        ++calls;
        got = value;
        ranOn = QThread::currentThread();
    });
    EXPECT_EQ(calls, 0) << "ran inside the call that attached it";
    ASSERT_TRUE(QTest::qWaitFor([&] { return calls > 0; }, 5000));
    QCoreApplication::processEvents(); // whatever else was posted: nothing may call it again
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(got, 7);
    EXPECT_EQ(ranOn, context.thread());
}

TEST(QueuedContinuation, NothingRunsForAGoneContextOrAFutureWithoutAResult)
{
    int calls = 0;
    QPromise<int> finished;
    finished.start();
    finished.addResult(1);
    finished.finish();
    auto* gone = new QObject;
    thenQueued(finished.future(), gone, [&](int) { ++calls; });
    delete gone;
    QPromise<int> cancelled;
    cancelled.start();
    cancelled.future().cancel();
    cancelled.finish();
    QObject context;
    bool voidRan = false;
    thenQueued(cancelled.future(), &context, [&](int) { ++calls; });
    QPromise<void> done;
    done.start();
    done.finish();
    thenQueued(done.future(), &context, [&] { voidRan = true; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return voidRan; }, 5000));
    QCoreApplication::processEvents(); // the other two were posted before the void one
    EXPECT_EQ(calls, 0);
}

TEST_F(CentralAgainstSim, APatchAnsweredBeforeItsContinuationIsAttachedIsDeliveredOnALaterTurn)
{
    auto c = client();
    auto patch = c.setProperties(QStringLiteral("healthy-controller"),
        QJsonObject {
            { QStringLiteral("thermostat1"), QJsonObject { { QStringLiteral("targetTemperature"), 21.5 } } } });
    patch.waitForFinished(); // what a preempted GUI thread saw: the answer is in before then() is called
    QObject pane;
    int calls = 0;
    bool ok = false;
    thenQueued(patch, &pane, [&](const Result<QJsonObject>& r) {
        ++calls;
        ok = r.ok();
    });
    EXPECT_EQ(calls, 0) << "the answer was delivered inside the call, before its caller could wait for it";
    ASSERT_TRUE(QTest::qWaitFor([&] { return calls > 0; }, 5000));
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(ok);
}
