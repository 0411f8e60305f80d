#include "diagnose/diagnosis.h"
#include "knowledge/advice.h"
#include "knowledge/logscanner.h"
#include "testdata.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// One number, two services: the entry is the answering service's (issue 14).
TEST(KnowledgeBase, ByCodeAndKind)
{
    const auto& kb = KnowledgeBase::builtIn();
    const auto* dps = kb.byCode("429", "dps");
    ASSERT_TRUE(dps);
    EXPECT_EQ(dps->cause, "dps-throttled");
    EXPECT_EQ(kb.byCode("429001", "dps"), nullptr) << "429001 is IoT Hub's code";
    const auto* hub = kb.byCode("ThrottlingException", "iothub");
    ASSERT_TRUE(hub);
    EXPECT_EQ(hub->code, "429001");
    EXPECT_EQ(hub->cause, "hub-throttled") << "IoT Hub throttling is not DPS throttling";
    EXPECT_NE(hub->mitigation.find("Reduce message frequency"), std::string::npos) << hub->mitigation;
    EXPECT_EQ(kb.byCode("404", "dps"), kb.byCode("404"));
    EXPECT_EQ(kb.byCode("404", "central"), nullptr) << "IoT Central's REST answers are not in the guide's table";
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
        "sending (its logs), and the network path. From the device's network, `iotc-diag probe DEVICE_ID "
        "--as-device` (the workbench's Connectivity tab) connects and sends as the device and shows where it stops; "
        "`iotc-diag netcheck` checks the ports.");
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

// Issue 14: status codes as the SDKs spell them, socket errors, line counting and the 403006 headline.

struct Spelling {
    const char* line;
    const char* code; // nullptr: nothing is found
};

class LogSpellings : public ::testing::TestWithParam<Spelling> { };

void PrintTo(const Spelling& s, std::ostream* os)
{
    *os << s.line;
}

