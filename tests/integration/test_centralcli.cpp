// The online iotc-diag commands against the in-process demo app (--demo), as a user runs them.
#include "simfixture.h"

#include <QJsonArray>
#include <QProcess>
#include <gtest/gtest.h>

namespace {

struct Run {
    int exitCode = -1;
    QJsonObject json;
    QByteArray out;
    QByteArray err;
};

Run diag(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForFinished(60000));
    Run r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.json = QJsonDocument::fromJson(r.out).object();
    return r;
}

TEST(CentralCommands, DevicesWithStatusFilter)
{
    const auto r = diag(
        { QStringLiteral("devices"), QStringLiteral("--demo"), QStringLiteral("--status"), QStringLiteral("blocked") });
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    const auto devices = r.json.value(QStringLiteral("devices")).toArray();
    ASSERT_EQ(r.json.value(QStringLiteral("count")).toInt(), devices.size());
    ASSERT_EQ(devices.size(), 1);
    const auto d = devices[0].toObject();
    EXPECT_EQ(d.value(QStringLiteral("id")).toString(), QStringLiteral("blocked-device"));
    for (const char* key : { "id", "displayName", "template", "enabled", "provisioned", "simulated", "status" })
        EXPECT_TRUE(d.contains(QLatin1String(key))) << key;
}

TEST(CentralCommands, RegistrationInfoForABlockedDevice)
{
    const auto r
        = diag({ QStringLiteral("registration-info"), QStringLiteral("blocked-device"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("blocked"));
    EXPECT_FALSE(r.json.value(QStringLiteral("mitigation")).toString().isEmpty());
    const auto dps = r.json.value(QStringLiteral("dps")).toObject();
    EXPECT_EQ(dps.value(QStringLiteral("errorCode")).toInt(), 400209) << "the DPS error is reported, not swallowed";
    QStringList codes;
    for (const auto& f : r.json.value(QStringLiteral("findings")).toArray())
        codes << f.toObject().value(QStringLiteral("code")).toString();
    EXPECT_TRUE(codes.contains(QStringLiteral("blocked")));
    EXPECT_TRUE(codes.contains(QStringLiteral("400209")));
}

TEST(CentralCommands, RegistrationInfoSaysBlockedOrWaitingHonestly)
{
    const auto r = diag(
        { QStringLiteral("registration-info"), QStringLiteral("waiting-for-approval"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("blocked-or-waiting-for-approval"));
    EXPECT_TRUE(r.json.value(QStringLiteral("description")).toString().contains(QStringLiteral("cannot tell"))
        || r.json.value(QStringLiteral("description")).toString().contains(QStringLiteral("the same way")));
}

TEST(CentralCommands, RegistrationInfoHealthyAndExpiredCredentials)
{
    auto r
        = diag({ QStringLiteral("registration-info"), QStringLiteral("healthy-controller"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 0) << r.out.toStdString();
    EXPECT_EQ(r.json.value(QStringLiteral("dps")).toObject().value(QStringLiteral("status")).toString(),
        QStringLiteral("assigned"));
    EXPECT_TRUE(r.json.value(QStringLiteral("findings")).toArray().isEmpty());
    r = diag({ QStringLiteral("registration-info"), QStringLiteral("expired-credentials"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.json.value(QStringLiteral("dps")).toObject().value(QStringLiteral("errorCode")).toInt(), 401002);
}

TEST(CentralCommands, DeviceAndTemplateShowAndErrors)
{
    auto r = diag({ QStringLiteral("device"), QStringLiteral("show"), QStringLiteral("unassigned-device"),
        QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("unassigned"));
    r = diag({ QStringLiteral("template"), QStringLiteral("show"),
        QStringLiteral("dtmi:com:example:TemperatureController;2"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.json.value(QStringLiteral("capabilityModel")).isObject());
    r = diag({ QStringLiteral("device"), QStringLiteral("show"), QStringLiteral("nope"), QStringLiteral("--demo") });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("404")) << r.err.toStdString();
    r = diag({ QStringLiteral("devices") });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("--app")) << r.err.toStdString();
}

TEST(KnowledgeCommands, ExplainAndScanLog)
{
    auto r = diag({ QStringLiteral("explain"), QStringLiteral("401002") });
    EXPECT_EQ(r.exitCode, 0);
    const auto entries = r.json.value(QStringLiteral("entries")).toArray();
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].toObject().value(QStringLiteral("code")).toString(), QStringLiteral("401002"));
    r = diag({ QStringLiteral("explain"), QStringLiteral("nothing-like-this") });
    EXPECT_EQ(r.exitCode, 1);
    r = diag({ QStringLiteral("scan-log"), QString::fromStdString(std::string(IOTC_TEST_DATA_DIR "/logs/c-sdk.log")) });
    EXPECT_EQ(r.exitCode, 1);
    const auto findings = r.json.value(QStringLiteral("findings")).toArray();
    ASSERT_EQ(findings.size(), 1);
    const auto f = findings[0].toObject();
    EXPECT_EQ(f.value(QStringLiteral("code")).toString(), QStringLiteral("401002"));
    EXPECT_EQ(f.value(QStringLiteral("line")).toInt(), 4);
    for (const char* key : { "line", "text", "code", "title", "explanation", "mitigation", "severity" })
        EXPECT_TRUE(f.contains(QLatin1String(key))) << key;
    r = diag(
        { QStringLiteral("scan-log"), QString::fromStdString(std::string(IOTC_TEST_DATA_DIR "/logs/healthy.log")) });
    EXPECT_EQ(r.exitCode, 0);
}

} // namespace
