// Drives the real iotc-diag binary: the command-line contract other tools depend on.
#include "testdata.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

using nlohmann::json;
using namespace iotc::test;

namespace {

struct Run {
    int exitCode = -1;
    std::string out;
    std::string err;
};

Run diag(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral(IOTC_DIAG_PATH), args);
    EXPECT_TRUE(p.waitForStarted(10000));
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    EXPECT_TRUE(p.waitForFinished(60000));
    return { p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString() };
}

QString data(const std::string& relative)
{
    return QString::fromStdString(dataPath(relative).string());
}

QString writeFile(const QTemporaryDir& dir, const char* name, const std::string& content)
{
    const auto path = dir.filePath(QString::fromLatin1(name));
    std::ofstream(path.toStdString(), std::ios::binary) << content;
    return path;
}

const QString Controller = data(TemperatureController);

} // namespace

TEST(Cli, ValidateJsonContract)
{
    const auto r = diag({ QStringLiteral("validate"), QStringLiteral("--template"), Controller,
                            QStringLiteral("--payload"), QStringLiteral("-"), QStringLiteral("--component"),
                            QStringLiteral("thermostat1"), QStringLiteral("--output"), QStringLiteral("json") },
        R"({"temperature": "curr_temp"})");
    EXPECT_EQ(r.exitCode, 1) << r.err;
    const auto j = json::parse(r.out);
    ASSERT_TRUE(j["issues"].is_array());
    ASSERT_EQ(j["issues"].size(), 3u);
    for (const auto& issue : j["issues"]) {
        for (const char* key : { "code", "severity", "path", "message", "expected", "actual", "suggestion" })
            EXPECT_TRUE(issue.contains(key)) << key;
    }
    EXPECT_EQ(j["issues"][0]["code"], "content-type-mismatch") << "omitted --content-type means none was carried";
    EXPECT_TRUE(j["issues"][0]["actual"].is_null());
    EXPECT_EQ(j["issues"][1]["code"], "missing-content-encoding");
    EXPECT_EQ(j["issues"][2]["code"], "schema-mismatch");
    EXPECT_EQ(j["issues"][2]["path"], "temperature");
    EXPECT_EQ(j["issues"][2]["severity"], "error");
}

