// Issue 14, section 2: a CLI an `az iot central diagnostics` user can switch to, consistent with
// itself. az's spellings of the options (one alias table), --output json|text on every command,
// invalid values as usage errors, and registration-summary. Each runs the real iotc-diag.
#include "../hostile/hostilehttpserver.h"
#include "../unit/diagprocess.h"

#include "diag/commandtable.h"
#include "diag/connectionoptions.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/devicestatus.h"
#include "sim/simulatedapp.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <sstream>

using nlohmann::json;
using namespace iotc::test;
using namespace iotc::cli;

namespace {

QStringList q(std::initializer_list<const char*> words)
{
    QStringList out;
    for (const char* w : words)
        out << QString::fromUtf8(w);
    return out;
}

std::string label(const QStringList& args)
{
    return args.join(QLatin1Char(' ')).toStdString();
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// Whether text is one JSON document, or JSON lines (every line one document).
bool isJson(const std::string& text)
{
    if (json::accept(text))
        return true;
    const auto all = lines(text);
    return !all.empty() && std::all_of(all.begin(), all.end(), [](const std::string& l) { return json::accept(l); });
}

std::vector<std::string> words(std::initializer_list<const char*> list)
{
    return { list.begin(), list.end() };
}

// ---- 1. The az spellings, from one table ---------------------------------------------------

TEST(AzAliases, EveryAliasReachesItsOptionOnEveryCommandThatHasIt)
{
    size_t reached = 0;
    for (const auto& spec : commandTable()) {
        const auto values = valueOptionsOf(spec);
        const auto flags = flagOptionsOf(spec);
        for (const auto& alias : optionAliases()) {
            const std::string name = alias.name;
            if (name == "help")
                continue; // -h prints the help: tested below
            if (values.count(name)) {
                const auto args = parseCommandWords(spec, { alias.spelled, "v1" });
                ASSERT_TRUE(args.error.empty()) << spec.name << " " << alias.spelled << ": " << args.error;
                if (name == "device-id" && takesDeviceId(spec))
                    EXPECT_EQ(args.positional, words({ "v1" })) << spec.name << ": -d gives DEVICE_ID";
                else
                    EXPECT_EQ(args.value(name), "v1") << spec.name << " " << alias.spelled;
                ++reached;
            } else if (flags.count(name)) {
                const auto args = parseCommandWords(spec, { alias.spelled });
                ASSERT_TRUE(args.error.empty()) << spec.name << " " << alias.spelled << ": " << args.error;
                EXPECT_TRUE(args.has(name)) << spec.name << " " << alias.spelled;
                ++reached;
            } else {
                EXPECT_FALSE(parseCommandWords(spec, { alias.spelled, "v1" }).error.empty())
                    << spec.name << " has no --" << name << ", so " << alias.spelled << " is unknown";
            }
        }
    }
    EXPECT_GT(reached, 40u);
    // The streaming commands' own value options, as az spells them.
    for (const char* command : { "monitor-events", "validate-messages", "capture" }) {
        const auto args = parseCommandWords(commandSpec(command),
            { "-d", "dev*", "-m", "mod", "--cg", "cg1", "-t", "5", "--mn", "3", "--app-id", "contoso", "-y" });
        ASSERT_TRUE(args.error.empty()) << command << ": " << args.error;
        EXPECT_EQ(args.value("device-id"), "dev*");
        EXPECT_EQ(args.value("module-id"), "mod");
        EXPECT_EQ(args.value("consumer-group"), "cg1");
        EXPECT_EQ(args.value("timeout"), "5");
        EXPECT_EQ(args.value("max-messages"), "3");
        EXPECT_EQ(args.value("app"), "contoso");
        EXPECT_EQ(parseCommandWords(commandSpec(command), { "--mm", "4", "-c", "cg2", "--to", "9" }).values,
            (std::unordered_map<std::string, std::string> {
                { "max-messages", "4" }, { "consumer-group", "cg2" }, { "timeout", "9" } }));
    }
}

TEST(AzAliases, EveryCommandThatTakesADeviceIdTakesDashD)
{
    std::set<std::string> withDeviceId;
    for (const auto& spec : commandTable())
        if (takesDeviceId(spec))
            withDeviceId.insert(spec.name);
    EXPECT_EQ(withDeviceId,
        (std::set<std::string> {
            "device show", "registration-info", "validate-properties", "monitor-properties", "diagnose", "probe" }));
    // Both, the same: fine. Both, differing: a usage error. Empty: a usage error.
    const auto& show = commandSpec("device show");
    EXPECT_EQ(parseCommandWords(show, { "a", "--device-id", "a" }).positional, words({ "a" }));
    EXPECT_NE(parseCommandWords(show, { "a", "-d", "b" }).error.find("differ"), std::string::npos);
    EXPECT_NE(parseCommandWords(show, { "-d", "" }).error.find("empty"), std::string::npos);
    EXPECT_NE(parseCommandWords(show, { "a", "-d", "b", "-d", "b" }).error, "");

    auto r = diag(q({ "device", "show", "-d", "blocked-device", "--demo" }));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["status"], "blocked");
    r = diag(q({ "registration-info", "--device-id", "blocked-device", "--demo" }));
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(json::parse(r.out)["status"], "blocked");
    r = diag(q({ "validate-properties", "-d", "rejected-writable", "--demo" }));
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.out.find("writable-property-rejected"), std::string::npos) << r.out;
    r = diag(q({ "device", "show", "blocked-device", "-d", "blocked-device", "--demo" }));
    EXPECT_EQ(r.exitCode, 0) << "the positional and the option agree: " << r.err;
    r = diag(q({ "device", "show", "healthy-controller", "--device-id", "blocked-device", "--demo" }));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("differ"), std::string::npos) << r.err;
    r = diag(q({ "device", "show", "--demo" }));
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--device-id"), std::string::npos) << "the usage error names both ways: " << r.err;
}

