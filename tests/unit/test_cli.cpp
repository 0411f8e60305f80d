// Drives the real iotc-diag binary: the command-line contract other tools depend on.
#include "diagprocess.h"

#include "diag/arguments.h"
#include "diag/commandtable.h"
#include "diag/connectionoptions.h"
#include "diag/inputfile.h"
#include "diag/runloop.h"
#include "diag/textoutput.h"

#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>

using nlohmann::json;
using namespace iotc::test;

namespace {

const QString Controller = dataFile(TemperatureController);

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
    const auto r = diag(
        { QStringLiteral("validate"), QStringLiteral("--template"), Controller, QStringLiteral("--payload"), payload,
            QStringLiteral("--content-type"), QStringLiteral("application/json"), QStringLiteral("--content-encoding"),
            QStringLiteral("utf-8"), QStringLiteral("--output"), QStringLiteral("text") });
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
    const auto r = diag(
        { QStringLiteral("template"), QStringLiteral("--template"), dataFile("azcli/device_template_edge.json") });
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
    r = diag({ QStringLiteral("template"), QStringLiteral("--template"), tpl, QStringLiteral("--models"),
        dataFile("dtdl") });
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(json::parse(r.out)["components"].contains("t"));
}

// Issue 12: the helpers behind every command's input and text output, tested in-process.
namespace {

using iotc::cli::printable;

TEST(TextOutput, PrintableEscapesWhatATerminalWouldObey)
{
    EXPECT_EQ(printable(std::string_view("\x1b[2Jclear")), "\\x1b[2Jclear");
    EXPECT_EQ(printable(std::string_view("a\x07\x7f\r")), "a\\x07\\x7f\\x0d");
    EXPECT_EQ(printable(std::string_view("tab\there")), "tab\there") << "tabs are harmless";
    EXPECT_EQ(printable(std::string_view("two\nlines")), "two\\x0alines");
    EXPECT_EQ(printable(std::string_view("two\nlines"), true), "two\nlines");
    EXPECT_EQ(printable(std::string_view("\xc2\x9b"
                                         "31m")),
        "\\u009b31m")
        << "C1 CSI";
    EXPECT_EQ(printable(std::string_view("\x9b"
                                         "31m")),
        "\\x9b31m")
        << "a raw 8-bit CSI is not UTF-8";
    EXPECT_EQ(printable(std::string_view("abc\xe2\x80\xae"
                                         "fed")),
        "abc\\u202efed")
        << "right-to-left override";
    EXPECT_EQ(printable(std::string_view("\xe2\x81\xa6x\xe2\x81\xa9")), "\\u2066x\\u2069") << "isolates";
    EXPECT_EQ(printable(std::string_view("\xc3\xa9t\xc3\xa9 \xe6\xb8\xa9\xe5\xba\xa6 \xf0\x9f\x8c\xa1")),
        "\xc3\xa9t\xc3\xa9 \xe6\xb8\xa9\xe5\xba\xa6 \xf0\x9f\x8c\xa1")
        << "ordinary text stays as it is";
    EXPECT_EQ(printable(std::string_view("\xe2\x80")), "\\xe2\\x80") << "a cut sequence";
    EXPECT_EQ(printable(std::string_view("\xc0\x9b")), "\\xc0\\x9b") << "an overlong CSI";
    using namespace std::string_literals;
    EXPECT_EQ(printable("a\0b"s), "a\\x00b");
    EXPECT_EQ(printable(QStringLiteral("id\u202e\u001b")), QStringLiteral("id\\u202e\\x1b"));
}

TEST(TextOutput, IssueTextCarriesNoControlCharacters)
{
    iotc::Issue issue;
    issue.code = "invalid-field-name";
    issue.severity = iotc::Severity::Error;
    issue.path = "[\"\x1b[2J\"]";
    issue.message = "`\x1b]0;title\x07` is not a valid name";
    issue.actual = "\xe2\x80\xae"
                   "evil";
    issue.expected = "x";
    issue.suggestion = "\x1b[31m";
    const auto text = iotc::cli::formatIssueText(issue, false);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
    EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos) << text;
    EXPECT_NE(text.find("\\x1b]0;title\\x07"), std::string::npos) << text;
    EXPECT_EQ(text.back(), '\n');
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << "one line per issue";
}

