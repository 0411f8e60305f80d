// The IoT Edge runtime version, read from the system modules' images as IoT Central lists them.
#include "central/edgeruntime.h"
#include "validate/edgeruntimerule.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <gtest/gtest.h>

using iotc::EdgeRuntime;
using iotc::edgeRuntimeFromModules;

namespace {

QJsonObject modules(const QString& agent, const QString& hub)
{
    QJsonArray list;
    if (!agent.isNull())
        list.append(QJsonObject { { QStringLiteral("moduleId"), QStringLiteral("$edgeAgent") },
            { QStringLiteral("settings"), QJsonObject { { QStringLiteral("image"), agent } } } });
    if (!hub.isNull())
        list.append(QJsonObject { { QStringLiteral("moduleId"), QStringLiteral("$edgeHub") },
            { QStringLiteral("settings"), QJsonObject { { QStringLiteral("image"), hub } } } });
    list.append(QJsonObject { { QStringLiteral("moduleId"), QStringLiteral("sensor") } });
    return { { QStringLiteral("modules"), list } };
}

} // namespace

TEST(EdgeRuntime, TheAzCliFixtureIsAnOldRuntime)
{
    QFile f(QStringLiteral(IOTC_TEST_DATA_DIR "/azcli/edge_modules.json"));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const auto r = edgeRuntimeFromModules(QJsonDocument::fromJson(f.readAll()).object());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->version, QStringLiteral("1.0"));
    EXPECT_EQ(r->verdict, EdgeRuntime::Verdict::Older) << "1.0 is below 1.2 whatever the patch";
    EXPECT_EQ(r->comparableVersion(), std::optional<std::string>("1.0"));
    EXPECT_TRUE(r->agentImage.endsWith(QStringLiteral("azureiotedge-agent:1.0")));
}

TEST(EdgeRuntime, ExactTagsAreComparedWith124)
{
    EXPECT_EQ(edgeRuntimeFromModules(modules(QStringLiteral("mcr.microsoft.com/azureiotedge-agent:1.2.0"),
                                         QStringLiteral("mcr.microsoft.com/azureiotedge-hub:1.2.0")))
                  ->verdict,
        EdgeRuntime::Verdict::Older);
    EXPECT_EQ(edgeRuntimeFromModules(modules(QStringLiteral("mcr.microsoft.com/azureiotedge-agent:1.2.4"),
                                         QStringLiteral("mcr.microsoft.com/azureiotedge-hub:1.2.4")))
                  ->verdict,
        EdgeRuntime::Verdict::Supported);
    const auto newer
        = edgeRuntimeFromModules(modules(QStringLiteral("mcr.microsoft.com/azureiotedge-agent:1.4.10-linux-amd64"),
            QStringLiteral("mcr.microsoft.com/azureiotedge-hub:1.4.10")));
    EXPECT_EQ(newer->verdict, EdgeRuntime::Verdict::Supported);
    EXPECT_EQ(newer->comparableVersion(), std::optional<std::string>("1.4.10-linux-amd64"));
}

TEST(EdgeRuntime, TheLowerOfAgentAndHubDecides)
{
    const auto r = edgeRuntimeFromModules(modules(QStringLiteral("mcr.microsoft.com/azureiotedge-agent:1.4.0"),
        QStringLiteral("mcr.microsoft.com/azureiotedge-hub:1.1.3")));
    EXPECT_EQ(r->verdict, EdgeRuntime::Verdict::Older);
    EXPECT_EQ(r->version, QStringLiteral("1.1.3"));
    EXPECT_TRUE(r->explanation.contains(QStringLiteral("1.1.3")));
}

TEST(EdgeRuntime, RollingAndCustomTagsAreNotGuessed)
{
    for (const QString& image : { QStringLiteral("mcr.microsoft.com/azureiotedge-agent:1.2"),
             QStringLiteral("mcr.microsoft.com/azureiotedge-agent:latest"),
             QStringLiteral("myregistry.local:5000/edge/agent"),
             QStringLiteral("mcr.microsoft.com/azureiotedge-agent@sha256:2e45") }) {
        const auto r = edgeRuntimeFromModules(modules(image, QString()));
        ASSERT_TRUE(r) << image.toStdString();
        EXPECT_EQ(r->verdict, EdgeRuntime::Verdict::Unknown) << image.toStdString();
        EXPECT_FALSE(r->comparableVersion()) << "the validator keeps its 'unless 1.2.4' warning";
    }
    // A registry port is not a tag.
    EXPECT_EQ(edgeRuntimeFromModules(modules(QStringLiteral("myregistry.local:5000/edge/agent"), QString()))->version,
        QString());
}

TEST(EdgeRuntime, NoSystemModulesIsNotAnEdgeAnswer)
{
    EXPECT_FALSE(edgeRuntimeFromModules(QJsonObject {}));
    EXPECT_FALSE(edgeRuntimeFromModules(modules(QString(), QString())));
}

TEST(EdgeRuntime, OneRuleJudgesTagsAndReportedVersions)
{
    using namespace iotc;
    EXPECT_EQ(MinimumEdgeRuntime, "1.2.4");
    EXPECT_EQ(judgeEdgeRuntimeTag("1.2.3"), -1);
    EXPECT_EQ(judgeEdgeRuntimeTag("1.1"), -1) << "a rolling 1.1 is older whatever its patch";
    EXPECT_EQ(judgeEdgeRuntimeTag("1.2"), 0) << "a rolling 1.2 could be either side";
    EXPECT_EQ(judgeEdgeRuntimeTag("1"), 0);
    EXPECT_EQ(judgeEdgeRuntimeTag("1.2.4"), 1);
    EXPECT_EQ(judgeEdgeRuntimeTag("1.2.10-linux-amd64"), 1);
    EXPECT_EQ(judgeEdgeRuntimeTag("1.10"), 1);
    EXPECT_EQ(judgeEdgeRuntimeTag("2"), 1);
    EXPECT_EQ(judgeEdgeRuntimeTag("latest"), 0);
    EXPECT_EQ(judgeEdgeRuntimeTag(""), 0);
    EXPECT_EQ(judgeEdgeRuntimeTag("1..4"), 0);
    EXPECT_TRUE(edgeRuntimeIsOlder("1.2.0"));
    EXPECT_TRUE(edgeRuntimeIsOlder("1.1.17-rc1"));
    EXPECT_FALSE(edgeRuntimeIsOlder("1.2.4"));
    EXPECT_FALSE(edgeRuntimeIsOlder("1.4"));
    EXPECT_EQ(edgeRuntimeRequirement(), "IoT Edge 1.2.4 or later");
}
