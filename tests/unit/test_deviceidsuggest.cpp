// "Did you mean" for mistyped device ids: the one wording behind diagnose and the streaming commands.
#include "central/deviceidsuggest.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

const QStringList Known { QStringLiteral("thermostat-01"), QStringLiteral("thermostat-02"), QStringLiteral("pump-7"),
    QStringLiteral("Gateway-A"), QStringLiteral("healthy-controller") };

} // namespace

TEST(DeviceIdSuggest, AOneLetterSlipFindsTheDevice)
{
    EXPECT_EQ(similarDeviceIds(QStringLiteral("healthy-controler"), Known), QStringList { "healthy-controller" });
    EXPECT_EQ(similarDeviceIds(QStringLiteral("pumb-7"), Known), QStringList { "pump-7" });
}

TEST(DeviceIdSuggest, CaseOnlyDifferencesAlwaysQualify)
{
    EXPECT_EQ(similarDeviceIds(QStringLiteral("gateway-a"), Known), QStringList { "Gateway-A" });
}

TEST(DeviceIdSuggest, ClosestFirstAndBounded)
{
    const auto s = similarDeviceIds(QStringLiteral("thermostat-03"), Known);
    ASSERT_EQ(s.size(), 2);
    EXPECT_TRUE(s.contains(QStringLiteral("thermostat-01")));
    EXPECT_TRUE(s.contains(QStringLiteral("thermostat-02")));
    EXPECT_EQ(similarDeviceIds(QStringLiteral("thermostat-03"), Known, 1).size(), 1);
    EXPECT_EQ(similarDeviceIds(QStringLiteral("thermostat-1"), Known).value(0), QStringLiteral("thermostat-01"));
}

TEST(DeviceIdSuggest, NothingSimilarSuggestsNothing)
{
    EXPECT_TRUE(similarDeviceIds(QStringLiteral("boiler"), Known).isEmpty());
    EXPECT_TRUE(similarDeviceIds(QStringLiteral("pump-7"), Known).isEmpty()) << "the id itself is not a suggestion";
    EXPECT_TRUE(similarDeviceIds(QStringLiteral("x"), {}).isEmpty());
}

TEST(DeviceIdSuggest, TheSentence)
{
    EXPECT_EQ(unknownDeviceText(QStringLiteral("pumb-7"), { QStringLiteral("pump-7") }),
        QStringLiteral("no device pumb-7 in this application; did you mean pump-7?"));
    EXPECT_EQ(unknownDeviceText(QStringLiteral("t"), { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }),
        QStringLiteral("no device t in this application; did you mean a, b or c?"));
    EXPECT_EQ(unknownDeviceText(QStringLiteral("boiler"), {}), QStringLiteral("no device boiler in this application"));
}

TEST(DeviceIdSuggest, TheTemplateSentence)
{
    const QStringList templates { QStringLiteral("dtmi:com:example:TemperatureController;2"),
        QStringLiteral("dtmi:contoso:sim:assetTracker;1") };
    const auto similar = similarDeviceIds(QStringLiteral("dtmi:com:example:TemperatureControler;2"), templates);
    EXPECT_EQ(similar, QStringList { QStringLiteral("dtmi:com:example:TemperatureController;2") });
    EXPECT_EQ(unknownTemplateText(QStringLiteral("dtmi:com:example:TemperatureControler;2"), similar),
        QStringLiteral("no device template dtmi:com:example:TemperatureControler;2 in this application; did you mean "
                       "dtmi:com:example:TemperatureController;2?"));
    EXPECT_EQ(unknownTemplateText(QStringLiteral("dtmi:x;1"), {}),
        QStringLiteral("no device template dtmi:x;1 in this application"));
}