TEST(Arguments, NumbersAreStrict)
{
    using iotc::parseInteger;
    using iotc::parseNumber;
    EXPECT_EQ(parseInteger("42"), 42);
    EXPECT_EQ(parseInteger("-3"), -3);
    for (const char* bad :
        { "", "0x", "0x10", " 5", "5 ", "5s", "1e3", "1.5", "abc", "+", "-", "99999999999999999999" })
        EXPECT_FALSE(parseInteger(bad)) << bad;
    EXPECT_EQ(parseNumber("2.5"), 2.5);
    EXPECT_EQ(parseNumber("-3"), -3.0);
    EXPECT_EQ(parseNumber("10"), 10.0);
    for (const char* bad : { "", "nan", "NaN", "inf", "-inf", "1e999", "1e3", "0x10", " 1", "1 ", "1,5", "abc", "." })
        EXPECT_FALSE(parseNumber(bad)) << bad;
}

TEST(Arguments, OptionReaderNamesTheOptionAndTheValue)
{
    auto args = iotc::cli::parseArguments(
        { "--lookback", "-3", "--output", "yaml", "--listen", "abc" }, { "lookback", "output", "listen" }, {});
    iotc::cli::OptionReader reader(args);
    EXPECT_EQ(reader.integer("listen", 60, 0, 3600), 60) << "the fallback when the value does not fit";
    EXPECT_EQ(reader.number("lookback", 10, 0, 100), 10.0);
    EXPECT_EQ(reader.choice("output", "json", { "json", "text" }), "json");
    EXPECT_FALSE(reader.ok());
    EXPECT_EQ(reader.error(), "invalid value for --listen: abc (expected an integer from 0 to 3600)")
        << "the first problem is kept";

    args = iotc::cli::parseArguments({ "--output", "yaml" }, { "output" }, {});
    iotc::cli::OptionReader choice(args);
    choice.choice("output", "json", { "json", "text" });
    EXPECT_EQ(choice.error(), "invalid value for --output: yaml (expected one of json, text)");

    args = iotc::cli::parseArguments({ "--rate", "2.5", "--devices", "7" }, { "rate", "devices" }, {});
    iotc::cli::OptionReader fine(args);
    EXPECT_EQ(fine.number("rate", 1, 0, 1000), 2.5);
    EXPECT_EQ(fine.integer("devices", 0, 0, 10), 7);
    EXPECT_EQ(fine.integer("absent", 3, 0, 10), 3);
    EXPECT_TRUE(fine.ok());
}

TEST(Arguments, SecretsFromFiles)
{
    QTemporaryDir dir;
    const auto file = writeFile(dir, "token", "SharedAccessSignature sr=x&sig=y\r\n");
    QString error;
    auto secret = iotc::cli::secretArgument("@" + file.toStdString(), &error);
    ASSERT_TRUE(secret) << error.toStdString();
    EXPECT_EQ(*secret, QStringLiteral("SharedAccessSignature sr=x&sig=y")) << "the trailing newline is trimmed";
    secret = iotc::cli::secretFromFile(file.toStdString(), &error);
    ASSERT_TRUE(secret);
    EXPECT_EQ(*secret, QStringLiteral("SharedAccessSignature sr=x&sig=y"));
    secret = iotc::cli::secretArgument("SharedAccessSignature sr=z", &error);
    ASSERT_TRUE(secret) << "any other value is the secret itself";
    EXPECT_EQ(*secret, QStringLiteral("SharedAccessSignature sr=z"));

    EXPECT_FALSE(iotc::cli::secretArgument("@" + dir.filePath(QStringLiteral("missing")).toStdString(), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("cannot open"))) << error.toStdString();
    EXPECT_FALSE(iotc::cli::secretArgument("@" + dir.path().toStdString(), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("is a directory"))) << error.toStdString();
    const auto empty = writeFile(dir, "empty", "\n");
    EXPECT_FALSE(iotc::cli::secretArgument("@" + empty.toStdString(), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("is empty"))) << error.toStdString();
    EXPECT_FALSE(iotc::cli::secretArgument("@/dev/zero", &error)) << "a secret file is small";
    EXPECT_TRUE(error.contains(QStringLiteral("larger than"))) << error.toStdString();
}

