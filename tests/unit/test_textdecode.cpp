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

// Bodies are shown, never mangled: UTF-8 as it is; a BOM's encoding, a declared one or UTF-16 by its
// NULs, decoded and named; anything else in base64 with why (issue 14).
TEST(BodyText, Utf8IsShownAsItIs)
{
    const auto b = bodyText("{\"site\":\"Café\"}", "utf-8");
    EXPECT_EQ(b.form, BodyText::Form::Text);
    EXPECT_EQ(b.text, "{\"site\":\"Café\"}");
    EXPECT_EQ(b.encoding, "UTF-8");
    EXPECT_TRUE(b.note.empty());
    EXPECT_EQ(bodyText("").form, BodyText::Form::Text);
    EXPECT_EQ(bodyText("").text, "");
    const auto bom = bodyText("\xEF\xBB\xBF{}");
    EXPECT_EQ(bom.form, BodyText::Form::Decoded);
    EXPECT_EQ(bom.text, "{}");
    EXPECT_EQ(bom.encoding, "UTF-8 with BOM");
}

TEST(BodyText, Utf16WithAndWithoutBomIsDecodedAndNamed)
{
    const std::string le("\xFF\xFE{\0\"\0t\0\"\0:\0"
                         "1\0}\0",
        16);
    auto b = bodyText(le, "utf-16");
    EXPECT_EQ(b.form, BodyText::Form::Decoded);
    EXPECT_EQ(b.text, "{\"t\":1}");
    EXPECT_EQ(b.encoding, "UTF-16 LE");
    EXPECT_EQ(b.note, "byte order mark");
    b = bodyText(le.substr(2)); // no BOM, nothing declared: told by where the NULs are
    EXPECT_EQ(b.form, BodyText::Form::Decoded);
    EXPECT_EQ(b.text, "{\"t\":1}");
    EXPECT_EQ(b.encoding, "UTF-16 LE");
    EXPECT_EQ(b.note, "recognised without a byte order mark");
    const std::string be("\0{\0\"\0t\0\"\0:\0"
                         "1\0}",
        14);
    b = bodyText(be, "UTF-16BE");
    EXPECT_EQ(b.text, "{\"t\":1}");
    EXPECT_EQ(b.encoding, "UTF-16 BE");
    EXPECT_EQ(b.note, "declared by its content-encoding UTF-16BE");
    // Declared UTF-16 without a single NUL (all of it outside ASCII, not UTF-8) is read as declared.
    b = bodyText(std::string("\x2D\x4E\x87\x65", 4), "utf-16le"); // 中文
    EXPECT_EQ(b.form, BodyText::Form::Decoded);
    EXPECT_EQ(b.text, "\xE4\xB8\xAD\xE6\x96\x87");
    // Bytes that are UTF-8 stay UTF-8 whatever the label says (a wrong label is the validator's finding).
    EXPECT_EQ(bodyText("{\"a\":12}", "utf-16").form, BodyText::Form::Text);
}

TEST(BodyText, Latin1AndWindows1252AreDecodedWhenDeclared)
{
    auto b = bodyText("{\"site\":\"Caf\xE9\"}", "iso-8859-1");
    EXPECT_EQ(b.form, BodyText::Form::Decoded);
    EXPECT_EQ(b.text, "{\"site\":\"Café\"}");
    EXPECT_EQ(b.encoding, "ISO-8859-1");
    b = bodyText("\x80 5", " Windows-1252 ");
    EXPECT_EQ(b.text, "\xE2\x82\xAC 5") << "0x80 is the euro sign in Windows-1252";
    EXPECT_EQ(b.encoding, "Windows-1252");
    b = bodyText("\x80 5", "latin1");
    EXPECT_EQ(b.text, "\xC2\x80 5") << "and U+0080 in ISO-8859-1";
}

TEST(BodyText, WhatCannotBeReadIsBase64WithWhy)
{
    auto b = bodyText("Caf\xE9");
    EXPECT_EQ(b.form, BodyText::Form::Base64);
    EXPECT_EQ(b.text, "Q2Fm6Q==");
    EXPECT_EQ(b.encoding, "base64");
    EXPECT_NE(b.note.find("first bad byte at offset 3"), std::string::npos) << b.note;
    EXPECT_NE(b.note.find("no content-encoding"), std::string::npos) << b.note;
    b = bodyText("Caf\xE9", "shift_jis");
    EXPECT_EQ(b.form, BodyText::Form::Base64);
    EXPECT_NE(b.note.find("content-encoding shift_jis is not one this tool reads"), std::string::npos) << b.note;
    b = bodyText("Caf\xE9", "us-ascii");
    EXPECT_EQ(b.form, BodyText::Form::Base64) << "US-ASCII has no byte E9";
    b = bodyText(std::string("\xFF\xFE\x3D\xD8", 4));
    EXPECT_EQ(b.form, BodyText::Form::Base64) << "a BOM and then no valid UTF-16";
    EXPECT_NE(b.note.find("surrogate"), std::string::npos) << b.note;
    EXPECT_EQ(bodyText("ab").text, "ab");
    EXPECT_EQ(bodyText("\xFF").text, "/w==");
    EXPECT_EQ(bodyText("\xFF\xFF").text, "//8=");
    EXPECT_EQ(bodyText("\xFF\xFF\xFF").text, "////");
    for (const char* bytes : { "Caf\xE9", "\x80\x81\x82", "\xC3" })
        EXPECT_EQ(bodyText(bytes).text.find("\xEF\xBF\xBD"), std::string::npos) << "never a replacement character";
}
