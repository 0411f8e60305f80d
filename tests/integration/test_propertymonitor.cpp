// The property monitor and validate-properties against the simulator's property scenarios.
#include "../hostile/hostilehttpserver.h"
#include "simfixture.h"

#include "central/centralclient.h"
#include "properties/propertymonitor.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QTest>
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <string>
#include <sys/types.h>

using namespace iotc;

namespace {

class Properties : public test::QuietSimSuite<Properties> {
protected:
    static std::shared_ptr<CentralClient> client()
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        return std::make_shared<CentralClient>(p);
    }
};

TEST_F(Properties, UnacknowledgedWritableGoesFromPendingToStale)
{
    PropertyMonitor monitor(client(), QStringLiteral("unacknowledged-writable"));
    monitor.setInterval(100);
    monitor.setStaleAfter(300);
    QList<PropertyChange> all;
    QObject::connect(&monitor, &PropertyMonitor::updated, &monitor,
        [&](const PropertySnapshot&, const QList<PropertyChange>& changes) { all += changes; });
    monitor.start();
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto* p = monitor.snapshot().find(QStringLiteral("thermostat1.targetTemperature"));
            return p && p->sync == SyncState::Stale;
        },
        5000));
    bool sawPending = false, sawStale = false;
    for (const auto& c : all) {
        if (c.after.key() == QStringLiteral("thermostat1.targetTemperature")) {
            sawPending = sawPending || c.after.sync == SyncState::Pending;
            sawStale = sawStale || (c.kind == PropertyChange::Kind::SyncChanged && c.after.sync == SyncState::Stale);
        }
    }
    EXPECT_TRUE(sawPending);
    EXPECT_TRUE(sawStale);
    EXPECT_EQ(monitor.snapshot().find(QStringLiteral("thermostat1.targetTemperature"))->desiredVersion, 5);
}

TEST_F(Properties, AcceptedAndRejected)
{
    for (const auto& [device, state] : { std::pair { "healthy-controller", SyncState::Accepted },
             std::pair { "rejected-writable", SyncState::Rejected } }) {
        PropertyMonitor monitor(client(), QLatin1String(device));
        monitor.start();
        ASSERT_TRUE(QTest::qWaitFor([&] { return monitor.polls() > 0; }, 5000)) << device;
        const auto* p = monitor.snapshot().find(QStringLiteral("thermostat1.targetTemperature"));
        ASSERT_TRUE(p) << device;
        EXPECT_EQ(p->sync, state) << device;
    }
}

TEST_F(Properties, PollFailuresAreReported)
{
    auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
    p.authorization = QStringLiteral("Bearer wrong");
    PropertyMonitor monitor(std::make_shared<CentralClient>(p), QStringLiteral("healthy-controller"));
    QSignalSpy failed(&monitor, &PropertyMonitor::pollFailed);
    monitor.start();
    ASSERT_TRUE(failed.wait(5000));
    EXPECT_EQ(failed.at(0).at(0).value<CentralError>().httpStatus, 403);
}

// Issue 14: polling stops at the first failure that polling again cannot mend.
TEST_F(Properties, RefusedCredentialsEndTheCommandPromptly)
{
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("monitor-properties"), QStringLiteral("healthy-controller"), QStringLiteral("--base-url"),
            e.baseUrl, QStringLiteral("--token"), QStringLiteral("SharedAccessSignature sr=x&sig=wrong&se=1&skn=k"),
            QStringLiteral("--interval"), QStringLiteral("0.2") });
    ASSERT_TRUE(p.waitForFinished(30000)) << "no --timeout: it ends by itself";
    const std::string err = p.readAllStandardError().toStdString();
    EXPECT_EQ(p.exitCode(), 2) << err;
    EXPECT_LT(clock.elapsed(), 20000);
    EXPECT_NE(err.find("stopped polling healthy-controller: the credentials were refused"), std::string::npos) << err;
    EXPECT_NE(err.find("1 poll(s), 1 failed."), std::string::npos) << "one poll, not one per interval: " << err;
    EXPECT_TRUE(p.readAllStandardOutput().isEmpty());
}

TEST(PollFailures, WhichOnesEndPolling)
{
    const auto http = [](int status) {
        CentralError e;
        e.kind = CentralError::Kind::Http;
        e.httpStatus = status;
        return e;
    };
    const auto kind = [](CentralError::Kind k) {
        CentralError e;
        e.kind = k;
        return e;
    };
    for (const int status : { 400, 401, 403, 404, 410 })
        EXPECT_TRUE(finalPollFailure(http(status))) << status;
    for (const int status : { 408, 429, 500, 502, 503, 504 })
        EXPECT_FALSE(finalPollFailure(http(status))) << status;
    EXPECT_EQ(finalPollFailure(http(404)), QStringLiteral("not found in this application"));
    EXPECT_EQ(finalPollFailure(http(401)), QStringLiteral("the credentials were refused"));
    EXPECT_TRUE(finalPollFailure(kind(CentralError::Kind::Network)));
    EXPECT_TRUE(finalPollFailure(kind(CentralError::Kind::Credentials)));
    EXPECT_FALSE(finalPollFailure(kind(CentralError::Kind::Timeout)));
    EXPECT_FALSE(finalPollFailure(kind(CentralError::Kind::InvalidResponse)));
}