TEST(Arguments, LineReaderCapsTheLineNotTheFile)
{
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += std::string(static_cast<size_t>(i % 300), 'x') + "\n";
    text += "last";
    const auto file = writeFile(dir, "lines", text);
    iotc::cli::LineReader reader(300);
    std::string error;
    ASSERT_TRUE(reader.open(file.toStdString(), error)) << error;
    std::string line;
    size_t n = 0;
    iotc::cli::LineReader::Result r;
    while ((r = reader.next(line, error)) == iotc::cli::LineReader::Result::Line) {
        ASSERT_EQ(line, n < 1000 ? std::string(n % 300, 'x') : std::string("last")) << n;
        ++n;
    }
    EXPECT_EQ(r, iotc::cli::LineReader::Result::End) << error;
    EXPECT_EQ(n, 1001u);

    iotc::cli::LineReader endless(1 << 20);
    ASSERT_TRUE(endless.open("/dev/zero", error));
    EXPECT_EQ(endless.next(line, error), iotc::cli::LineReader::Result::Error);
    EXPECT_EQ(error, "line 1 of /dev/zero is longer than 1 MiB");
    iotc::cli::LineReader directory;
    EXPECT_FALSE(directory.open(dir.path().toStdString(), error));
    EXPECT_NE(error.find("is a directory"), std::string::npos) << error;
}

} // namespace

// Issue 13: one command table behind the dispatcher, every help text and every command's options.
namespace {

using namespace iotc::cli;

QStringList nameWords(const CommandSpec& spec)
{
    return QString::fromLatin1(spec.name).split(QLatin1Char(' '));
}

TEST(CommandTable, TheOverviewListsEveryCommand)
{
    // Every command the dispatcher knew before the table, written out here so a command dropped
    // from the table fails this test instead of silently vanishing from the help.
    const std::vector<std::string> known { "validate", "template", "template show", "devices", "device show",
        "registration-info", "registration-summary", "monitor-events", "validate-messages", "capture", "replay",
        "validate-properties", "monitor-properties", "diagnose", "triage", "probe", "netcheck", "sim", "explain",
        "scan-log", "version", "help" };
    EXPECT_EQ(commandTable().size(), known.size());
    const auto help = diag({ QStringLiteral("--help") });
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_EQ(diag({ QStringLiteral("help") }).out, help.out);
    const auto none = diag({});
    EXPECT_EQ(none.exitCode, 2) << "no command is a usage error";
    EXPECT_EQ(none.err, help.out) << "the same overview, on stderr";
    for (const auto& name : known) {
        EXPECT_NE(help.out.find("\n  " + name + " "), std::string::npos) << name << " missing in\n" << help.out;
        size_t consumed = 0;
        std::vector<std::string> words;
        for (const auto& w : QString::fromStdString(name).split(QLatin1Char(' ')))
            words.push_back(w.toStdString());
        const CommandSpec* spec = findCommand(words, &consumed);
        ASSERT_NE(spec, nullptr) << name;
        EXPECT_EQ(spec->name, name);
        EXPECT_EQ(consumed, words.size());
        EXPECT_NE(spec->run, nullptr) << name;
    }
    const auto unknown = diag({ QStringLiteral("frobnicate") });
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos) << unknown.err;
    EXPECT_NE(unknown.err.find("  diagnose "), std::string::npos) << "followed by the overview";
    const auto device = diag({ QStringLiteral("device") });
    EXPECT_EQ(device.exitCode, 2);
    EXPECT_EQ(device.err, "usage: iotc-diag device show DEVICE_ID [--output json|text] [connection options]\n");
}