TEST(AzAliases, AppIdYesAndHelp)
{
    auto setup = setUpCommand("devices", { "--app-id", "contoso", "--token", "t", "-y" });
    ASSERT_TRUE(setup.ready());
    EXPECT_EQ(setup.context->connection.profile.baseUrl, QStringLiteral("https://contoso.azureiotcentral.com"));
    setup = setUpCommand("devices", { "-n", "fabrikam", "--token", "t", "--yes" });
    ASSERT_TRUE(setup.ready());
    EXPECT_EQ(setup.context->connection.profile.baseUrl, QStringLiteral("https://fabrikam.azureiotcentral.com"));
    EXPECT_EQ(setUpCommand("devices", { "--app-id", "a", "--app", "b", "--token", "t" }).exitCode, ExitUsage)
        << "two different applications";

    // -y is accepted by every command, and changes nothing.
    for (const auto& spec : commandTable())
        EXPECT_TRUE(parseCommandWords(spec, { "-y" }).error.empty()) << spec.name;
    const auto plain = diag(q({ "explain", "401002" }));
    for (const char* yes : { "-y", "--yes" }) {
        const auto r = diag(q({ "explain", "401002", yes }));
        EXPECT_EQ(r.exitCode, plain.exitCode);
        EXPECT_EQ(r.out, plain.out);
    }

    // The help lists the aliases next to the option; -h is --help.
    const std::string events = commandHelp(commandSpec("monitor-events"));
    for (const char* shown : { "\n  --device-id, -d ID", "\n  --module-id, -m ID", "\n  --consumer-group, --cg, -c CG",
             "\n  --max-messages, --mn, --mm N", "\n  --timeout, --to, -t SECONDS", "\n  --app, --app-id, -n SUBDOMAIN",
             "\n  --yes, -y ", "\n  --help, -h " })
        EXPECT_NE(events.find(shown), std::string::npos) << shown << " in\n" << events;
    EXPECT_NE(commandHelp(commandSpec("device show")).find("(or --device-id ID, -d ID)"), std::string::npos);
    const auto h = diag(q({ "device", "show", "-h" }));
    EXPECT_EQ(h.exitCode, 0);
    EXPECT_EQ(h.out, commandHelp(commandSpec("device show")));
}

TEST(AzAliases, StreamingCommandsTakeTheAzSpellings)
{
    const auto r = diag(q({ "monitor-events", "--demo", "-d", "healthy-controller", "--mn", "2", "-t", "30", "-y" }));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto all = lines(r.out);
    ASSERT_EQ(all.size(), 2u) << r.out;
    for (const auto& line : all)
        EXPECT_EQ(json::parse(line)["event"]["origin"], "healthy-controller") << line;
    for (const auto& [args, option] : std::vector<std::pair<QStringList, std::string>> {
             { q({ "monitor-events", "--mn", "abc" }), "--max-messages" },
             { q({ "validate-messages", "--mm", "-3" }), "--max-messages" },
             { q({ "monitor-events", "-t", "abc" }), "--timeout" },
             { q({ "monitor-events", "-q" }), "-q" },
         }) {
        const auto bad = diag(args);
        EXPECT_EQ(bad.exitCode, 2) << label(args);
        EXPECT_NE(bad.err.find(option), std::string::npos) << label(args) << "\n" << bad.err;
    }
}

