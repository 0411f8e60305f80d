#include "validate/timeformats.h"

#include <gtest/gtest.h>

using namespace iotc;

TEST(TimeFormats, Date)
{
    for (const char* ok : { "2024-02-29", "2023-12-31", "0001-01-01" })
        EXPECT_TRUE(isRfc3339Date(ok)) << ok;
    for (const char* bad : { "2023-02-29", "2020-13-01", "2020-00-10", "2020-1-1", "20200101", "2020-01-01Z",
             "2020-01-01T00:00:00Z", "", "yesterday" })
        EXPECT_FALSE(isRfc3339Date(bad)) << bad;
}

TEST(TimeFormats, Time)
{
    for (const char* ok :
        { "13:45:00", "00:00:00", "23:59:60", "13:45:00.250", "13:45:00Z", "13:45:00+02:00", "13:45:00-05:30" })
        EXPECT_TRUE(isRfc3339Time(ok)) << ok;
    for (const char* bad :
        { "24:00:00", "12:60:00", "12:00:61", "12:00", "1:00:00", "12:00:00.", "12:00:00+2", "noon" })
        EXPECT_FALSE(isRfc3339Time(bad)) << bad;
}

TEST(TimeFormats, DateTime)
{
    for (const char* ok :
        { "2024-05-01T13:45:00Z", "2024-05-01t13:45:00z", "2024-05-01T13:45:00.123456+01:00", "2024-05-01T13:45:00" })
        EXPECT_TRUE(isRfc3339DateTime(ok)) << ok;
    for (const char* bad :
        { "2024-05-01", "2024-05-01 13:45:00Z", "2024-02-30T00:00:00Z", "2024-05-01T25:00:00Z", "1714571100" })
        EXPECT_FALSE(isRfc3339DateTime(bad)) << bad;
}

TEST(TimeFormats, Duration)
{
    for (const char* ok :
        { "PT0S", "P0D", "P1Y2M3DT4H5M6S", "PT15M", "P2W", "PT0.5S", "PT1,5H", "P1DT12H", "P0001-02-03T04:05:06" })
        EXPECT_TRUE(isIso8601Duration(ok)) << ok;
    for (const char* bad : { "P", "PT", "P1DT", "p1d", "1D", "PT1H2H", "PT1M1H", "P1.5DT1H", "P1S", "-P1D", "" })
        EXPECT_FALSE(isIso8601Duration(bad)) << bad;
}

TEST(TimeFormats, UuidBase64Decimal)
{
    EXPECT_TRUE(isUuid("123e4567-e89b-12d3-a456-426614174000"));
    EXPECT_FALSE(isUuid("123e4567e89b12d3a456426614174000"));
    EXPECT_TRUE(isBase64("aGVsbG8="));
    EXPECT_FALSE(isBase64("aGVsbG8"));
    EXPECT_FALSE(isBase64("a=bc"));
    EXPECT_TRUE(isDecimalText("-12.50"));
    EXPECT_FALSE(isDecimalText("1.2.3"));
}
