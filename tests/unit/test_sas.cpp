// SAS tokens against vectors computed independently (Python hmac/hashlib/urllib).
#include "util/sas.h"

#include <gtest/gtest.h>

using namespace iotc;

TEST(Sas, IotHubDeviceTokenSignsWithTheDecodedKey)
{
    EXPECT_EQ(makeSasToken(QStringLiteral("myhub.azure-devices.net/devices/device1"),
                  "dGVzdGtleQ==", SasKeyKind::Base64Decoded, 1700000000),
        QStringLiteral("SharedAccessSignature "
                       "sr=myhub.azure-devices.net%2Fdevices%2Fdevice1&sig=RCG5%2B%"
                       "2BnueWiWSbUSaJQlSbezvIdbwQwm3PqTrQgJ92c%3D&se=1700000000"));
}

TEST(Sas, EventHubsTokenSignsWithTheRawKeyText)
{
    EXPECT_EQ(makeSasToken(QStringLiteral("sb://ns.servicebus.windows.net/hub"), "c2VjcmV0", SasKeyKind::RawText,
                  1700000000, QStringLiteral("service")),
        QStringLiteral("SharedAccessSignature "
                       "sr=sb%3A%2F%2Fns.servicebus.windows.net%2Fhub&sig=z2N4vImq6RMgIEYa%2BIjlxonCGfmVWJyZ%"
                       "2FN85gHdLBM4%3D&se=1700000000&skn=service"));
}

TEST(Sas, DpsTokenAndGroupKeyDerivation)
{
    EXPECT_EQ(makeDpsToken(QStringLiteral("0ne00ABCDEF"), QStringLiteral("dev-1"), "dGVzdGtleQ==", 1700000000),
        QStringLiteral("SharedAccessSignature "
                       "sr=0ne00ABCDEF%2Fregistrations%2Fdev-1&sig=nkyQhCWPaLRzYtLFnk%2FqkZBOlj3eubARB%2BEWCv3GogU%3D&"
                       "se=1700000000&skn=registration"));
    EXPECT_EQ(deriveDeviceKey("Z3JvdXBrZXk=", QStringLiteral("dev-1")),
        QByteArray("/eVkUI8oa+I2i26rW1LodIW/TG/FntN0b4gbl5DnhQM="));
}

TEST(Sas, ParseAndVerify)
{
    const QString token
        = makeSasToken(QStringLiteral("sb://h/e"), "k", SasKeyKind::RawText, 42, QStringLiteral("service"));
    const auto parsed = parseSasToken(token);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->resource, QStringLiteral("sb://h/e"));
    EXPECT_EQ(parsed->expiry, 42);
    EXPECT_EQ(parsed->keyName, QStringLiteral("service"));
    EXPECT_TRUE(verifySasSignature(token, "k", SasKeyKind::RawText));
    EXPECT_FALSE(verifySasSignature(token, "other", SasKeyKind::RawText));
    EXPECT_FALSE(parseSasToken(QStringLiteral("Bearer abc")));
    EXPECT_FALSE(parseSasToken(QStringLiteral("SharedAccessSignature sr=a&se=notanumber&sig=x")));
}