TEST(CommandTable, EveryCommandHelpShowsItsOptions)
{
    for (const auto& spec : commandTable()) {
        const auto r = diag(nameWords(spec) << QStringLiteral("--help"));
        EXPECT_EQ(r.exitCode, 0) << spec.name << "\n" << r.err;
        EXPECT_TRUE(r.err.empty()) << spec.name << ": " << r.err;
        EXPECT_EQ(r.out.rfind(usageLine(spec), 0), 0u) << spec.name << "\n" << r.out;
        EXPECT_EQ(r.out, commandHelp(spec)) << spec.name;
        for (const auto* list : { &spec.values, &spec.flags })
            for (const auto& o : *list)
                // "  --name VALUE", or "  --name, ALIASES VALUE" (the aliases next to the option)
                EXPECT_EQ(r.out.find(std::string("\n  --") + o.name + " ") == std::string::npos
                        && r.out.find(std::string("\n  --") + o.name + ", ") == std::string::npos,
                    o.hidden)
                    << spec.name << " --" << o.name << "\n"
                    << r.out;
        for (const char* connection : { "\n  --app, --app-id, -n SUBDOMAIN", "\n  --token-file FILE", "\n  --demo " })
            EXPECT_EQ(r.out.find(connection) != std::string::npos, spec.connection != ConnectionUse::None)
                << spec.name << connection;
        const auto timeout = r.out.find("\n--timeout: ");
        ASSERT_NE(timeout, std::string::npos) << spec.name << ": what --timeout means";
        EXPECT_EQ(r.out.find("\n--timeout: none", timeout) != std::string::npos, spec.timeout == TimeoutMeaning::None)
            << spec.name;
        // "help COMMAND" says the same.
        EXPECT_EQ(diag(QStringList { QStringLiteral("help") } + nameWords(spec)).out, r.out) << spec.name;
    }
    // A value that happens to read "--help" is a value, not a request for help.
    const auto r = diag({ QStringLiteral("validate"), QStringLiteral("--template"), Controller,
        QStringLiteral("--payload"), QStringLiteral("--help") });
    EXPECT_EQ(r.exitCode, 2) << r.out;
    EXPECT_NE(r.err.find("--payload: cannot open --help"), std::string::npos) << r.err;
}

TEST(CommandTable, TimeoutMeansWhatTheTableSays)
{
    std::vector<std::string> words { "--base-url", "http://127.0.0.1:9", "--token", "t", "--timeout", "5" };
    auto setup = setUpCommand("devices", words);
    ASSERT_TRUE(setup.ready()) << setup.exitCode;
    EXPECT_TRUE(setup.context->haveApp);
    EXPECT_EQ(setup.context->connection.profile.timeoutMs, 5000) << "a REST bound for devices";

    words = { "dev1", "--base-url", "http://127.0.0.1:9", "--token", "t", "--timeout", "3600" };
    setup = setUpCommand("monitor-properties", words);
    ASSERT_TRUE(setup.ready()) << "the run's length, not limited to the REST bound's 600 s";
    EXPECT_EQ(setup.context->connection.profile.timeoutMs, iotc::ConnectionProfile().timeoutMs);
    EXPECT_EQ(setup.context->args.value("timeout"), "3600");

    words = { "dev1", "--base-url", "http://127.0.0.1:9", "--token", "t", "--timeout", "7" };
    setup = setUpCommand("validate-properties", words);
    ASSERT_TRUE(setup.ready()) << setup.exitCode;
    EXPECT_EQ(setup.context->connection.profile.timeoutMs, 7000) << "a REST bound for validate-properties";
    EXPECT_EQ(setup.context->connection.profile.deadlineMs, 7000);
    words[6] = "3600";
    EXPECT_EQ(setUpCommand("validate-properties", words).exitCode, ExitUsage) << "beyond the REST bound's 600 s";

    setup = setUpCommand("monitor-events", {});
    ASSERT_TRUE(setup.ready()) << "the application is optional for the stream commands";
    EXPECT_FALSE(setup.context->haveApp);

    EXPECT_EQ(setUpCommand("devices", { "--bogus" }).exitCode, ExitUsage);
    EXPECT_EQ(setUpCommand("devices", {}).exitCode, ExitUsage) << "no application";
    EXPECT_EQ(setUpCommand("device show", { "--demo" }).exitCode, ExitUsage) << "no DEVICE_ID";
    EXPECT_EQ(setUpCommand("device show", { "a", "b", "--demo" }).exitCode, ExitUsage);
    bool checked = false;
    const auto refused = setUpCommand("devices", {}, { .check = [&](const Arguments&) {
        checked = true;
        return 7;
    } });
    EXPECT_TRUE(checked);
    EXPECT_EQ(refused.exitCode, 7) << "the command's own check runs before the connection";
    std::string problem;
    EXPECT_TRUE(positionalsFit(commandSpec("explain"), parseArguments({ "a", "b", "c" }, {}, {}), problem));
    EXPECT_FALSE(positionalsFit(commandSpec("scan-log"), parseArguments({ "a", "b" }, {}, {}), problem));
    EXPECT_EQ(problem, "unexpected argument b");
}

