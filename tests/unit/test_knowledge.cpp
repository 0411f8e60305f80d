#include "diagnose/diagnosis.h"
#include "knowledge/advice.h"
#include "knowledge/logscanner.h"
#include "testdata.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

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

TEST(Advice, EveryIssueCodeSaysWhatItMeansAndWhatToDo)
{
    const auto& book = AdviceBook::builtIn();
    ASSERT_EQ(book.loadError(), "");
    for (const auto code : codes::all) {
        const auto* a = adviceFor(AdviceKind::Issue, code);
        ASSERT_TRUE(a) << "no advice for issue code " << code;
        EXPECT_EQ(a->code, code);
        EXPECT_FALSE(a->title.empty()) << code;
        EXPECT_FALSE(a->meaning.empty()) << code;
        EXPECT_FALSE(a->whatToDo.empty()) << code;
    }
    std::set<std::string_view> known(codes::all.begin(), codes::all.end());
    EXPECT_EQ(known.size(), codes::all.size()) << "no code twice in codes::all";
    for (const auto& a : book.entries(AdviceKind::Issue))
        EXPECT_TRUE(known.count(a.code)) << a.code << " has advice but no constant in codes::";
}

TEST(Advice, EveryDiagnosisCauseHasAVerdictAndWhatToDo)
{
    ASSERT_EQ(AdviceBook::builtIn().loadError(), "");
    std::set<std::string> ranked;
    for (const auto& cause : causeRanking()) {
        ranked.insert(cause.toStdString());
        const auto* a = adviceFor(AdviceKind::Cause, cause.toStdString());
        ASSERT_TRUE(a) << "no advice for cause " << cause.toStdString();
        EXPECT_FALSE(a->title.empty()) << cause.toStdString();
        EXPECT_FALSE(a->whatToDo.empty()) << cause.toStdString();
    }
    EXPECT_GE(ranked.size(), 21u);
    for (const auto& a : AdviceBook::builtIn().entries(AdviceKind::Cause))
        EXPECT_TRUE(ranked.count(a.code)) << a.code << " has advice but the diagnoser never ranks it";
    for (const char* finding : { "dps-unreachable", "dps-not-checked", "edge-runtime-old" })
        EXPECT_TRUE(adviceFor(AdviceKind::Finding, finding)) << finding;
}

TEST(Advice, TextsAreTheOnesTheViewsAndTheVerdictShowedBefore)
{
    const auto* noData = adviceFor(AdviceKind::Cause, "no-data");
    ASSERT_TRUE(noData);
    EXPECT_EQ(noData->title, "No data arrived from the device");
    EXPECT_EQ(noData->whatToDo,
        "The device is provisioned but sent nothing while we listened: check that it is running, connected and "
        "sending (its logs), and the network path.");
    const auto* unmodeled = adviceFor(AdviceKind::Issue, codes::UnmodeledCapability);
    ASSERT_TRUE(unmodeled);
    EXPECT_EQ(unmodeled->meaning + " What to do: " + unmodeled->whatToDo,
        "IoT Central drops fields the template does not define (they show as Unmodeled data). What to do: fix the "
        "name's spelling and casing on the device, or add the capability to the template and publish it.");
    // One code, two kinds: the verdict and the message's issue say different things.
    const auto* cause = adviceFor(AdviceKind::Cause, codes::InvalidJson);
    const auto* issue = adviceFor(AdviceKind::Issue, codes::InvalidJson);
    ASSERT_TRUE(cause && issue);
    EXPECT_EQ(cause->title, "The device sends malformed JSON");
    EXPECT_NE(cause->whatToDo, issue->whatToDo);
    EXPECT_EQ(adviceFor(AdviceKind::Issue, "INVALID-JSON"), nullptr) << "codes are exact";
    EXPECT_EQ(adviceFor(AdviceKind::Issue, "no-data"), nullptr) << "a cause is not an issue";
    EXPECT_EQ(adviceFor(AdviceKind::Cause, "no-such-cause"), nullptr);
}

TEST(Advice, LoadsOnceForEveryThread)
{
    std::vector<std::thread> threads;
    std::vector<const AdviceBook*> seen(8, nullptr);
    for (size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&seen, i] { seen[i] = &AdviceBook::builtIn(); });
    for (auto& t : threads)
        t.join();
    for (const auto* book : seen)
        EXPECT_EQ(book, seen.front());
    EXPECT_FALSE(seen.front()->entries(AdviceKind::Issue).empty());
}

TEST(Advice, BrokenOrOversizedDataIsAClearError)
{
    const auto book = AdviceBook::fromJson(
        R"({"issues":[{"code":"x","meaning":"m","whatToDo":"w","docs":"https://example.com"}],"causes":[]})");
    ASSERT_TRUE(book.find(AdviceKind::Issue, "x"));
    EXPECT_EQ(book.find(AdviceKind::Issue, "x")->docs, "https://example.com");
    EXPECT_EQ(book.find(AdviceKind::Cause, "x"), nullptr);
    EXPECT_TRUE(book.entries(AdviceKind::Finding).empty());
    EXPECT_THROW(AdviceBook::fromJson("{"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson("[]"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(R"({"issues":{}})"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(R"({"issues":[1]})"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(R"({"issues":[{"meaning":"m","whatToDo":"w"}]})"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(R"({"issues":[{"code":"x","meaning":"m"}]})"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(R"({"causes":[{"code":"x","whatToDo":"w"}]})"), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(R"({"issues":[{"code":"x","meaning":2,"whatToDo":"w"}]})"), std::runtime_error);
    EXPECT_THROW(
        AdviceBook::fromJson(
            R"({"issues":[{"code":"x","meaning":"m","whatToDo":"w"},{"code":"x","meaning":"n","whatToDo":"v"}]})"),
        std::runtime_error)
        << "a code twice";
    const std::string longText(5000, 'a');
    EXPECT_THROW(AdviceBook::fromJson(QByteArray::fromStdString(
                     R"({"issues":[{"code":"x","meaning":")" + longText + R"(","whatToDo":"w"}]})")),
        std::runtime_error);
    std::string many = R"({"findings":[)";
    for (int i = 0; i < 1001; ++i)
        many += (i ? "," : "") + std::string(R"({"code":"c)") + std::to_string(i) + R"(","title":"t","whatToDo":"w"})";
    EXPECT_THROW(AdviceBook::fromJson(QByteArray::fromStdString(many + "]}")), std::runtime_error);
    EXPECT_THROW(AdviceBook::fromJson(QByteArray(2 << 20, ' ')), std::runtime_error);
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
