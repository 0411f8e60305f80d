#include "knowledge/logscanner.h"
#include "testdata.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace iotc;

namespace {

std::string readFile(const std::string& relative)
{
    std::ifstream in(test::dataPath(relative), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::multiset<std::string> codesIn(const LogScan& scan)
{
    std::multiset<std::string> out;
    for (const auto& f : scan.findings)
        out.insert(f.entry->code);
    return out;
}

} // namespace

TEST(KnowledgeBase, EveryCodeAndStatusOfTheGuide)
{
    const auto& kb = KnowledgeBase::builtIn();
    for (const char* code : { "400", "401", "404", "412", "429", "500", "401002", "400209", "IoTHubUnauthorized",
             "DEVICE_DISABLED", "DEVICE_BLOCKED", "403006", "provisioned", "registered", "blocked", "unapproved",
             "unassigned", "blocked-or-waiting-for-approval" }) {
        const auto* e = kb.byCode(code);
        ASSERT_TRUE(e) << code;
        EXPECT_FALSE(e->title.empty()) << code;
        EXPECT_FALSE(e->description.empty()) << code;
        EXPECT_FALSE(e->mitigation.empty()) << code;
    }
    EXPECT_EQ(kb.byCode("iothubunauthorized"), kb.byCode("IoTHubUnauthorized")) << "case-insensitive";
    EXPECT_EQ(kb.byCode("waiting-for-approval"), kb.byCode("unapproved")) << "aliases";
    EXPECT_EQ(kb.byCode("401")->httpStatus, 401);
    EXPECT_GE(kb.entries().size(), 30u) << "common IoT Hub, MQTT, AMQP, TLS and DNS errors too";
    for (const auto& e : kb.entries())
        EXPECT_EQ(e.patterns.empty(), e.anchors.empty()) << e.code << ": every scanned code has its cheap anchors";
}

TEST(KnowledgeBase, SearchByCodeOrWords)
{
    const auto& kb = KnowledgeBase::builtIn();
    auto found = kb.search(" 401002 ");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->code, "401002");
    found = kb.search("approval");
    std::set<std::string> names;
    for (const auto* e : found)
        names.insert(e->code);
    EXPECT_TRUE(names.count("400209"));
    EXPECT_TRUE(names.count("unapproved"));
    EXPECT_TRUE(kb.search("no such thing anywhere").empty());
}

TEST(KnowledgeBase, BrokenDataIsAClearError)
{
    EXPECT_THROW(KnowledgeBase::fromJson("{"), std::runtime_error);
    EXPECT_THROW(KnowledgeBase::fromJson(R"({"entries":[{"code":"x","patterns":["(unclosed"]}]})"), std::runtime_error);
}

struct LogCase {
    const char* file;
    std::multiset<std::string> expected;
};

class SdkLogs : public ::testing::TestWithParam<LogCase> { };

void PrintTo(const LogCase& c, std::ostream* os)
{
    *os << c.file;
}

TEST_P(SdkLogs, FindsTheCodesTheDeviceSaw)
{
    const auto& c = GetParam();
    const auto scan = scanLog(readFile(std::string("logs/") + c.file));
    EXPECT_EQ(codesIn(scan), c.expected);
    for (const auto& f : scan.findings) {
        EXPECT_GT(f.line, 0u);
        EXPECT_FALSE(f.matched.empty());
        EXPECT_NE(f.text.find(f.matched), std::string::npos);
    }
    for (size_t i = 1; i < scan.findings.size(); ++i)
        EXPECT_GE(scan.findings[i - 1].entry->severity, scan.findings[i].entry->severity) << "most severe first";
}

INSTANTIATE_TEST_SUITE_P(RealisticLogs, SdkLogs,
    ::testing::Values(LogCase { "c-sdk.log", { "401002" } }, LogCase { "python-sdk.log", { "400209" } },
        LogCase { "node-sdk.log",
            { "MQTT_CONNACK_5", "CONNECTION_REFUSED", "IoTHubUnauthorized", "MQTT_CONNACK_5", "DNS_FAILURE" } },
        LogCase { "dotnet-sdk.log", { "DEVICE_DISABLED", "429001", "403006" } },
        LogCase { "java-sdk.log", { "TLS_CERTIFICATE", "TIMEOUT" } },
        LogCase { "embedded-c.log", { "429", "TLS_CERTIFICATE", "DEVICE_BLOCKED" } },
        LogCase { "mosquitto.log",
            { "MQTT_CONNACK_5", "MQTT_CONNACK_5", "CONNECTION_REFUSED", "MQTT_CONNACK_4", "MQTT_CONNACK_4",
                "CONNECTION_REFUSED" } },
        LogCase { "healthy.log", {} }));

TEST(LogScanner, SpecificCodesReplaceGeneralOnesOnTheSameLine)
{
    const auto scan = scanLog("HTTP/1.1 401 Unauthorized {\"errorCode\":401002}\nstatus 401\n");
    ASSERT_EQ(scan.findings.size(), 2u);
    EXPECT_EQ(scan.findings[0].entry->code, "401002");
    EXPECT_EQ(scan.findings[0].line, 1u);
    EXPECT_EQ(scan.findings[1].entry->code, "401");
    EXPECT_EQ(scan.findings[1].line, 2u);
}

TEST(LogScanner, Utf16AndBrokenBytesAndCaps)
{
    std::string utf16("\xFF\xFE", 2);
    for (char c : std::string("error 403006\n")) {
        utf16 += c;
        utf16 += '\0';
    }
    EXPECT_EQ(codesIn(scanLog(utf16)), (std::multiset<std::string> { "403006" }));
    EXPECT_EQ(codesIn(scanLog("caf\xE9 DEVICE_BLOCKED\n")), (std::multiset<std::string> { "DEVICE_BLOCKED" }));
    std::string many;
    for (int i = 0; i < 50; ++i)
        many += "DEVICE_BLOCKED\n";
    const auto capped = scanLog(many, KnowledgeBase::builtIn(), 10);
    EXPECT_EQ(capped.findings.size(), 10u);
    EXPECT_EQ(capped.dropped, 40u);
}

TEST(LogScanner, VeryLongLinesNeitherOverflowNorHideCodes)
{
    // std::regex recurses once per character a repetition takes: a line of 100,000 word characters
    // after X509_V_ERR_ used to overflow the stack (at about 20,000).
    const std::string longWord = "TLS: X509_V_ERR_" + std::string(100000, 'A') + "\n";
    const auto tls = scanLog(longWord);
    ASSERT_EQ(codesIn(tls), (std::multiset<std::string> { "TLS_CERTIFICATE" }));
    EXPECT_EQ(tls.findings[0].matched.rfind("X509_V_ERR_A", 0), 0u);
    EXPECT_LE(tls.findings[0].text.size(), 410u) << "the line is shown cut";
    // A code at the very end of a 200,000-character line is found.
    const auto end = scanLog(std::string(200000, 'a') + " registration failed: 401002\n");
    ASSERT_EQ(codesIn(end), (std::multiset<std::string> { "401002" }));
    EXPECT_EQ(end.findings[0].line, 1u);
}

TEST(LogScanner, CodesAcrossTheScanningWindowsAreFoundOnceAndOnlyWhole)
{
    // The scanner reads a long line in overlapping windows of about 1 kB: a code anywhere, across
    // any cut, is found once; a cut never makes a part of a longer number look like a code.
    std::string log;
    for (size_t at = 700; at < 2400; at += 7)
        log += std::string(at, '.') + " 401002 " + std::string(300, '.') + "\n";
    const size_t lines = (2400 - 700 + 6) / 7;
    const auto scan = scanLog(log);
    EXPECT_EQ(scan.findings.size(), lines);
    for (const auto& f : scan.findings)
        EXPECT_EQ(f.entry->code, "401002");
    std::string glued;
    for (size_t at = 700; at < 2400; at += 5) {
        glued += std::string(at, '.') + "x401002" + std::string(300, '.') + "\n"; // a word, not the code
        glued += std::string(at, '.') + "4010021" + std::string(300, '.') + "\n"; // a longer number
    }
    EXPECT_TRUE(scanLog(glued).findings.empty());
}
