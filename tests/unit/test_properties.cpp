#include "properties/propertysnapshot.h"
#include "testdata.h"

#include <QFile>
#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace iotc;

namespace {

QJsonObject load(const std::string& relative, bool restExample)
{
    QFile f(QString::fromStdString(test::dataPath(relative).string()));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    const auto o = QJsonDocument::fromJson(f.readAll()).object();
    return restExample ? o.value(QStringLiteral("responses"))
                             .toObject()
                             .value(QStringLiteral("200"))
                             .toObject()
                             .value(QStringLiteral("body"))
                             .toObject()
                       : o;
}

} // namespace

TEST(Properties, RestExampleWithComponents)
{
    const auto s = PropertySnapshot::fromRest(load("iotcentral-rest/2022-07-31/devices_properties_get.json", true));
    const auto* manufacturer = s.find(QStringLiteral("deviceinfo.manufacturer"));
    ASSERT_TRUE(manufacturer);
    EXPECT_EQ(manufacturer->reported.toString(), QStringLiteral("manufacturer"));
    EXPECT_EQ(manufacturer->sync, SyncState::None);
    const auto* fan = s.find(QStringLiteral("settings.fanSpeed"));
    ASSERT_TRUE(fan);
    EXPECT_EQ(fan->desired->toInt(), 30);
    EXPECT_EQ(fan->desiredVersion, 2);
    EXPECT_EQ(fan->sync, SyncState::Pending) << "desired 30 at version 2, never acknowledged";
}

TEST(Properties, CliFixtureWithAcknowledgements)
{
    const auto s = PropertySnapshot::fromRest(load("azcli/device_properties.json", false));
    const auto* light = s.find(QStringLiteral("LightThreshold"));
    ASSERT_TRUE(light);
    EXPECT_EQ(light->ackCode, 200);
    EXPECT_EQ(light->sync, SyncState::Accepted);
    EXPECT_TRUE(s.reportedPayload().contains(QStringLiteral("LightThreshold")));
}

TEST(Properties, SyncStates)
{
    PropertyState p;
    EXPECT_EQ(syncStateOf(p), SyncState::None);
    p.desiredVersion = 4;
    EXPECT_EQ(syncStateOf(p), SyncState::Pending);
    p.ackVersion = 3;
    p.ackCode = 200;
    EXPECT_EQ(syncStateOf(p), SyncState::Pending) << "an ack of an older version does not count";
    p.ackVersion = 4;
    EXPECT_EQ(syncStateOf(p), SyncState::Accepted);
    p.ackCode = 202;
    EXPECT_EQ(syncStateOf(p), SyncState::Pending) << "202 means in progress";
    p.ackCode = 400;
    EXPECT_EQ(syncStateOf(p), SyncState::Rejected);
    p.ackVersion = 2;
    EXPECT_EQ(syncStateOf(p, 1000, 70000, 60000), SyncState::Stale);
}

TEST(Properties, DiffReportsEveryKindOfChange)
{
    PropertySnapshot a, b;
    PropertyState x;
    x.name = QStringLiteral("x");
    x.hasReported = true;
    x.reported = 1;
    PropertyState y = x;
    y.name = QStringLiteral("y");
    PropertyState w;
    w.name = QStringLiteral("w");
    w.desiredVersion = 1;
    w.sync = SyncState::Pending;
    a.properties = { x, y, w };
    PropertyState x2 = x;
    x2.reported = 2;
    PropertyState z = x;
    z.name = QStringLiteral("z");
    PropertyState w2 = w;
    w2.sync = SyncState::Stale;
    b.properties = { x2, z, w2 };
    const auto changes = diffSnapshots(a, b);
    ASSERT_EQ(changes.size(), 4);
    EXPECT_EQ(changes[0].kind, PropertyChange::Kind::Changed);
    EXPECT_EQ(changes[1].kind, PropertyChange::Kind::Added);
    EXPECT_EQ(changes[2].kind, PropertyChange::Kind::SyncChanged);
    EXPECT_EQ(changes[3].kind, PropertyChange::Kind::Removed);
    EXPECT_EQ(changes[3].toJson().value(QStringLiteral("property")).toString(), QStringLiteral("y"));
}
