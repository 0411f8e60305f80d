// validate --payloads reads each line's envelope with a fast reader and falls back to parsing the
// line whole; the full parse is the definition. The two must print the same bytes for any line.
#include "mutations.h"
#include "testdata.h"

#include "diag/batchvalidate.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace iotc;
using namespace iotc::cli;
using namespace std::string_literals;

namespace {

struct Run {
    bool ok = false;
    std::string out;
    BatchSummary summary;
};

Run runWith(const std::string& path, EnvelopeReading reading, bool jsonOutput, const MessageContext& defaults)
{
    static const PayloadValidator validator(test::loadTemplate(test::TemperatureController));
    Run r;
    FILE* out = std::tmpfile();
    r.ok = runBatch(validator, path, defaults, jsonOutput, out, r.summary, reading);
    std::fflush(out);
    std::rewind(out);
    char chunk[1 << 14];
    size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, out)) > 0)
        r.out.append(chunk, n);
    std::fclose(out);
    // The one thing that may differ: how long it took.
    const auto seconds = r.out.rfind(jsonOutput ? "\"seconds\":" : " in ");
    if (seconds != std::string::npos)
        r.out.erase(seconds);
    return r;
}

std::string writeBatch(const QTemporaryDir& dir, const std::vector<std::string>& lines)
{
    const std::string path = dir.filePath(QStringLiteral("batch.jsonl")).toStdString();
    std::ofstream file(path, std::ios::binary);
    for (const auto& l : lines)
        file << l << '\n';
    return path;
}

void expectSameOutput(const std::vector<std::string>& lines, const MessageContext& defaults = {})
{
    QTemporaryDir dir;
    const auto path = writeBatch(dir, lines);
    for (bool json : { true, false }) {
        const Run fast = runWith(path, EnvelopeReading::Fast, json, defaults);
        const Run full = runWith(path, EnvelopeReading::FullParser, json, defaults);
        ASSERT_TRUE(fast.ok);
        ASSERT_TRUE(full.ok);
        EXPECT_EQ(fast.summary.messages, full.summary.messages);
        EXPECT_EQ(fast.summary.withErrors, full.summary.withErrors);
        EXPECT_EQ(fast.out, full.out) << (json ? "json" : "text");
    }
}

