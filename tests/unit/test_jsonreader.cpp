// JsonReader is a fast path in front of nlohmann::json::parse: whatever it accepts, nlohmann must
// accept and read to the same value (types included); what nlohmann refuses, it must refuse. The
// canonical writer built on it must write what nlohmann dumps after parsing.
#include "template/schema.h"
#include "util/canonicaljson.h"
#include "util/jsonreader.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using namespace iotc;
using namespace std::string_literals;

namespace {

// The value with every number's type spelled out: operator== would call 1 and 1.0 equal.
std::string signature(const PayloadJson& j)
{
    switch (j.type()) {
    case PayloadJson::value_t::object: {
        std::string out = "{";
        for (const auto& [k, v] : j.items())
            out += PayloadJson(k).dump() + ":" + signature(v) + ",";
        return out + "}";
    }
    case PayloadJson::value_t::array: {
        std::string out = "[";
        for (const auto& v : j)
            out += signature(v) + ",";
        return out + "]";
    }
    case PayloadJson::value_t::number_unsigned:
        return "u" + j.dump();
    case PayloadJson::value_t::number_integer:
        return "i" + j.dump();
    case PayloadJson::value_t::number_float:
        return "f" + j.dump();
    default:
        return j.dump();
    }
}

struct Outcome {
    bool accepted = false;
    std::string value;
};

Outcome readFast(std::string_view text, size_t maxDepth = MaxJsonDepth)
{
    JsonReader reader(text, maxDepth);
    PayloadJson j;
    if (!readJsonValue(reader, j) || !reader.end())
        return {};
    return { true, signature(j) };
}

Outcome readFull(std::string_view text)
{
    const auto j = PayloadJson::parse(text, nullptr, false);
    if (j.is_discarded())
        return {};
    return { true, signature(j) };
}

std::string dumped(const nlohmann::json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The property every test here checks, for the reader and for the canonical writer built on it.
void expectAgrees(std::string_view text)
{
    std::string canonical = "prefix";
    if (appendCanonicalJson(canonical, text)) {
        const auto j = nlohmann::json::parse(text, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << "wrote what nlohmann refuses: " << text;
        if (!j.is_discarded()) {
            EXPECT_EQ(canonical, "prefix" + dumped(j)) << text;
        }
    } else {
        EXPECT_EQ(canonical, "prefix") << "left as it was";
    }
    const Outcome fast = readFast(text);
    if (!fast.accepted)
        return; // left to the full parser: always allowed
    const Outcome full = readFull(text);
    EXPECT_TRUE(full.accepted) << "accepted what nlohmann refuses: " << text;
    EXPECT_EQ(fast.value, full.value) << text;
}

} // namespace

TEST(JsonReader, ReadsWhatNlohmannReadsTheSameWay)
{
    const std::vector<std::string> texts = {
        R"({"temperature": 21.53})",
        R"({"a": 1, "b": -1, "c": 0, "d": -0, "e": 1.0, "f": -0.0, "g": 18446744073709551615})",
        R"({"big": 18446744073709551616, "neg": -9223372036854775808, "under": -9223372036854775809})",
        R"({"e": 1e3, "E": 2E-3, "plus": 1e+2, "tiny": 5e-324, "max": 1.7976931348623157e308})",
        R"({"s": "plain", "esc": "q\"b\\s\/n\nr\rt\tb\bf\f", "u": "\u00e9\u20ac\ud83d\ude00\u0000x"})",
        "{\"utf8\": \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", \"key\xC3\xA9\": 1}",
        R"({"dup": 1, "dup": "two", "other": [], "dup": {"x": [1, [2, {"y": null}]]}})",
        R"({"t": true, "f": false, "n": null, "arr": [true, false, null, "s", 1, -2, 3.5, {}, []]})",
        " \t\r\n{ \"ws\" : [ 1 , 2 ] , \"o\" : { } } \n",
        R"([1, 2, {"a": "b"}])",
        R"("just a string")",
        "12",
        "null",
        R"({"long": ")" + std::string(1000, 'x') + R"("})",
        R"({"digits": )" + std::string(300, '7') + "}",
        R"({"Temperature": 22.1, "temperature": 22.125})",
        R"({"thermostat1": {"__t": "c", "targetTemperature": {"value": 21.5, "ac": 200, "av": 3}}})",
    };
    for (const auto& t : texts) {
        const Outcome fast = readFast(t);
        EXPECT_TRUE(fast.accepted) << "the fast path should read this itself: " << t;
        expectAgrees(t);
    }
}

