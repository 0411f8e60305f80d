// Drives the real iotc-diag binary's knowledge commands: explain and scan-log.
#include "diagprocess.h"

#include "knowledge/advice.h"

#include <QStringList>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace iotc::test;

namespace {

// Our own codes (issues, diagnosis causes, findings) are not in the troubleshooting guide's knowledge
// base: explain gives the advice book's texts for them, in the shape of the guide's entries.
TEST(Explain, OurOwnCodesGetTheAdviceBooksTexts)
{
    const iotc::Advice* issue = iotc::adviceFor(iotc::AdviceKind::Issue, "unmodeled-capability");
    const iotc::Advice* cause = iotc::adviceFor(iotc::AdviceKind::Cause, "unmodeled-capability");
    ASSERT_NE(issue, nullptr);
    ASSERT_NE(cause, nullptr);
    auto r = diag({ QStringLiteral("explain"), QStringLiteral("unmodeled-capability") });
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    auto j = json::parse(r.out);
    EXPECT_EQ(j["query"], "unmodeled-capability");
    ASSERT_EQ(j["entries"].size(), 2u) << "an issue and a cause, each with its own words: " << r.out;
    const auto& first = j["entries"][0];
    for (const char* key :
        { "code", "kind", "title", "description", "mitigation", "severity", "httpStatus", "aliases", "source" })
        EXPECT_TRUE(first.contains(key)) << key << " as in the knowledge base's entries";
    EXPECT_EQ(first["code"], "unmodeled-capability");
    EXPECT_EQ(first["kind"], "issue");
    EXPECT_EQ(first["title"], issue->title);
    EXPECT_EQ(first["description"], issue->meaning);
    EXPECT_EQ(first["mitigation"], issue->whatToDo);
    EXPECT_EQ(j["entries"][1]["kind"], "cause");
    EXPECT_EQ(j["entries"][1]["title"], cause->title);
    EXPECT_EQ(j["entries"][1]["mitigation"], cause->whatToDo);

    // A cause alone, in text: the title, what to do.
    const iotc::Advice* noData = iotc::adviceFor(iotc::AdviceKind::Cause, "no-data");
    ASSERT_NE(noData, nullptr);
    ASSERT_EQ(iotc::adviceFor(iotc::AdviceKind::Issue, "no-data"), nullptr);
    r = diag(
        { QStringLiteral("explain"), QStringLiteral("no-data"), QStringLiteral("--output"), QStringLiteral("text") });
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(r.out.rfind("no-data - " + noData->title + " (cause)\n", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("What to do: " + noData->whatToDo), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Nothing in the knowledge base"), std::string::npos) << r.out;

    // An issue in text says what it means too; a check's finding is found as well.
    r = diag({ QStringLiteral("explain"), QStringLiteral("missing-content-encoding"), QStringLiteral("--output"),
        QStringLiteral("text") });
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    const iotc::Advice* encoding = iotc::adviceFor(iotc::AdviceKind::Issue, "missing-content-encoding");
    ASSERT_NE(encoding, nullptr);
    ASSERT_FALSE(encoding->meaning.empty()) << "an issue's advice says what it means";
    EXPECT_NE(r.out.find("\n  " + encoding->meaning + "\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("(issue)"), std::string::npos) << r.out;
    r = diag({ QStringLiteral("explain"), QStringLiteral("dps-unreachable") });
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(json::parse(r.out)["entries"][0]["kind"], "finding");
}

TEST(Explain, SomethingUnknownStillExitsOne)
{
    auto r = diag({ QStringLiteral("explain"), QStringLiteral("no-such-code-anywhere") });
    EXPECT_EQ(r.exitCode, 1) << r.out;
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["query"], "no-such-code-anywhere");
    EXPECT_TRUE(j["entries"].empty());
    r = diag({ QStringLiteral("explain"), QStringLiteral("no-such-code-anywhere"), QStringLiteral("--output"),
        QStringLiteral("text") });
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "Nothing in the knowledge base matches \"no-such-code-anywhere\".\n");
    // The guide's own codes still come from the knowledge base, not the advice.
    r = diag({ QStringLiteral("explain"), QStringLiteral("401002") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json found = json::parse(r.out); // kept: a range-for over a temporary's member dangles
    for (const auto& e : found["entries"])
        EXPECT_NE(e["kind"], "issue") << e.dump();
}

// scan-log leads with the one cause the log points to, with what to do about it.
TEST(ScanLog, HeadlineNamesTheCauseTheLogPointsTo)
{
    const QString log = dataFile("logs/dotnet-fileupload.log");
    auto r = diag({ QStringLiteral("scan-log"), log });
    EXPECT_EQ(r.exitCode, 1) << "findings: " << r.err;
    const auto j = json::parse(r.out);
    ASSERT_TRUE(j["headline"].is_object()) << r.out;
    const auto& headline = j["headline"];
    EXPECT_EQ(headline["cause"], "file-upload-limit-exceeded") << headline.dump();
    ASSERT_TRUE(headline["whatToDo"].is_string());
    EXPECT_FALSE(headline["whatToDo"].get<std::string>().empty());
    ASSERT_TRUE(headline["line"].is_number_integer());
    EXPECT_GT(headline["line"].get<int>(), 0);
    bool shown = false; // the headline's line and code are one of the findings
    for (const auto& f : j["findings"])
        shown = shown || (f["line"] == headline["line"] && f["code"] == headline["code"]);
    EXPECT_TRUE(shown) << r.out;

    r = diag({ QStringLiteral("scan-log"), log, QStringLiteral("--output"), QStringLiteral("text") });
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out.rfind("Headline: ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("[file-upload-limit-exceeded]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("What to do: " + headline["whatToDo"].get<std::string>()), std::string::npos) << r.out;
}

TEST(ScanLog, WarningsAloneMakeNoHeadline)
{
    QTemporaryDir dir;
    const auto log = writeFile(dir, "warnings.log",
        "[09:00:00 INF] Connecting\n"
        "[09:00:05 WRN] Direct method failed: DeviceNotOnline\n"
        "[09:00:09 WRN] AMQP link detached: amqp:link:stolen\n"
        "[09:00:10 INF] Connected\n");
    auto r = diag({ QStringLiteral("scan-log"), log });
    const auto j = json::parse(r.out);
    ASSERT_FALSE(j["findings"].empty()) << "the warnings are found: " << r.out;
    for (const auto& f : j["findings"])
        EXPECT_EQ(f["severity"], "warning") << f.dump();
    EXPECT_TRUE(j.contains("headline"));
    EXPECT_TRUE(j["headline"].is_null()) << r.out;

    r = diag({ QStringLiteral("scan-log"), log, QStringLiteral("--output"), QStringLiteral("text") });
    EXPECT_EQ(r.out.find("Headline:"), std::string::npos) << r.out;
}

} // namespace