const std::vector<std::string>& unusualLines()
{
    static const std::vector<std::string> lines = {
        R"({"deviceId": "d1", "component": "thermostat1", "contentType": "application/json", "contentEncoding": "utf-8", "body": {"temperature": 21.5}})",
        R"({"deviceId": "d2", "body": "{\"Temperature\": 21.5,}"})",
        R"({"deviceId": "d3", "bodyBase64": "eyJ3b3JraW5nU2V0IjogMX0="})",
        R"({"deviceId": "d3b", "bodyBase64": "not base64!"})",
        R"({"deviceId": "d3c", "bodyBase64": 12})",
        "not json at all",
        R"([1, 2])",
        R"("a string")",
        R"({"deviceId": "d5", "body": {"workingSet": "x"}})",
        R"({"deviceId": 5, "body": {"workingSet": 1}})",
        R"({"deviceId": null, "component": 7, "module": false, "modelId": [], "body": {}})",
        R"({"deviceId": "d6"})",
        R"({"deviceId": "d7", "body": null})",
        R"({"deviceId": "d8", "body": [1, 2]})",
        R"({"deviceId": "d9", "body": 12.5e3})",
        R"({"deviceId": "d10", "body": "not json"})",
        R"({"deviceId": "d11", "body": "{\"workingSet\": 1}\u0000garbage"})",
        "{\"deviceId\": \"d12\", \"body\": {\"workingSet\": 1}}\0garbage"s,
        R"({"deviceId": "dup", "deviceId": "second", "body": {"workingSet": 1}})",
        R"({"deviceId": "d13", "body": {"workingSet": 1}, "body": {"nope": 2}})",
        R"({"deviceId": "d14", "body": "{}", "body": {"workingSet": "late"}})",
        R"({"deviceId": "d15", "properties": true, "properties": false, "body": {"serialNumber": "x"}})",
        R"({"deviceId": "d16", "properties": true, "body": {"thermostat1": {"__t": "c", "targetTemperature": {"value": 21.5, "ac": 200, "av": 3}}, "serialNumber": 5}})",
        R"({"deviceId": "d17", "properties": "yes", "body": {"workingSet": 1}})",
        R"({"device\u0049d": "escaped key", "b\u006fdy": {"workingSet": 1}})",
        R"({"deviceId": "\u001b[2Jdev\u202e", "body": {"nope": 1}})",
        "{\"deviceId\": \"caf\xC3\xA9 \xE2\x80\xAE\", \"body\": {\"w\xC3\xB6rkingSet\": 1}}",
        "{\"deviceId\": \"bad \xC3\", \"body\": {\"workingSet\": 1}}",
        "\xEF\xBB\xBF{\"deviceId\": \"bom\", \"body\": {\"workingSet\": 1}}",
        R"({"deviceId": "d18", "contentType": null, "contentEncoding": 5, "body": {"workingSet": 1}})",
        R"({"deviceId": "d19", "contentType": "text/plain", "contentEncoding": "utf-16", "body": {"workingSet": 1}})",
        R"({"deviceId": "d20", "module": "nosuchmodule", "component": "thermostat1", "body": {"temperature": 1}})",
        R"({"deviceId": "d21", "component": "thermostat9", "body": {"temperature": 1}})",
        R"({"deviceId": "d22", "modelId": "dtmi:com:example:TemperatureController;2", "body": {"temperature": 1}})",
        R"({"deviceId": "d23", "body": {"workingSet": 1e999}})",
        R"({"deviceId": "d24", "body": {"workingSet": 1e-400}})",
        R"({"deviceId": "d25", "body": {"workingSet": 18446744073709551616, "x": -9223372036854775809}})",
        R"({"deviceId": "d26", "body": {"workingSet": 1, "workingSet": "dup"}})",
        R"({"deviceId": "d27", "extra": {"deep": [1, {"x": [true, false, null]}]}, "body": {"workingSet": 1}})",
        R"({"deviceId": "d28", "body": {"workingSet": 1},})",
        R"({"deviceId": "d29", "body": {"workingSet": 1}} trailing)",
        R"(   {"deviceId": "d30", "body": {"workingSet": 1}}   )",
        R"({"deviceId": "d31", "body": {"$reserved": 1, "bad name": 2, "": 3}})",
        R"({"deviceId": "d32", "body": {"temperature": "21.5"}, "component": "thermostat1"})",
        R"({"deviceId": "d33", "body": {"temperature": " -3"}, "component": "thermostat1"})",
        R"({"deviceId": "d34", "body": {"temperature": "1e999"}, "component": "thermostat1"})",
        R"({"deviceId": "d35", "body": "\ud800"})",
        R"({"deviceId": "d36", "body": "\ud83d\ude00"})",
        "{\"deviceId\": \"d37\", \"body\": {\"a\": \"tab\there\"}}",
        "{\"deviceId\": \"d38\",\t\"body\":\r{\"workingSet\":\n1}}",
        "{\"deviceId\": \"d39\", \"body\": " + std::string(255, '[') + std::string(255, ']') + "}",
        "{\"deviceId\": \"d40\", \"body\": " + std::string(256, '[') + std::string(256, ']') + "}",
        "{\"deviceId\": \"d41\", \"body\": {\"workingSet\": \"" + std::string(5000, 'w') + "\"}}",
        "",
        " \t",
    };
    return lines;
}

} // namespace

TEST(BatchReading, UnusualLinesPrintTheSameEitherWay)
{
    expectSameOutput(unusualLines());
    MessageContext defaults;
    defaults.component = "thermostat2";
    defaults.contentType = "application/json";
    defaults.contentEncoding = "utf-8";
    defaults.kind = PayloadKind::ReportedProperties;
    defaults.edgeRuntimeVersion = "1.1.0";
    expectSameOutput(unusualLines(), defaults);
}

// Every line above with single bytes changed, inserted or deleted: the fast reader may leave any of
// them to the full parser, but what it reads itself must come out the same.
TEST(BatchReading, MutatedLinesPrintTheSameEitherWay)
{
    const std::string alphabet = "{}[]\":,\\u019.e-tfn \t\x01\x80\xC3\xA9";
    std::mt19937 random(15);
    std::vector<std::string> lines;
    for (const auto& line : unusualLines()) {
        if (line.size() > 300)
            continue;
        for (int k = 0; k < 40 && !line.empty(); ++k) {
            const std::string changed = test::mutated(line, random, alphabet);
            if (changed.find('\n') == std::string::npos)
                lines.push_back(changed);
        }
    }
    ASSERT_GT(lines.size(), 1000u);
    expectSameOutput(lines);
}