// ---- 2. --output json|text on every command ----------------------------------------------------

struct Invocation {
    QStringList args;
    int exitCode;
    bool streams = false; // output is produced by another part's code: only its acceptance is checked here
};

std::vector<Invocation> everyCommand(const QString& payload)
{
    const QString controller = dataFile(TemperatureController);
    return {
        { q({ "validate", "--template" }) << controller << q({ "--payload" }) << payload
                                          << q({ "--content-type", "application/json", "--content-encoding", "utf-8" }),
            0 },
        { q({ "template", "--template" }) << controller, 0 },
        { q({ "template", "show", "dtmi:com:example:TemperatureController;2", "--demo" }), 0 },
        { q({ "devices", "--demo" }), 0 },
        { q({ "device", "show", "healthy-controller", "--demo" }), 0 },
        { q({ "registration-info", "blocked-device", "--demo" }), 1 },
        { q({ "registration-summary", "--demo" }), 0 },
        { q({ "validate-properties", "rejected-writable", "--demo" }), 1 },
        { q({ "monitor-properties", "healthy-controller", "--demo", "-t", "1", "--interval", "0.3" }), 0 },
        { q({ "explain", "401002" }), 0 },
        { q({ "scan-log" }) << dataFile("logs/c-sdk.log"), 1 },
        { q({ "monitor-events", "--demo", "-d", "healthy-controller", "--mn", "1", "-t", "30" }), 0, true },
        { q({ "validate-messages", "--demo", "-d", "healthy-controller", "--mn", "1", "-t", "30" }), 0, true },
    };
}

TEST(OutputModes, EveryCommandTakesJsonJsonlAndText)
{
    QTemporaryDir dir;
    const auto payload = writeFile(dir, "p.json", R"({"workingSet": 1})");
    for (const auto& run : everyCommand(payload)) {
        std::map<std::string, DiagRun> by;
        for (const char* mode : { "json", "jsonl", "text" }) {
            const QStringList args = QStringList(run.args) << QStringLiteral("--output") << QLatin1String(mode);
            by[mode] = diag(args);
            EXPECT_EQ(by[mode].exitCode, run.exitCode) << label(args) << "\n" << by[mode].err;
            EXPECT_FALSE(by[mode].out.empty()) << label(args);
        }
        const std::string name = label(run.args);
        EXPECT_TRUE(isJson(by["json"].out)) << name << "\n" << by["json"].out;
        EXPECT_TRUE(isJson(by["jsonl"].out)) << name << "\n" << by["jsonl"].out;
        if (!run.streams) {
            EXPECT_FALSE(isJson(by["text"].out)) << name << ": text is for people\n" << by["text"].out;
            EXPECT_EQ(by["text"].out.find("{\""), std::string::npos) << name << "\n" << by["text"].out;
        }
    }
    // What every command also accepts: the parse of the ones whose runs need more (a capture file,
    // a diagnosis): jsonl is json, and a made-up mode is refused.
    for (const char* command : { "replay", "diagnose", "capture" }) {
        const auto& spec = commandSpec(command);
        for (const char* mode : { "json", "jsonl", "text" })
            EXPECT_TRUE(parseCommandWords(spec, { "x", "--output", mode }).error.empty()) << command << " " << mode;
    }
    EXPECT_EQ(parseCommandWords(commandSpec("diagnose"), { "x", "--output", "jsonl" }).value("output"), "json");
    EXPECT_EQ(parseCommandWords(commandSpec("replay"), { "x", "--output", "jsonl" }).value("output"), "jsonl");
}

