// `iotc-diag sim` as a support engineer runs it: one JSON line when ready, serves, stops on SIGTERM.
#include "simfixture.h"

#include <QJsonArray>
#include <QProcess>
#include <gtest/gtest.h>

#include <csignal>

using namespace iotc::test;

TEST(SimCommand, PrintsEndpointsServesAndStopsOnSigterm)
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("sim"), QStringLiteral("--devices"), QStringLiteral("250"), QStringLiteral("--rate"),
            QStringLiteral("0"), QStringLiteral("--page-size"), QStringLiteral("50") });
    ASSERT_TRUE(p.waitForStarted(10000));
    ASSERT_TRUE(p.waitForReadyRead(20000)) << p.readAllStandardError().toStdString();
    const QByteArray line = p.readLine();
    const auto json = QJsonDocument::fromJson(line).object();
    for (const char* key :
        { "baseUrl", "apiToken", "bearerToken", "dpsEndpoint", "idScope", "eventHubConnectionString", "devices" })
        EXPECT_TRUE(json.contains(QLatin1String(key))) << key;
    EXPECT_GT(json.value(QStringLiteral("devices")).toInt(), 250);
    EXPECT_TRUE(json.value(QStringLiteral("eventHubConnectionString"))
                    .toString()
                    .startsWith(QStringLiteral("Endpoint=sb://127.0.0.1:")));

    QUrl url(json.value(QStringLiteral("baseUrl")).toString() + QStringLiteral("/api/devices?api-version=2022-07-31"));
    const auto r = http("GET", url, json.value(QStringLiteral("apiToken")).toString());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json.value(QStringLiteral("value")).toArray().size(), 50) << "--page-size is honoured";

    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(p.exitCode(), 0);
}

TEST(SimCommand, BadArgumentsExitTwo)
{
    QProcess p;
    p.start(
        QStringLiteral(IOTC_DIAG_PATH), { QStringLiteral("sim"), QStringLiteral("--rate"), QStringLiteral("fast") });
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitCode(), 2);
    EXPECT_FALSE(p.readAllStandardError().isEmpty());
    p.start(QStringLiteral(IOTC_DIAG_PATH),
        { QStringLiteral("sim"), QStringLiteral("--scenario"), QStringLiteral("/nonexistent.json") });
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitCode(), 2);
    EXPECT_NE(p.readAllStandardError().indexOf("scenario"), -1);
}