TEST(RunLoop, EndsAtTheDeadline)
{
    RunLoop loop(0.2);
    EXPECT_EQ(loop.exec(), RunLoop::End::Deadline);
    EXPECT_GE(loop.elapsedMs(), 200);
    EXPECT_LT(loop.elapsedMs(), 5000);
    EXPECT_STREQ(endName(RunLoop::End::Deadline), "timeout");
}

TEST(RunLoop, EndsWhenDoneBeforeTheDeadline)
{
    bool ready = false;
    QTimer::singleShot(100, [&] { ready = true; });
    RunLoop loop(
        30, [&] { return ready; }, 10);
    EXPECT_EQ(loop.exec(), RunLoop::End::Done);
    EXPECT_GE(loop.elapsedMs(), 100);
    EXPECT_LT(loop.elapsedMs(), 5000);

    RunLoop finished(30);
    QTimer::singleShot(50, [&] { finished.finish(); });
    EXPECT_EQ(finished.exec(), RunLoop::End::Done);
    EXPECT_LT(finished.elapsedMs(), 5000);

    RunLoop later(0);
    QTimer::singleShot(100, [&] { later.setDeadline(0.1); });
    EXPECT_EQ(later.exec(), RunLoop::End::Deadline) << "a deadline set once the run is under way";
    EXPECT_GE(later.elapsedMs(), 100) << "counted from setDeadline()";
    EXPECT_LT(later.elapsedMs(), 5000);

    RunLoop already(30, [] { return true; });
    EXPECT_EQ(already.exec(), RunLoop::End::Done);
    EXPECT_LT(already.elapsedMs(), 1000) << "a condition that already holds does not wait";
}

// The flag a stop signal sets stays set for the process (iotc-diag ends after one run), so this
// test runs last; whole processes interrupted at any moment are in test_streamcli.
TEST(RunLoop, EndsOnAStopSignalAndAnEarlierOneEndsTheNextLoopAtOnce)
{
    catchStopSignals();
    EXPECT_FALSE(stopRequested());
    RunLoop loop(30);
    QTimer::singleShot(50, [] { std::raise(SIGTERM); });
    EXPECT_EQ(loop.exec(), RunLoop::End::Signal);
    EXPECT_LT(loop.elapsedMs(), 5000);
    EXPECT_TRUE(stopRequested());
    RunLoop next(30);
    EXPECT_EQ(next.exec(), RunLoop::End::Signal) << "a signal that came before the loop ends it";
    EXPECT_LT(next.elapsedMs(), 1000);
}

} // namespace