// json is the default everywhere (validate printed text before).
TEST(OutputModes, JsonIsTheDefault)
{
    QTemporaryDir dir;
    const auto payload = writeFile(dir, "p.json", R"({"Temperature": 1})");
    const QString controller = dataFile(TemperatureController);
    for (const QStringList& args : { q({ "validate", "--template" }) << controller << q({ "--payload" }) << payload,
             q({ "template", "--template" }) << controller, q({ "explain", "400209" }),
             q({ "scan-log" }) << dataFile("logs/c-sdk.log"), q({ "registration-summary", "--demo" }),
             q({ "version" }) }) {
        const auto plain = diag(args);
        const auto asJson = diag(QStringList(args) << QStringLiteral("--output") << QStringLiteral("json"));
        EXPECT_EQ(plain.exitCode, asJson.exitCode) << label(args);
        EXPECT_EQ(plain.out, asJson.out) << label(args);
        EXPECT_TRUE(json::accept(plain.out)) << label(args) << "\n" << plain.out;
    }
}

TEST(OutputModes, VersionSaysItInBothModes)
{
    const auto asJson = diag(q({ "version" }));
    ASSERT_EQ(asJson.exitCode, 0) << asJson.err;
    EXPECT_EQ(json::parse(asJson.out).value("iotc-diag", ""), IOTC_VERSION);
    const auto text = diag(q({ "version", "--output", "text" }));
    EXPECT_EQ(text.out.rfind(std::string("iotc-diag ") + IOTC_VERSION, 0), 0u) << text.out;
    EXPECT_EQ(diag(q({ "version", "--output", "yaml" })).exitCode, 2);
    EXPECT_EQ(diag(q({ "version", "extra" })).exitCode, 2);
}

// Every row's second column starts where the first row's does.
void expectAligned(const std::vector<std::string>& rows, const std::string& what)
{
    ASSERT_FALSE(rows.empty()) << what;
    const auto column = [](const std::string& row) {
        const auto gap = row.find("  ");
        return gap == std::string::npos ? std::string::npos : row.find_first_not_of(' ', gap);
    };
    const auto first = column(rows.front());
    ASSERT_NE(first, std::string::npos) << what << "\n" << rows.front();
    for (const auto& row : rows)
        EXPECT_EQ(column(row), first) << what << ": not aligned\n" << row;
}

TEST(OutputModes, TextIsAlignedAndSaysWhatToDo)
{
    auto r = diag(q({ "device", "show", "blocked-device", "--demo", "--output", "text" }));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto rows = lines(r.out);
    expectAligned(rows, "device show");
    const auto& blocked = iotc::statusKnowledge(iotc::DeviceStatus::Blocked);
    for (const std::string& expected : { std::string("blocked-device"), std::string("enabled        false"),
             std::string("blocked: ") + blocked.title, blocked.description, "what to do     " + blocked.mitigation })
        EXPECT_NE(r.out.find(expected), std::string::npos) << expected << " in\n" << r.out;

    r = diag(q({ "devices", "--demo", "--status", "registered", "--output", "text" }));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto list = lines(r.out);
    ASSERT_GE(list.size(), 3u) << r.out;
    EXPECT_EQ(list.front().rfind("ID  ", 0), 0u) << list.front();
    EXPECT_EQ(list.back(), std::to_string(list.size() - 2) + " device(s)");
    list.pop_back();
    expectAligned(list, "devices");

    // template show --output text is the index 'template --output text' prints for the same template.
    QTemporaryDir dir;
    const auto shown = diag(q({ "template", "show", "dtmi:com:example:TemperatureController;2", "--demo" }));
    ASSERT_EQ(shown.exitCode, 0) << shown.err;
    const auto file = writeFile(dir, "t.json", shown.out);
    const auto fromApp
        = diag(q({ "template", "show", "dtmi:com:example:TemperatureController;2", "--demo", "--output", "text" }));
    const auto fromFile = diag(q({ "template", "--template" }) << file << q({ "--output", "text" }));
    ASSERT_EQ(fromFile.exitCode, 0) << fromFile.err;
    EXPECT_EQ(fromApp.out, fromFile.out);
    EXPECT_EQ(fromApp.out.rfind("template dtmi:com:example:TemperatureController;2", 0), 0u) << fromApp.out;
    EXPECT_NE(fromApp.out.find("\ncomponent thermostat1 "), std::string::npos) << fromApp.out;
}

// ---- 3. Invalid values are usage errors --------------------------------------------------------