TEST(JsonReader, RefusesWhatNlohmannRefuses)
{
    const std::vector<std::string> texts = {
        "",
        " ",
        "{",
        "}",
        R"({"a": 1,})",
        R"({,"a": 1})",
        R"({"a" 1})",
        R"({"a": 1 "b": 2})",
        R"({a: 1})",
        R"({'a': 1})",
        R"({"a": 01})",
        R"({"a": 1.})",
        R"({"a": .5})",
        R"({"a": -})",
        R"({"a": +1})",
        R"({"a": 1e})",
        R"({"a": 1e+})",
        R"({"a": 0x10})",
        R"({"a": NaN})",
        R"({"a": Infinity})",
        R"({"a": 1e999})",
        R"({"a": -1e999})",
        R"({"a": tru})",
        R"({"a": nul})",
        R"({"a": True})",
        R"({"a": [1, 2,]})",
        R"({"a": [1 2]})",
        R"({"a": "\x"})",
        R"({"a": "\u12"})",
        R"({"a": "\u12G4"})",
        R"({"a": "\ud800"})",
        R"({"a": "\ud800x"})",
        R"({"a": "\ud800\u0041"})",
        R"({"a": "\udc00"})",
        "{\"a\": \"tab\there\"}",
        "{\"a\": \"nl\nhere\"}",
        "{\"a\": \"\x01\"}",
        "{\"a\": \"\x80\"}",
        "{\"a\": \"\xC0\xAF\"}",
        "{\"a\": \"\xE0\x80\xAF\"}",
        "{\"a\": \"\xED\xA0\x80\"}",
        "{\"a\": \"\xF4\x90\x80\x80\"}",
        "{\"a\": \"\xF5\x80\x80\x80\"}",
        "{\"a\": \"\xC3\"}",
        "{\"a\": 1}\0garbage"s,
        "{\"a\": 1} x",
        "{\"a\": 1}{}",
        R"({"a": "unterminated)",
        R"({"a": 1)",
        R"({"a": [1)",
    };
    for (const auto& t : texts) {
        EXPECT_FALSE(readFast(t).accepted) << t;
        expectAgrees(t);
    }
}

TEST(JsonReader, LeavesToTheFullParserWhatItDoesNotDecide)
{
    // nlohmann reads these; the reader says no, and the caller's full parse decides.
    const std::string bom = "\xEF\xBB\xBF{\"a\": 1}";
    EXPECT_TRUE(readFull(bom).accepted);
    EXPECT_FALSE(readFast(bom).accepted);
    EXPECT_TRUE(readFull(R"({"a": 1e-400})").accepted) << "underflow is 0 to nlohmann";
    EXPECT_FALSE(readFast(R"({"a": 1e-400})").accepted);
    JsonReader noEscapes(R"({"a": "\u00e9"})", MaxJsonDepth, false);
    PayloadJson j;
    EXPECT_FALSE(readJsonValue(noEscapes, j));
}

TEST(JsonReader, NestingBeyondTheLimitIsRefused)
{
    auto nested = [](size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); };
    EXPECT_TRUE(readFast(nested(MaxJsonDepth)).accepted);
    EXPECT_FALSE(readFast(nested(MaxJsonDepth + 1)).accepted);
    JsonReader skipping(R"({"a": [[[1]]], "b": 2})", 3);
    std::string_view key;
    ASSERT_TRUE(skipping.objectBegin());
    ASSERT_TRUE(skipping.nextMember(key));
    EXPECT_FALSE(skipping.skip()) << "four levels with a limit of three";
}

TEST(JsonReader, PullsMembersAndSkipsValues)
{
    JsonReader r(R"( {"id": "d\"1", "n": 12, "skip": {"x": [1, "]", {"}": 2}]}, "ok": true} )");
    std::string_view key, text;
    ASSERT_TRUE(r.objectBegin());
    ASSERT_TRUE(r.nextMember(key));
    EXPECT_EQ(key, "id");
    ASSERT_TRUE(r.string(text));
    EXPECT_EQ(text, "d\"1");
    ASSERT_TRUE(r.nextMember(key));
    ASSERT_TRUE(r.number(text));
    EXPECT_EQ(text, "12");
    ASSERT_TRUE(r.nextMember(key));
    std::string_view raw;
    ASSERT_TRUE(r.skip(&raw));
    EXPECT_EQ(raw, R"({"x": [1, "]", {"}": 2}]})");
    ASSERT_TRUE(r.nextMember(key));
    bool b = false;
    ASSERT_TRUE(r.boolean(b));
    EXPECT_TRUE(b);
    EXPECT_FALSE(r.nextMember(key));
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.end());
}