TEST_P(LogSpellings, AreRecognisedAsTheirCode)
{
    const auto& s = GetParam();
    const auto scan = scanLog(std::string(s.line) + "\n");
    if (!s.code) {
        EXPECT_TRUE(scan.findings.empty()) << scan.findings.front().entry->code << " in: " << s.line;
        return;
    }
    EXPECT_EQ(codesIn(scan), (std::multiset<std::string> { s.code })) << s.line;
    // The scanner searches a long line only around the anchors: every match must hold one.
    for (const auto& f : scan.findings) {
        std::string lower = f.matched;
        std::transform(lower.begin(), lower.end(), lower.begin(),
            [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
        EXPECT_TRUE(std::any_of(f.entry->anchors.begin(), f.entry->anchors.end(),
            [&](const std::string& a) { return lower.find(a) != std::string::npos; }))
            << f.entry->code << " matched \"" << f.matched << "\" without any of its anchors";
        // The same code far into a long line, across the scanning windows, is found the same.
        const auto far = scanLog(std::string(5000, '.') + " " + s.line + " " + std::string(3000, '.'));
        EXPECT_EQ(codesIn(far), codesIn(scan)) << s.line;
    }
}

INSTANTIATE_TEST_SUITE_P(StatusWordsWithTheirNumber, LogSpellings,
    ::testing::Values(
        // .NET HttpStatusCode names with the number in brackets.
        Spelling { "[10:00:01 ERR] Registration failed: BadRequest (400)", "400" },
        Spelling { "Send failed: Bad Request (400)", "400" }, Spelling { "DPS answered Unauthorized (401)", "401" },
        Spelling { "Upload abandoned: IoT Hub answered Forbidden (403)", "403" },
        Spelling { "GetTwin failed: NotFound (404)", "404" }, Spelling { "PreconditionFailed (412)", "412" },
        Spelling { "Send failed: TooManyRequests (429), backing off", "429" },
        Spelling { "InternalServerError (500)", "500" },
        // HttpRequestException and Azure.Core: the number first, the name in brackets.
        Spelling { "Response status code does not indicate success: 401 (Unauthorized).", "401" },
        Spelling { "Response status code does not indicate success: 429 (Too Many Requests).", "429" },
        Spelling { "Status: 403 (Server failed to authenticate the request. Make sure the value of Authorization "
                   "header is formed correctly including the signature.)",
            "403" },
        // The DPS HTTP transport (AutoRest) and HttpResponseMessage.ToString().
        Spelling {
            "Microsoft.Rest.HttpOperationException: Operation returned an invalid status code 'NotFound'", "404" },
        Spelling { "StatusCode: 429, ReasonPhrase: 'Too Many Requests', Version: 1.1", "429" },
        Spelling { "StatusCode: Unauthorized", "401" },
        // ClientWebSocket; Python's HTTP pipeline (DEBUG and the ServiceError).
        Spelling { "The server returned status code '401' when status code '101' was expected.", "401" },
        Spelling { "DEBUG azure.iot.device.common.pipeline.pipeline_stages_http HTTP Response Status: 403", "403" },
        Spelling { "HTTP operation returned: 403 TooManyDevicesError(Error: Forbidden)", "403" },
        Spelling { "HTTP/1.1 404 Not Found", "404" },
        // The six-digit IoT Hub codes and their names win over the status beside them.
        Spelling { "HTTP Response Status: 403 {\"errorCode\":403006}", "403006" },
        Spelling {
            "QuotaExceededException: {\"Message\":\"ErrorCode:DeviceMaximumActiveFileUploadLimitExceeded;Number of "
            "active file upload requests cannot exceed 10\"} Forbidden (403)",
            "403006" },
        Spelling { "{\"Message\":\"ErrorCode:IotHubQuotaExceeded;Total number of messages on IotHub 'hub' exceeded the "
                   "allocated quota\"} Forbidden (403)",
            "403002" },
        Spelling { "DeviceNotFoundException: ErrorCode:DeviceNotFound NotFound (404)", "404001" },
        Spelling { "IotHubThrottledException: TooManyRequests (429)", "429001" },
        Spelling { "Unauthorized (401) {\"errorCode\":401002}", "401002" },
        // Not status codes.
        Spelling { "Sent 401 bytes in 403 ms (message 1429, version 500)", nullptr },
        Spelling { "Unauthorized access is logged (see section 401)", nullptr },
        Spelling { "NotFound (4041)", nullptr }, Spelling { "Forbidden (404)", nullptr },
        Spelling { "Network reachable again after 12 s", nullptr }));

INSTANTIATE_TEST_SUITE_P(SocketErrors, LogSpellings,
    ::testing::Values(Spelling { "OSError: [Errno 101] Network is unreachable", "NETWORK_UNREACHABLE" },
        Spelling { "wlan0: network unreachable", "NETWORK_UNREACHABLE" },
        Spelling { "Error: connect ENETUNREACH 10.20.0.4:8883 - Local (0.0.0.0:0)", "NETWORK_UNREACHABLE" },
        Spelling { "Error: connect EHOSTUNREACH 10.20.0.4:8883", "NETWORK_UNREACHABLE" },
        Spelling { "OSError: [Errno 113] No route to host", "NETWORK_UNREACHABLE" },
        Spelling { "System.Net.Sockets.SocketException (10051): A socket operation was attempted to an unreachable "
                   "network.",
            "NETWORK_UNREACHABLE" },
        Spelling { "System.Net.Sockets.SocketException (10065)", "NETWORK_UNREACHABLE" },
        Spelling { "SocketErrorCode: NetworkUnreachable", "NETWORK_UNREACHABLE" },
        Spelling { "connect() failed with WSAENETUNREACH", "NETWORK_UNREACHABLE" },
        Spelling { "Error: File:socketio_berkeley.c Func:initiate_socket_connection Line:612 Failure: connect failure "
                   "101.",
            "NETWORK_UNREACHABLE" },
        Spelling { "Error: connect ECONNREFUSED 20.49.110.132:8883", "CONNECTION_REFUSED" },
        Spelling { "SocketException (10061): No connection could be made because the target machine actively refused "
                   "it.",
            "CONNECTION_REFUSED" },
        Spelling { "Failure: connect failure 111.", "CONNECTION_REFUSED" },
        Spelling { "Error: connect ETIMEDOUT 20.49.110.132:8883", "TIMEOUT" },
        Spelling { "OSError: [Errno 110] Connection timed out", "TIMEOUT" },
        Spelling { "SocketException (10060): A connection attempt failed because the connected party did not properly "
                   "respond after a period of time",
            "TIMEOUT" },
        Spelling { "socket.gaierror: [Errno -2] Name or service not known", "DNS_FAILURE" },
        Spelling { "getaddrinfo ENOTFOUND global.azure-devices-provisioning.net", "DNS_FAILURE" },
        Spelling { "DNS did not resolve hostname IP address. Hostname:iotc-x.azure-devices.net", "DNS_FAILURE" },
        Spelling { "SocketException (11001): No such host is known.", "DNS_FAILURE" }));

struct LineCount {
    const char* text;
    size_t lines;
};

TEST(LogScanner, CountsLinesAsAnEditorDoes)
{
    const std::vector<LineCount> cases { { "", 0 }, { "a", 1 }, { "a\n", 1 }, { "a\r\n", 1 }, { "\n", 1 },
        { "\r\n", 1 }, { "\n\n", 2 }, { "a\nb", 2 }, { "a\nb\n", 2 }, { "a\r\nb\r\n", 2 }, { "a\n\nb\n", 3 },
        { "a\r\nb", 2 } };
    for (const auto& c : cases)
        EXPECT_EQ(scanLog(c.text).lines, c.lines) << "\"" << c.text << "\"";
    // The code on the last line counts, with or without a line end, and "\r" is not part of the line.
    for (const char* text : { "ok\r\nDEVICE_BLOCKED\r\n", "ok\r\nDEVICE_BLOCKED", "ok\nDEVICE_BLOCKED\n" }) {
        const auto scan = scanLog(text);
        EXPECT_EQ(scan.lines, 2u) << text;
        ASSERT_EQ(scan.findings.size(), 1u) << text;
        EXPECT_EQ(scan.findings[0].line, 2u);
        EXPECT_EQ(scan.findings[0].text, "DEVICE_BLOCKED");
    }
    std::string utf16("\xFF\xFE", 2);
    for (char c : std::string("one\r\ntwo\r\n")) {
        utf16 += c;
        utf16 += '\0';
    }
    EXPECT_EQ(scanLog(utf16).lines, 2u) << "UTF-16 too";
    EXPECT_EQ(scanLog(readFile("logs/c-sdk.log")).lines, 6u);
    EXPECT_EQ(scanLog(readFile("logs/healthy.log")).lines, 4u);
}

TEST(LogHeadline, AFileUpload403006IsItsOwnCauseWithTheGuidesMitigation)
{
    const auto& kb = KnowledgeBase::builtIn();
    const auto* upload = kb.byCode("403006");
    ASSERT_TRUE(upload);
    EXPECT_EQ(upload->cause, "file-upload-limit-exceeded");
    EXPECT_EQ(logCause(*upload), "file-upload-limit-exceeded");
    // An earlier general error (the 401 and the unreachable network) does not hide it.
    const auto scan
        = scanLog("Registration failed: Unauthorized (401)\n"
                  "OSError: [Errno 101] Network is unreachable\n"
                  "HTTP Response Status: 403\n"
                  "Upload failed: {\"Message\":\"ErrorCode:DeviceMaximumActiveFileUploadLimitExceeded;Number "
                  "of active file upload requests cannot exceed 10\"}\n");
    EXPECT_EQ(codesIn(scan), (std::multiset<std::string> { "401", "NETWORK_UNREACHABLE", "403", "403006" }));
    const auto headline = logHeadline(scan);
    ASSERT_TRUE(headline);
    EXPECT_EQ(headline->cause, "file-upload-limit-exceeded");
    ASSERT_LT(headline->finding, scan.findings.size());
    EXPECT_EQ(scan.findings[headline->finding].entry->code, "403006");
    EXPECT_EQ(scan.findings[headline->finding].line, 4u);
    EXPECT_EQ(headline->occurrences, 1u);
    ASSERT_TRUE(headline->advice) << "advice.json has the cause";
    EXPECT_NE(headline->advice->title.find("403006"), std::string::npos) << headline->advice->title;
    EXPECT_NE(headline->advice->title.find("file upload"), std::string::npos) << headline->advice->title;
    // The guide: notify that each upload has completed; if that does not help, reduce the request timeout.
    for (const auto* text : { &headline->advice->whatToDo, &upload->mitigation }) {
        EXPECT_NE(text->find("notify IoT Central promptly"), std::string::npos) << *text;
        EXPECT_NE(text->find("reduce the upload request timeout"), std::string::npos) << *text;
    }
    EXPECT_NE(headline->cause, GenericLogCause);
}

TEST(LogHeadline, TheGeneralCauseOnlyWhenNoCodeNamesItsOwn)
{
    const auto generic = logHeadline(scanLog("connect ETIMEDOUT 1.2.3.4:8883\nconnect ENETUNREACH 1.2.3.4:8883\n"
                                             "Error: connect ENETUNREACH 1.2.3.4:8883\n"));
    ASSERT_TRUE(generic);
    EXPECT_EQ(generic->cause, GenericLogCause);
    EXPECT_EQ(generic->occurrences, 2u) << "the unreachable network twice; the time-out is a warning";
    ASSERT_TRUE(generic->advice);
    EXPECT_EQ(generic->advice->title, "The device's log reports errors");
    // A code with its own cause beats a more severe code without one (as the diagnosis ranks them).
    const auto throttled = logHeadline(scanLog("connect ENETUNREACH 1.2.3.4:8883\nstatus 429, retry-after 3\n"));
    ASSERT_TRUE(throttled);
    EXPECT_EQ(throttled->cause, "dps-throttled");
    const auto hub
        = logHeadline(scanLog("connect ENETUNREACH 1.2.3.4:8883\nIotHubThrottledException: TooManyRequests (429)\n"));
    ASSERT_TRUE(hub);
    EXPECT_EQ(hub->cause, "hub-throttled") << "IoT Hub's 429001, not DPS's 429";
    // Warnings only, or nothing: no headline.
    EXPECT_FALSE(logHeadline(scanLog("connect ETIMEDOUT 1.2.3.4:8883\n")));
    EXPECT_FALSE(logHeadline(scanLog("")));
    EXPECT_FALSE(logHeadline(scanLog(readFile("logs/healthy.log"))));
}

TEST(LogHeadline, EveryCauseACodeNamesHasAVerdictAndWhatToDo)
{
    std::set<std::string> causes;
    for (const auto& e : KnowledgeBase::builtIn().entries()) {
        if (e.cause.empty())
            continue;
        causes.insert(e.cause);
        const auto* a = adviceFor(AdviceKind::Cause, e.cause);
        ASSERT_TRUE(a) << e.code << " names cause " << e.cause << ", which advice.json does not know";
        EXPECT_FALSE(a->whatToDo.empty()) << e.cause;
    }
    EXPECT_EQ(causes,
        (std::set<std::string> { "dps-invalid-credentials", "dps-throttled", "hub-throttled", "device-blocked",
            "device-blocked-or-waiting-for-approval", "file-upload-limit-exceeded" }));
    EXPECT_TRUE(adviceFor(AdviceKind::Cause, std::string(GenericLogCause)));
    EXPECT_THROW(KnowledgeBase::fromJson(R"({"entries":[{"code":"x","cause":""}]})"), std::runtime_error);
    EXPECT_THROW(KnowledgeBase::fromJson(R"({"entries":[{"code":"x","cause":3}]})"), std::runtime_error);
    EXPECT_EQ(KnowledgeBase::fromJson(R"({"entries":[{"code":"x","cause":"c"}]})").byCode("x")->cause, "c");
}

struct FixtureHeadline {
    const char* file;
    std::multiset<std::string> expected;
    const char* headline; // nullptr: none
};

class SdkLogHeadlines : public ::testing::TestWithParam<FixtureHeadline> { };

void PrintTo(const FixtureHeadline& c, std::ostream* os)
{
    *os << c.file;
}

TEST_P(SdkLogHeadlines, FindTheCodesAndTheHeadline)
{
    const auto& c = GetParam();
    const std::string text = readFile(std::string("logs/") + c.file);
    ASSERT_FALSE(text.empty()) << c.file;
    const auto scan = scanLog(text);
    EXPECT_EQ(codesIn(scan), c.expected);
    EXPECT_EQ(scan.lines, static_cast<size_t>(std::count(text.begin(), text.end(), '\n'))) << "newline-terminated";
    for (const auto& f : scan.findings) {
        EXPECT_LE(f.line, scan.lines);
        EXPECT_NE(f.text.find(f.matched), std::string::npos);
    }
    const auto headline = logHeadline(scan);
    if (!c.headline) {
        EXPECT_FALSE(headline) << headline->cause;
        return;
    }
    ASSERT_TRUE(headline);
    EXPECT_EQ(headline->cause, c.headline);
}

INSTANTIATE_TEST_SUITE_P(RealisticLogs, SdkLogHeadlines,
    ::testing::Values(
        FixtureHeadline { "dotnet-fileupload.log",
            { "NETWORK_UNREACHABLE", "NETWORK_UNREACHABLE", "403006", "403", "400" }, "file-upload-limit-exceeded" },
        FixtureHeadline {
            "python-fileupload.log", { "NETWORK_UNREACHABLE", "403", "403006", "403" }, "file-upload-limit-exceeded" },
        FixtureHeadline { "node-network.log",
            { "NETWORK_UNREACHABLE", "NETWORK_UNREACHABLE", "NETWORK_UNREACHABLE", "TIMEOUT" }, "device-log-errors" },
        FixtureHeadline { "dotnet-sdk.log", { "DEVICE_DISABLED", "429001", "403006" }, "file-upload-limit-exceeded" },
        FixtureHeadline { "c-sdk.log", { "401002" }, "dps-invalid-credentials" },
        FixtureHeadline { "java-sdk.log", { "TLS_CERTIFICATE", "TIMEOUT" }, "device-log-errors" },
        FixtureHeadline { "healthy.log", {}, nullptr }));