TEST(InvalidValues, EveryOptionOfEveryCommandIsChecked)
{
    QTemporaryDir dir;
    const auto payload = writeFile(dir, "p.json", "{}");
    const QString controller = dataFile(TemperatureController);
    const QStringList validate = q({ "validate", "--template" }) << controller << q({ "--payload" }) << payload;
    const std::vector<std::pair<QStringList, std::string>> cases {
        { QStringList(validate) << q({ "--output", "xml" }), "--output" },
        { QStringList(validate) << q({ "--edge-version", "abc" }), "--edge-version" },
        { QStringList(validate) << q({ "--edge-version", "1..2" }), "--edge-version" },
        { q({ "template", "--template" }) << controller << q({ "--output", "yaml" }), "--output" },
        { q({ "template", "show", "x", "--demo", "--output", "yaml" }), "--output" },
        { q({ "devices", "--demo", "--status", "foo" }), "--status" },
        { q({ "devices", "--demo", "--template", "" }), "--template" },
        { q({ "devices", "--demo", "--output", "csv" }), "--output" },
        { q({ "device", "show", "x", "--demo", "--output", "yaml" }), "--output" },
        { q({ "device", "show", "", "--demo" }), "device id" },
        { q({ "registration-info", "x", "--demo", "--output", "xml" }), "--output" },
        { q({ "registration-summary", "--demo", "--output", "table" }), "--output" },
        { q({ "validate-properties", "x", "--demo", "--output", "yaml" }), "--output" },
        { q({ "monitor-properties", "x", "--demo", "--interval", "abc" }), "--interval" },
        { q({ "monitor-properties", "x", "--demo", "--stale-after", "-1" }), "--stale-after" },
        { q({ "monitor-properties", "x", "--demo", "-t", "abc" }), "--timeout" },
        { q({ "monitor-properties", "x", "--demo", "--output", "csv" }), "--output" },
        { q({ "explain", "401", "--output", "yaml" }), "--output" },
        { q({ "scan-log", "-", "--output", "yaml" }), "--output" },
        // The connection options, on any command that takes them.
        { q({ "devices", "--demo", "--timeout", "abc" }), "--timeout" },
        { q({ "devices", "--demo", "-t", "0" }), "--timeout" },
        { q({ "devices", "--demo", "--to", "601" }), "--timeout" },
        { q({ "devices", "--app", "", "--token", "t" }), "--app" },
        { q({ "devices", "--app-id", "my app", "--token", "t" }), "--app" },
        { q({ "devices", "--app", "contoso.azureiotcentral.com", "--token", "t" }), "--app contoso" },
        { q({ "devices", "--app", "contoso", "--dns-suffix", "", "--token", "t" }), "--dns-suffix" },
        { q({ "devices", "--app", "contoso", "--dns-suffix", "a..b", "--token", "t" }), "--dns-suffix" },
        { q({ "devices", "--demo", "--dns-suffix", "example.com" }), "--dns-suffix" },
        { q({ "devices", "--base-url", "ftp://x", "--token", "t" }), "--base-url" },
        { q({ "devices", "--app", "contoso", "--token", "" }), "--token" },
        { q({ "devices", "--app", "contoso", "--token", "t", "--dps-endpoint", "nope" }), "--dps-endpoint" },
        { q({ "devices", "--demo", "--output" }), "--output needs a value" },
        { q({ "devices", "--demo", "--demo=yes" }), "--demo takes no value" },
    };
    for (const auto& [args, option] : cases) {
        QElapsedTimer clock;
        clock.start();
        const auto r = diag(args);
        EXPECT_EQ(r.exitCode, 2) << label(args) << "\n" << r.err;
        EXPECT_NE(r.err.find(option), std::string::npos) << label(args) << "\n" << r.err;
        EXPECT_TRUE(r.out.empty()) << label(args) << "\n" << r.out;
        EXPECT_LT(clock.elapsed(), 10000) << label(args) << ": judged before anything connects";
    }
}

// ---- 4. registration-summary -------------------------------------------------------------------

std::map<std::string, int> statusCountsOfDeviceList(const QStringList& connection)
{
    const auto r = diag(q({ "devices", "--output", "json" }) << connection);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    std::map<std::string, int> counts;
    const auto list = json::parse(r.out);
    for (const auto& d : list["devices"])
        ++counts[d["status"].get<std::string>()];
    return counts;
}