// Every single-byte change, insertion and deletion of a set of seed documents: whatever the reader
// still accepts, nlohmann reads the same way.
TEST(JsonReader, MutatedDocumentsNeverDisagree)
{
    const std::vector<std::string> seeds = {
        R"({"deviceId": "d1", "component": "thermostat1", "body": {"temperature": 21.5, "list": [1, -2.5e3, null]}})",
        R"({"s": "a\u00e9\n\"", "n": -0.5, "t": true, "o": {"k": [{}]}, "b": {"z": 1, "a": 2, "z": 3}})",
        "{\"\xC3\xA9\": \"\xE2\x82\xAC\", \"x\": 123456789012345678901}",
    };
    const std::string alphabet = "{}[]\":,\\u0123456789.eE+-tfnlrsa \t\n\x01\x7F\x80\xC3\xA9\xED\xF0";
    std::mt19937 random(15);
    size_t accepted = 0, cases = 0;
    auto check = [&](const std::string& t) {
        ++cases;
        accepted += readFast(t).accepted;
        expectAgrees(t);
    };
    for (const auto& seed : seeds) {
        for (size_t i = 0; i < seed.size(); ++i) {
            check(seed.substr(0, i) + seed.substr(i + 1));
            for (int k = 0; k < 4; ++k) {
                std::string changed = seed;
                changed[i] = alphabet[random() % alphabet.size()];
                check(changed);
                std::string inserted = seed;
                inserted.insert(i, 1, alphabet[random() % alphabet.size()]);
                check(inserted);
            }
        }
    }
    EXPECT_GT(accepted, cases / 20) << "the mutations must leave some documents readable to test anything";
}

TEST(JsonReader, PlainRunStopsAtTheFirstByteThatNeedsALook)
{
    const std::string text = "abcdefghijklmnop\"qrstuvwxyz";
    EXPECT_EQ(plainJsonRun(text, 0), 16u);
    EXPECT_EQ(plainJsonRun(text, 17), text.size());
    for (char special : { '"', '\\', '\x1f', '\0', '\x80', '\xff' }) {
        for (size_t at = 0; at < 20; ++at) {
            std::string s(24, 'x');
            s[at] = special;
            EXPECT_EQ(plainJsonRun(s, 0), at) << int(special) << " at " << at;
        }
    }
    EXPECT_EQ(plainJsonRun(std::string(24, '\x7f'), 0), 24u) << "DEL stands for itself";
}

TEST(CanonicalJson, WritesWhatNlohmannDumpsAfterParsing)
{
    const std::vector<std::string> texts = {
        R"({"temperature": 21.53})",
        R"({"b": 1, "a": 2, "c": {"z": [3, {"y": 1, "x": 2}], "m": null}})",
        R"({"dup": 1, "a": 0, "dup": 2, "dup": {"k": "last"}})",
        R"({"n": -0, "f": -0.0, "e": 1E2, "big": 18446744073709551616, "x": 0.1, "y": 1e20, "z": 123456789.125})",
        R"({"s": "\u00e9\n\u0001\u007f\/\"", "k\u0000ey": "\ud83d\ude00"})",
        R"([{"b": 1, "a": 2}, [], {}, "x", true, false, null])",
        R"("top")",
        "  3.5  ",
    };
    for (const auto& t : texts) {
        std::string out;
        ASSERT_TRUE(appendCanonicalJson(out, t)) << t;
        EXPECT_EQ(out, dumped(nlohmann::json::parse(t))) << t;
    }
    // Objects deeper than the writer reads twice: left to the full parser.
    std::string deep;
    for (int i = 0; i < 9; ++i)
        deep += R"({"a":)";
    deep += "1" + std::string(9, '}');
    std::string out;
    EXPECT_FALSE(appendCanonicalJson(out, deep));
    EXPECT_TRUE(out.empty());
    EXPECT_FALSE(appendCanonicalJson(out, R"({"a": 1} x)"));
}

TEST(CanonicalJson, StringsAreDumpedAsNlohmannDumpsThem)
{
    for (const std::string& s : { "plain"s, "q\"b\\"s, "\x01\x1f\x7f\b\f\n\r\t"s, "caf\xC3\xA9 \xE2\x80\xAE"s,
             "bad \xC3 byte"s, "\xF0\x9F\x98"s, "\xED\xA0\x80"s, "a\0b"s, ""s }) {
        std::string out;
        appendDumpedString(out, s);
        EXPECT_EQ(out, dumped(nlohmann::json(s))) << s;
    }
}
