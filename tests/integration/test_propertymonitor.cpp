// The property monitor and validate-properties against the simulator's property scenarios.
#include "simfixture.h"

#include "central/centralclient.h"
#include "properties/propertymonitor.h"

#include <QJsonArray>
#include <QProcess>
#include <QTest>
#include <gtest/gtest.h>

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