TEST(RegistrationSummary, CountsEveryDeviceByStatusPageByPage)
{
    iotc::sim::SimOptions options;
    options.pageSize = 3; // the listing takes several pages
    options.extraDevices = 7;
    options.rateHz = 0;
    options.extraRateHz = 0;
    iotc::sim::SimulatedApp app(options);
    const auto e = app.start();
    const QStringList connection { QStringLiteral("--base-url"), e.baseUrl, QStringLiteral("--token"), e.apiToken };

    const auto r = diag(q({ "registration-summary" }) << connection);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::ordered_json::parse(r.out); // keeps the order the keys were printed in
    ASSERT_EQ(j.size(), 2u) << r.out;
    EXPECT_EQ(j["devices"], e.devices) << "every page was counted";
    EXPECT_GT(e.devices, 3 * 5);
    // The keys, all of them, in the order the brief gives (az's order: provisioned first).
    std::vector<std::string> keys;
    for (const auto& [key, value] : j["summary"].items())
        keys.push_back(key);
    EXPECT_EQ(keys,
        (std::vector<std::string> {
            "provisioned", "registered", "blocked", "blocked-or-waiting-for-approval", "unassigned" }));
    EXPECT_EQ(r.out.find("\"summary\""), r.out.find('"')) << "summary first, then devices";
    // The same counts as the device list's own statuses, and the scenario's known devices.
    const auto expected = statusCountsOfDeviceList(connection);
    int sum = 0;
    for (const auto& key : keys) {
        const int n = j["summary"][key].get<int>();
        EXPECT_EQ(n, expected.count(key) ? expected.at(key) : 0) << key;
        sum += n;
    }
    EXPECT_EQ(sum, e.devices);
    EXPECT_GE(j["summary"]["blocked"], 1) << "blocked-device";
    EXPECT_GE(j["summary"]["blocked-or-waiting-for-approval"], 1) << "waiting-for-approval";
    EXPECT_GE(j["summary"]["unassigned"], 1) << "unassigned-device";
    EXPECT_GE(j["summary"]["registered"], 3) << "registered-never-connected, expired-credentials, throttled-device";

    const auto text = diag(q({ "registration-summary", "--output", "text" }) << connection);
    ASSERT_EQ(text.exitCode, 0) << text.err;
    auto rows = lines(text.out);
    ASSERT_GE(rows.size(), 7u) << text.out;
    rows.resize(7); // the table; what to do follows
    expectAligned(rows, "registration-summary");
    EXPECT_EQ(rows[0].rfind("STATUS  ", 0), 0u) << text.out;
    EXPECT_NE(rows[6].find(std::to_string(e.devices)), std::string::npos) << rows[6];
    EXPECT_EQ(rows[6].rfind("total", 0), 0u) << rows[6];
    EXPECT_NE(text.out.find("What to do:"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find(iotc::statusKnowledge(iotc::DeviceStatus::Blocked).mitigation), std::string::npos)
        << text.out;
}

// A listing that fails part way says so and how far it got (exit 1, nothing on stdout); one that
// fails at once could not run (exit 2), as devices.
TEST(RegistrationSummary, AFailedListingSaysHowManyWereCounted)
{
    std::atomic<quint16> port { 0 };
    const QByteArray refused = R"({"error":{"code":"Forbidden","message":"no access","requestId":"r1"}})";
    iotc::hostile::HostileHttpServer server([&](const QByteArray& head) {
        if (head.contains("page=2") || head.contains("refuse"))
            return iotc::hostile::ScriptedReply::answer(403, refused);
        const QByteArray device = R"({"id":"d%1","template":"dtmi:x:y;1","enabled":true,"provisioned":%2})";
        const QByteArray next
            = "http://127.0.0.1:" + QByteArray::number(port.load()) + "/api/devices?api-version=2022-07-31&page=2";
        return iotc::hostile::ScriptedReply::answer(200,
            "{\"value\":[" + QByteArray(device).replace("%1", "1").replace("%2", "true") + ","
                + QByteArray(device).replace("%1", "2").replace("%2", "false") + "],\"nextLink\":\"" + next + "\"}");
    });
    ASSERT_TRUE(server.listening());
    port = server.port();
    auto r = diag(q({ "registration-summary", "--base-url" }) << server.baseUrl() << q({ "--token", "t" }));
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << "partial counts are never printed as the summary: " << r.out;
    EXPECT_NE(r.err.find("403"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("after 2 device(s)"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("provisioned"), std::string::npos) << r.err;

    r = diag(q({ "registration-summary", "--base-url" })
        << (server.baseUrl() + QStringLiteral("/refuse")) << q({ "--token", "t", "--output", "text" }));
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("403"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("after"), std::string::npos) << "nothing was counted: " << r.err;
}

} // namespace