TEST(Cli, ValidateCleanPayloadExitsZero)
{
    QTemporaryDir dir;
    const auto payload = writeFile(dir, "p.json", R"({"Temperature": 1})");
    const auto r = diag({ QStringLiteral("validate"), QStringLiteral("--template"), Controller,
        QStringLiteral("--payload"), payload, QStringLiteral("--content-type"), QStringLiteral("application/json"),
        QStringLiteral("--content-encoding"), QStringLiteral("utf-8") });
    EXPECT_EQ(r.exitCode, 0) << "warnings only";
    EXPECT_NE(r.out.find("did you mean `temperature` (in thermostat1, thermostat2)?"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour when stdout is not a terminal";
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line per issue: " << r.out;
}

TEST(Cli, ValidatePropertiesFlag)
{
    const auto r = diag(
        { QStringLiteral("validate"), QStringLiteral("--template"), Controller, QStringLiteral("--payload"),
            QStringLiteral("-"), QStringLiteral("--properties"), QStringLiteral("--output"), QStringLiteral("json") },
        R"({"osVersion": "1"})");
    EXPECT_EQ(r.exitCode, 0);
    const auto j = json::parse(r.out);
    ASSERT_EQ(j["issues"].size(), 1u) << "no header checks for properties";
    EXPECT_EQ(j["issues"][0]["code"], "unmodeled-capability");
}

TEST(Cli, UsageErrorsExitTwo)
{
    QTemporaryDir dir;
    const auto broken = writeFile(dir, "broken.json", "{\"capabilityModel\": ");
    const auto payload = writeFile(dir, "p.json", "{}");
    const std::vector<QStringList> cases {
        { QStringLiteral("validate"), QStringLiteral("--payload"), payload },
        { QStringLiteral("validate"), QStringLiteral("--template"), Controller },
        { QStringLiteral("validate"), QStringLiteral("--template"), Controller, QStringLiteral("--payload"), payload,
            QStringLiteral("--bogus") },
        { QStringLiteral("validate"), QStringLiteral("--template"), broken, QStringLiteral("--payload"), payload },
        { QStringLiteral("validate"), QStringLiteral("--template"), Controller, QStringLiteral("--payload"),
            dir.filePath(QStringLiteral("missing.json")) },
        { QStringLiteral("validate"), QStringLiteral("--template"), Controller, QStringLiteral("--payload"), payload,
            QStringLiteral("--output"), QStringLiteral("xml") },
        { QStringLiteral("frobnicate") },
        {},
    };
    for (const auto& args : cases) {
        const auto r = diag(args);
        EXPECT_EQ(r.exitCode, 2) << args.join(QLatin1Char(' ')).toStdString();
        EXPECT_FALSE(r.err.empty()) << "a clear message on stderr";
    }
    const auto r = diag(
        { QStringLiteral("validate"), QStringLiteral("--template"), broken, QStringLiteral("--payload"), payload });
    EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
}

TEST(Cli, BatchStreamsOneLinePerMessageAndASummary)
{
    QTemporaryDir dir;
    const std::string utf16Base64
        = "//57ACIAdABlAG0AcABlAHIAYQB0AHUAcgBlACIAOgAxAH0A"; // {"temperature":1} in UTF-16 LE
    const auto batch = writeFile(dir, "batch.jsonl",
        R"({"deviceId": "d1", "component": "thermostat1", "contentType": "application/json", "contentEncoding": "utf-8", "body": {"temperature": 21.5}})"
        "\n"
        R"({"deviceId": "d2", "contentType": "application/json", "contentEncoding": "utf-8", "body": "{\"Temperature\": 21.5,}"})"
        "\r\n\n"
        R"({"deviceId": "d3", "component": "thermostat1", "contentType": "application/json", "contentEncoding": "utf-8", "bodyBase64": ")"
            + utf16Base64
            + "\"}\n"
              "not json at all\n"
              R"({"deviceId": "d5", "body": {"workingSet": "x"}})"
              "\n");
    const auto r = diag({ QStringLiteral("validate"), QStringLiteral("--template"), Controller,
        QStringLiteral("--payloads"), batch, QStringLiteral("--output"), QStringLiteral("json") });
    EXPECT_EQ(r.exitCode, 1) << r.err;
    std::vector<json> lines;
    size_t start = 0;
    while (start < r.out.size()) {
        const auto end = r.out.find('\n', start);
        lines.push_back(json::parse(r.out.substr(start, end - start)));
        start = end + 1;
    }
    ASSERT_EQ(lines.size(), 6u) << r.out;
    EXPECT_EQ(lines[0]["line"], 1);
    EXPECT_EQ(lines[0]["deviceId"], "d1");
    EXPECT_TRUE(lines[0]["issues"].empty());
    EXPECT_EQ(lines[1]["line"], 2);
    EXPECT_EQ(lines[1]["issues"][0]["code"], "invalid-json");
    EXPECT_EQ(lines[2]["line"], 4) << "blank lines are skipped but counted in line numbers";
    EXPECT_EQ(lines[2]["issues"][0]["code"], "invalid-encoding");
    EXPECT_TRUE(lines[3]["deviceId"].is_null());
    EXPECT_EQ(lines[3]["issues"][0]["code"], "invalid-input-line");
    EXPECT_EQ(lines[4]["deviceId"], "d5");
    const auto& summary = lines[5]["summary"];
    EXPECT_EQ(summary["messages"], 5);
    EXPECT_EQ(summary["issues"]["invalid-json"], 1);
    EXPECT_EQ(summary["issues"]["schema-mismatch"], 1);
    EXPECT_EQ(summary["issues"]["content-type-mismatch"], 1);
    EXPECT_TRUE(summary["seconds"].is_number());
}

TEST(Cli, TemplateCommandPrintsTheIndex)
{
    const auto r
        = diag({ QStringLiteral("template"), QStringLiteral("--template"), data("azcli/device_template_edge.json") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = json::parse(r.out);
    EXPECT_TRUE(j["root"].is_array());
    EXPECT_TRUE(j["components"].is_object());
    ASSERT_TRUE(j["modules"].contains("testModule"));
    EXPECT_TRUE(j["modules"]["testModule"]["components"].contains("ModuleComponent"));
    const auto& first = j["root"][0];
    for (const char* key : { "name", "kind", "schema", "writable", "interface" })
        EXPECT_TRUE(first.contains(key)) << key;
}

TEST(Cli, TemplateWithModelsDirectory)
{
    QTemporaryDir dir;
    const auto tpl = writeFile(dir, "controller.json",
        R"({"@id": "dtmi:x:c;1", "@type": "Interface", "contents": [{"@type": "Component", "name": "t", "schema": "dtmi:com:example:Thermostat;1"}]})");
    auto r = diag({ QStringLiteral("template"), QStringLiteral("--template"), tpl });
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("dtmi:com:example:Thermostat;1"), std::string::npos) << r.err;
    r = diag(
        { QStringLiteral("template"), QStringLiteral("--template"), tpl, QStringLiteral("--models"), data("dtdl") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(json::parse(r.out)["components"].contains("t"));
}