struct Ended {
    int exitCode = -1;
    std::string out;
    std::string err;
    qint64 ms = 0;
};

Ended monitorProperties(const QStringList& args, int limitMs = 40000)
{
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(IOTC_DIAG_PATH), QStringList { QStringLiteral("monitor-properties") } + args);
    EXPECT_TRUE(p.waitForFinished(limitMs)) << args.join(QLatin1Char(' ')).toStdString();
    return { p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString(),
        clock.elapsed() };
}

TEST(MonitorPropertiesCommand, UnknownDeviceEndsPromptly)
{
    const auto r = monitorProperties({ QStringLiteral("no-such-device"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_LT(r.ms, 20000);
    EXPECT_NE(r.err.find("stopped polling no-such-device: not found in this application"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("404"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 poll(s), 1 failed."), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("component properties"), std::string::npos) << "no template note for a missing device";
}

TEST(MonitorPropertiesCommand, UnreachableApplicationEndsAfterItsRetry)
{
    const auto r = monitorProperties({ QStringLiteral("dev1"), QStringLiteral("--base-url"),
        QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--token"), QStringLiteral("t") });
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_LT(r.ms, 30000);
    EXPECT_NE(r.err.find("stopped polling dev1: the application cannot be reached"), std::string::npos) << r.err;
}

// A 503 says nothing of the next poll: each failure is reported and polling goes on until --timeout.
TEST(MonitorPropertiesCommand, TransientFailuresAreReportedAndPollingGoesOn)
{
    iotc::hostile::HostileHttpServer server([](const QByteArray&) {
        return iotc::hostile::ScriptedReply::answer(
            503, R"({"error":{"code":"ServiceUnavailable","message":"busy","requestId":"r"}})", "Retry-After: 0\r\n");
    });
    ASSERT_TRUE(server.listening());
    const auto r = monitorProperties({ QStringLiteral("dev1"), QStringLiteral("--base-url"), server.baseUrl(),
        QStringLiteral("--token"), QStringLiteral("t"), QStringLiteral("--interval"), QStringLiteral("0.2"),
        QStringLiteral("-t"), QStringLiteral("3") });
    EXPECT_GE(r.ms, 2800) << "it ran until --timeout\n" << r.err;
    EXPECT_EQ(r.err.find("stopped"), std::string::npos) << r.err;
    size_t reported = 0;
    for (size_t at = r.err.find("poll failed (polling goes on): 503"); at != std::string::npos;
         at = r.err.find("poll failed (polling goes on): 503", at + 1))
        ++reported;
    EXPECT_GE(reported, 2u) << r.err;
    EXPECT_EQ(r.exitCode, 2) << "no poll was answered: " << r.err;
}

// The device disappears (404) after polls were answered: the run ends, exit 1 (the watch ran).
TEST(MonitorPropertiesCommand, AFinalFailureAfterAnsweredPollsExitsOne)
{
    std::atomic<int> propertyPolls { 0 };
    iotc::hostile::HostileHttpServer server([&](const QByteArray& head) {
        const QByteArray notFound
            = R"({"error":{"code":"NotFound","message":"Device dev1 not found.","requestId":"r"}})";
        if (!head.contains("/properties"))
            return iotc::hostile::ScriptedReply::answer(404, notFound); // no device for the template lookup
        if (++propertyPolls <= 2)
            return iotc::hostile::ScriptedReply::answer(200, R"({"serialNumber":"SN-1"})");
        return iotc::hostile::ScriptedReply::answer(404, notFound);
    });
    ASSERT_TRUE(server.listening());
    const auto r = monitorProperties({ QStringLiteral("dev1"), QStringLiteral("--base-url"), server.baseUrl(),
        QStringLiteral("--token"), QStringLiteral("t"), QStringLiteral("--interval"), QStringLiteral("0.2") });
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("stopped polling dev1: not found in this application"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("3 poll(s), 1 failed."), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("serialNumber"), std::string::npos) << r.out;
    EXPECT_EQ(propertyPolls.load(), 3) << "no poll after the final failure";
}

// --output text: one readable line per change; a rejected value says what to do.
TEST(MonitorPropertiesCommand, TextIsOneLinePerChange)
{
    const auto r = monitorProperties({ QStringLiteral("rejected-writable"), QStringLiteral("--demo"),
        QStringLiteral("-t"), QStringLiteral("1"), QStringLiteral("--output"), QStringLiteral("text") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out.find('{'), std::string::npos) << "no JSON: " << r.out;
    std::string target;
    std::string after;
    size_t start = 0;
    int changes = 0;
    while (start < r.out.size()) {
        const size_t end = r.out.find('\n', start);
        const std::string line = r.out.substr(start, end - start);
        if (line.find("  added  ") != std::string::npos)
            ++changes;
        if (!target.empty() && after.empty())
            after = line;
        if (line.find("thermostat1.targetTemperature") != std::string::npos)
            target = line;
        start = end + 1;
    }
    EXPECT_GE(changes, 3) << r.out;
    EXPECT_NE(target.find("desired 95 (v3)"), std::string::npos) << target;
    EXPECT_NE(target.find("sync rejected (ack 400 v3"), std::string::npos) << target;
    EXPECT_EQ(after.rfind("    What to do: ", 0), 0u) << after;
}

struct Run {
    int exitCode;
    QJsonObject json;
};

Run validateProperties(const char* device)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("validate-properties"), QLatin1String(device), QStringLiteral("--demo") });
    EXPECT_TRUE(p.waitForFinished(60000));
    return { p.exitCode(), QJsonDocument::fromJson(p.readAllStandardOutput()).object() };
}

QStringList codes(const QJsonObject& o)
{
    QStringList out;
    for (const auto& i : o.value(QStringLiteral("issues")).toArray())
        out << i.toObject().value(QStringLiteral("code")).toString();
    return out;
}

TEST(ValidateProperties, EachPropertyScenario)
{
    auto r = validateProperties("healthy-controller");
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(codes(r.json).isEmpty()) << codes(r.json).join(QLatin1Char(',')).toStdString();
    r = validateProperties("undefined-property");
    EXPECT_EQ(codes(r.json), QStringList { QStringLiteral("unmodeled-capability") });
    r = validateProperties("rejected-writable");
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(codes(r.json), QStringList { QStringLiteral("writable-property-rejected") });
    r = validateProperties("unacknowledged-writable");
    EXPECT_EQ(codes(r.json), QStringList { QStringLiteral("writable-property-not-acknowledged") });
}

TEST(MonitorPropertiesCommand, FirstLineListsEveryPropertyWithItsSyncState)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("monitor-properties"), QStringLiteral("rejected-writable"), QStringLiteral("--demo"),
            QStringLiteral("--timeout"), QStringLiteral("3"), QStringLiteral("--interval"), QStringLiteral("1") });
    ASSERT_TRUE(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 0) << err.toStdString();
    EXPECT_TRUE(err.contains(" failed.")) << "the closing poll count is printed";
    const QByteArray first = p.readAllStandardOutput().split('\n').front();
    QString sync;
    for (const auto& c : QJsonDocument::fromJson(first).object().value(QStringLiteral("changes")).toArray()) {
        const auto o = c.toObject();
        if (o.value(QStringLiteral("property")).toString() == QLatin1String("thermostat1.targetTemperature"))
            sync = o.value(QStringLiteral("after")).toObject().value(QStringLiteral("sync")).toString();
    }
    EXPECT_EQ(sync, QStringLiteral("rejected")) << first.toStdString();
}

// Ctrl-C or SIGTERM ends a run without --timeout the way its deadline would: the closing poll
// count on stderr, exit 0 (polls answered).
TEST(MonitorPropertiesCommand, InterruptEndsWithTheSummary)
{
    for (const int sig : { SIGINT, SIGTERM }) {
        QProcess p;
        p.start(QStringLiteral(IOTC_DIAG_PATH),
            { QStringLiteral("monitor-properties"), QStringLiteral("healthy-controller"), QStringLiteral("--demo"),
                QStringLiteral("--interval"), QStringLiteral("0.2") });
        ASSERT_TRUE(p.waitForStarted(10000));
        QByteArray out;
        while (!out.contains('\n') && p.state() == QProcess::Running && p.waitForReadyRead(30000))
            out += p.readAllStandardOutput();
        ASSERT_TRUE(out.contains('\n')) << "the first change line, before the signal: "
                                        << p.readAllStandardError().toStdString();
        EXPECT_FALSE(QJsonDocument::fromJson(out.split('\n').front())
                         .object()
                         .value(QStringLiteral("changes"))
                         .toArray()
                         .isEmpty())
            << out.toStdString();
        ::kill(static_cast<pid_t>(p.processId()), sig);
        ASSERT_TRUE(p.waitForFinished(30000)) << "signal " << sig << " ended the run";
        const std::string err = p.readAllStandardError().toStdString();
        EXPECT_EQ(p.exitStatus(), QProcess::NormalExit) << sig;
        EXPECT_EQ(p.exitCode(), 0) << sig << "\n" << err;
        const auto summary = err.find(" poll(s), 0 failed.\n");
        ASSERT_NE(summary, std::string::npos) << sig << "\n" << err;
        const auto start = err.rfind('\n', summary);
        const int polls = std::stoi(err.substr(start == std::string::npos ? 0 : start + 1));
        EXPECT_GE(polls, 1) << err;
    }
}

} // namespace
