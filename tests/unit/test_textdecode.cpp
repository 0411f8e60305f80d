#include "util/textdecode.h"

#include <gtest/gtest.h>

using namespace iotc;

TEST(TextDecode, PlainUtf8PassesThrough)
{
    const auto d = decodeText("{\"a\":\"é\"}");
    EXPECT_EQ(d.encoding, TextEncoding::Utf8);
    EXPECT_EQ(d.utf8, "{\"a\":\"é\"}");
}

TEST(TextDecode, Utf8BomIsRemoved)
{
    const auto d = decodeText("\xEF\xBB\xBF{}");
    EXPECT_EQ(d.encoding, TextEncoding::Utf8Bom);
    EXPECT_EQ(d.utf8, "{}");
}

TEST(TextDecode, Utf16LittleEndianWithBomAndCrlf)
{
    const std::string bytes("\xFF\xFE{\0\r\0\n\0}\0", 10);
    const auto d = decodeText(bytes);
    EXPECT_EQ(d.encoding, TextEncoding::Utf16LE);
    EXPECT_EQ(d.utf8, "{\r\n}");
}

TEST(TextDecode, Utf16BigEndianSurrogatePair)
{
    const std::string bytes("\xFE\xFF\xD8\x3D\xDE\x00", 6); // U+1F600
    const auto d = decodeText(bytes);
    EXPECT_EQ(d.encoding, TextEncoding::Utf16BE);
    EXPECT_EQ(d.utf8, "\xF0\x9F\x98\x80");
}

TEST(TextDecode, UnpairedSurrogateIsAnError)
{
    const std::string bytes("\xFF\xFE\x3D\xD8", 4);
    const auto d = decodeText(bytes);
    EXPECT_EQ(d.encoding, TextEncoding::Invalid);
    EXPECT_NE(d.error.find("surrogate"), std::string::npos);
}

TEST(TextDecode, Utf16WithoutBomIsRecognised)
{
    const std::string bytes("{\0\"\0a\0\"\0:\0"
                            "1\0}\0",
        14);
    EXPECT_TRUE(looksLikeUtf16(bytes));
    const auto d = decodeText(bytes);
    EXPECT_EQ(d.encoding, TextEncoding::Utf16LE);
    EXPECT_EQ(d.utf8, "{\"a\":1}");
}

TEST(TextDecode, Utf16BigEndianWithoutBom)
{
    const std::string bytes("\0{\0\"\0a\0\"\0:\0"
                            "1\0}",
        14);
    const auto d = decodeText(bytes);
    EXPECT_EQ(d.encoding, TextEncoding::Utf16BE);
    EXPECT_EQ(d.utf8, "{\"a\":1}");
}

TEST(TextDecode, InvalidUtf8IsLocated)
{
    EXPECT_EQ(findInvalidUtf8("abc"), std::string_view::npos);
    EXPECT_EQ(findInvalidUtf8("ab\xFF"), 2u);
    EXPECT_EQ(findInvalidUtf8("\xC0\xAF"), 0u) << "overlong encoding";
    EXPECT_EQ(findInvalidUtf8("x\xED\xA0\x80"), 1u) << "UTF-16 surrogate in UTF-8";
    EXPECT_EQ(findInvalidUtf8("12345678\xE2\x82"), 8u) << "truncated sequence after the ASCII fast path";
    EXPECT_EQ(findInvalidUtf8("\xF4\x90\x80\x80"), 0u) << "above U+10FFFF";
    EXPECT_EQ(findInvalidUtf8("\xF0\x9F\x98\x80 ok"), std::string_view::npos);
    const auto d = decodeText("caf\xE9");
    EXPECT_EQ(d.encoding, TextEncoding::Invalid);
    EXPECT_NE(d.error.find("offset 3"), std::string::npos);
}
