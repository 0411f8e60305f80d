// Hostile input to iotc-diag itself (issue 12): files that are directories, endless devices or
// missing; payloads with a NUL and garbage after it; a DTMI that climbs out of the models folder;
// names and ids that carry terminal escapes; option values that mean nothing; a payload of
// 200,000 members. Every case ends by itself, within a bound, with exit 2 and a message that says
// what was wrong (or exit 1 and the problem reported), never a signal or a hang.
#include "hostilecli.h"

#include <QDir>
#include <QFile>
#include <nlohmann/json.hpp>

#include <functional>

using namespace iotc::hostile;

namespace {

const char* Template = "dtdl/dtmi/com/example/temperaturecontroller-2.json";

QString tpl()
{
    return dataFile(Template);
}

// validate with the headers a healthy message carries, so the body alone decides the exit code.
QStringList validate(const QStringList& more)
{
    return QStringList { QStringLiteral("validate"), QStringLiteral("--content-type"),
        QStringLiteral("application/json"), QStringLiteral("--content-encoding"), QStringLiteral("utf-8") }
    + more;
}

QString put(const QTemporaryDir& dir, const char* name, const std::string& content)
{
    return writeFile(dir, QString::fromLatin1(name), content);
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string show(const Ending& e)
{
    return "exit " + std::to_string(e.exitCode) + "\nstderr: " + e.err.substr(0, 1000)
        + "\nstdout: " + e.out.substr(0, 1000);
}

// No byte a terminal would act on: ESC, BEL, a C1 CSI, the right-to-left override.
::testing::AssertionResult noTerminalControls(const std::string& text)
{
    for (const char* bad : { "\x1b", "\x07", "\xc2\x9b", "\xe2\x80\xae" }) {
        if (contains(text, bad))
            return ::testing::AssertionFailure() << "raw control sequence in: " << nlohmann::json(text).dump();
    }
    return ::testing::AssertionSuccess();
}

std::string manyMembers(int n)
{
    std::string body = "{";
    for (int i = 0; i < n; ++i)
        body += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    return body + "}";
}

} // namespace

// Each command that reads a file, with each kind of bad file.
TEST(HostileInput, BadFilesEndWithAClearMessage)
{
    QTemporaryDir dir;
    const auto payload = put(dir, "p.json", R"({"workingSet": 1})");
    const auto missing = dir.filePath(QStringLiteral("missing.json"));
    struct Reader {
        const char* what;
        std::function<QStringList(const QString&)> args;
        const char* endless; // what /dev/zero is refused as
    };
    const std::vector<Reader> readers {
        { "validate --payload",
            [&](const QString& f) {
                return validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), f });
            },
            "larger than 64 MiB" },
        { "validate --template",
            [&](const QString& f) {
                return validate({ QStringLiteral("--template"), f, QStringLiteral("--payload"), payload });
            },
            "larger than 64 MiB" },
        { "validate --payloads",
            [&](const QString& f) {
                return validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payloads"), f });
            },
            "longer than" },
        { "scan-log",
            [](const QString& f) {
                return QStringList { QStringLiteral("scan-log"), f };
            },
            "larger than" },
    };
    for (const auto& reader : readers) {
        const std::vector<std::pair<QString, std::string>> files { { dir.path(), "is a directory" },
            { QStringLiteral("/dev/zero"), reader.endless }, { missing, "cannot open" } };
        for (const auto& [file, reason] : files) {
            const auto e = runDiag(reader.args(file), {}, 30000);
            const std::string label = std::string(reader.what) + " " + file.toStdString();
            EXPECT_TRUE(endedCleanly(e, { 2 })) << label;
            EXPECT_TRUE(contains(e.err, reason)) << label << "\n" << show(e);
            EXPECT_TRUE(contains(e.err, file.toStdString())) << label << ": the message names the file\n" << show(e);
            EXPECT_FALSE(contains(e.out, "0 message(s)")) << label << ": a read error is not an empty batch";
        }
    }
}

TEST(HostileInput, UnreadableFileEndsWithAClearMessage)
{
    // A path through a regular file cannot be opened by anyone, root included (CI runs as root, so
    // permission bits would not stop it).
    QTemporaryDir dir;
    const auto file = put(dir, "plain.json", R"({"workingSet": 1})");
    const auto e = runDiag(validate(
        { QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), file + QStringLiteral("/x.json") }));
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_TRUE(contains(e.err, "Not a directory")) << show(e);
}

// nlohmann stops reading at a NUL: {"a":1}\0garbage passed as valid JSON.
TEST(HostileInput, NulThenGarbageIsInvalidJson)
{
    QTemporaryDir dir;
    using namespace std::string_literals;
    const std::string body = "{\"workingSet\": 1}\0garbage"s;
    const auto file = put(dir, "nul.json", body);
    for (const auto& [source, input] :
        { std::pair { file, QByteArray() }, std::pair { QStringLiteral("-"), QByteArray::fromStdString(body) } }) {
        const auto e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), source,
                                   QStringLiteral("--output"), QStringLiteral("json") }),
            input);
        ASSERT_TRUE(endedCleanly(e, { 1 })) << show(e);
        const auto issues = nlohmann::json::parse(e.out)["issues"];
        ASSERT_EQ(issues.size(), 1u) << e.out;
        EXPECT_EQ(issues[0]["code"], "invalid-json");
    }
    // In a batch: a body holding a NUL, and a NUL after the envelope itself.
    const auto batch = put(dir, "nul.jsonl",
        R"({"deviceId": "d1", "body": "{\"workingSet\": 1}\u0000garbage"})"
        "\n"
        "{\"deviceId\": \"d2\", \"body\": {\"workingSet\": 1}}\0garbage\n"s);
    const auto e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payloads"), batch,
        QStringLiteral("--output"), QStringLiteral("json") }));
    ASSERT_TRUE(endedCleanly(e, { 1 })) << show(e);
    EXPECT_TRUE(contains(e.out, R"({"line":1,"deviceId":"d1","issues":[{"code":"invalid-json")")) << e.out;
    EXPECT_TRUE(contains(e.out, R"({"line":2,"deviceId":null,"issues":[{"code":"invalid-input-line")")) << e.out;
}

// dtmi:..:..:x;1 in extends named a file outside --models (models/dtmi/../../x-1.json).
TEST(HostileInput, DtmiCannotClimbOutOfTheModelsFolder)
{
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("models/dtmi"));
    put(dir, "x-1.json",
        R"({"@id": "dtmi:..:..:x;1", "@type": "Interface", "contents": [{"@type": "Telemetry", "name": "stolen", "schema": "double"}]})");
    const auto t = put(dir, "t.json", R"({"@id": "dtmi:a:b;1", "@type": "Interface", "extends": "dtmi:..:..:x;1"})");
    const auto models = dir.filePath(QStringLiteral("models"));
    const auto payload = put(dir, "p.json", R"({"stolen": 1})");
    for (const auto& args : { QStringList { QStringLiteral("template"), QStringLiteral("--template"), t,
                                  QStringLiteral("--models"), models },
             validate({ QStringLiteral("--template"), t, QStringLiteral("--models"), models,
                 QStringLiteral("--payload"), payload }) }) {
        const auto e = runDiag(args);
        EXPECT_TRUE(endedCleanly(e, { 2 })) << show(e);
        EXPECT_TRUE(contains(e.err, "invalid DTMI")) << show(e);
        EXPECT_TRUE(contains(e.err, "dtmi:..:..:x;1")) << show(e);
        EXPECT_FALSE(contains(e.out, "stolen")) << "the file outside was not read";
    }
}

// Text output (--output text) of data from outside: field names, device ids, template names.
TEST(HostileInput, TerminalEscapesAreShownNotObeyed)
{
    QTemporaryDir dir;
    const auto payload
        = put(dir, "esc.json", R"({"\u001b[2J\u001b]0;pwned\u0007": 1, "right\u202eleft": 2, "c1\u009b31m": 3})");
    auto e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), payload,
        QStringLiteral("--output"), QStringLiteral("text") }));
    EXPECT_TRUE(endedCleanly(e, { 1 })) << show(e);
    EXPECT_TRUE(noTerminalControls(e.out));
    EXPECT_TRUE(contains(e.out, "\\x1b[2J")) << e.out;
    EXPECT_TRUE(contains(e.out, "\\u202e")) << e.out;

    // Raw control bytes in a broken body end up in the excerpt of the JSON error.
    const auto broken = put(dir, "broken.json", "{\"a\": \"\x1b[2J\x1b]0;pwned\x07");
    e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), broken,
        QStringLiteral("--output"), QStringLiteral("text") }));
    EXPECT_TRUE(endedCleanly(e, { 1 })) << show(e);
    EXPECT_TRUE(noTerminalControls(e.out));

    const auto batch = put(dir, "esc.jsonl",
        R"({"deviceId": "\u001b[2Jdev\u202e", "body": {"nope": 1}})"
        "\n");
    e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payloads"), batch,
        QStringLiteral("--output"), QStringLiteral("text") }));
    EXPECT_TRUE(endedCleanly(e, { 0, 1 })) << show(e);
    EXPECT_TRUE(noTerminalControls(e.out));
    EXPECT_TRUE(contains(e.out, "\\x1b[2Jdev\\u202e")) << e.out;
    // JSON (the default) escapes the control byte and the bidirectional override alike.
    e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payloads"), batch }));
    EXPECT_TRUE(endedCleanly(e, { 0, 1 })) << show(e);
    EXPECT_TRUE(noTerminalControls(e.out)) << e.out;
    EXPECT_TRUE(contains(e.out, "\\u001b[2Jdev\\u202e")) << e.out;

    const auto escTemplate = put(dir, "esc-template.json",
        R"({"@id": "dtmi:a:b;1", "@type": "Interface", "displayName": "\u001b]0;title\u0007",
            "contents": [{"@type": "Telemetry", "name": "t\u001b[2J", "schema": "double"}]})");
    e = runDiag({ QStringLiteral("template"), QStringLiteral("--template"), escTemplate, QStringLiteral("--output"),
        QStringLiteral("text") });
    EXPECT_TRUE(endedCleanly(e, { 0 })) << show(e);
    EXPECT_TRUE(noTerminalControls(e.out));
    EXPECT_TRUE(contains(e.out, "t\\x1b[2J")) << e.out;

    // Template errors quote the template: on stderr too.
    const auto badSchema = put(dir, "bad-schema.json",
        R"({"@id": "dtmi:a:b;1", "@type": "Interface", "contents": [{"@type": "Telemetry", "name": "t", "schema": "\u001b[2Jdouble"}]})");
    e = runDiag({ QStringLiteral("template"), QStringLiteral("--template"), badSchema });
    EXPECT_TRUE(endedCleanly(e, { 2 })) << show(e);
    EXPECT_TRUE(noTerminalControls(e.err));
}

// A value that does not fit stops the command (exit 2) and names the option.
TEST(HostileInput, InvalidOptionValuesAreRefused)
{
    QTemporaryDir dir;
    const auto payload = put(dir, "p.json", R"({"workingSet": 1})");
    const auto log = dataFile("logs/healthy.log");
    auto words = [](std::initializer_list<const char*> list) {
        QStringList out;
        for (const char* w : list)
            out << QString::fromUtf8(w);
        return out;
    };
    const std::vector<std::pair<QStringList, std::string>> cases {
        { validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), payload,
              QStringLiteral("--output"), QStringLiteral("yaml") }),
            "--output" },
        { QStringList { QStringLiteral("template"), QStringLiteral("--template"), tpl() }
                + words({ "--output", "yaml" }),
            "--output" },
        { words({ "explain", "401", "--output", "yaml" }), "--output" },
        { QStringList { QStringLiteral("scan-log"), log } + words({ "--output", "yaml" }), "--output" },
        { words({ "diagnose", "dev1", "--listen", "abc" }), "--listen" },
        { words({ "diagnose", "dev1", "--listen", "1.5" }), "--listen" },
        { words({ "diagnose", "dev1", "--lookback", "-3" }), "--lookback" },
        { words({ "diagnose", "dev1", "--lookback", "nan" }), "--lookback" },
        { words({ "diagnose", "dev1", "--output", "yaml" }), "--output" },
        { words({ "devices", "--output", "yaml" }), "--output" },
        { words({ "devices", "--status", "x" }), "--status" },
        { words({ "registration-info", "dev1", "--output", "yaml" }), "--output" },
        { words({ "validate-properties", "dev1", "--output", "yaml" }), "--output" },
        { words({ "monitor-properties", "dev1", "--interval", "0" }), "--interval" },
        { words({ "monitor-properties", "dev1", "--stale-after", "abc" }), "--stale-after" },
        { words({ "monitor-properties", "dev1", "--timeout", "-1" }), "--timeout" },
        { words({ "sim", "--rate", "-1" }), "--rate" },
        { words({ "sim", "--devices", "abc" }), "--devices" },
        { words({ "sim", "--devices", "1.5" }), "--devices" },
        { words({ "sim", "--port-http", "70000" }), "--port-http" },
        { words({ "validate-messages", "--minimum-severity", "x" }), "--minimum-severity" },
        { words({ "monitor-events", "--output", "yaml" }), "--output" },
    };
    for (const auto& [args, option] : cases) {
        const auto e = runDiag(args, {}, 20000);
        const std::string label = args.join(QLatin1Char(' ')).toStdString();
        EXPECT_TRUE(endedCleanly(e, { 2 })) << label;
        EXPECT_TRUE(contains(e.err, option)) << label << "\n" << show(e);
    }
}

// monitorcommands.cpp reads --max-messages with toLongLong(): "0x" meant 0, no limit.
TEST(HostileInput, MaxMessagesMustBeANumber)
{
    const auto e = runDiag(
        { QStringLiteral("monitor-events"), QStringLiteral("--max-messages"), QStringLiteral("0x") }, {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_TRUE(contains(e.err, "--max-messages")) << show(e);
}

// The report's name was checked only after a diagnosis of a minute or more.
TEST(HostileInput, ReportNameIsCheckedBeforeAnyWork)
{
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("folder.md"));
    const std::vector<std::pair<QString, std::string>> reports {
        { dir.filePath(QStringLiteral("out.txt")), ".md, .html or .json" },
        { dir.filePath(QStringLiteral("folder.md")), "is a directory" },
        { dir.filePath(QStringLiteral("no/such/folder/out.md")), "does not exist" },
    };
    for (const auto& [report, reason] : reports) {
        const auto e = runDiag({ QStringLiteral("diagnose"), QStringLiteral("dev1"), QStringLiteral("--demo"),
                                   QStringLiteral("--report"), report },
            {}, 5000);
        EXPECT_TRUE(endedCleanly(e, { 2 })) << report.toStdString();
        EXPECT_LT(e.elapsedMs, 5000);
        EXPECT_TRUE(contains(e.err, "--report")) << show(e);
        EXPECT_TRUE(contains(e.err, reason)) << show(e);
    }
}

// A secret read from @FILE follows the same rules as any input file.
TEST(HostileInput, SecretFromAnEndlessFile)
{
    const auto e = runDiag({ QStringLiteral("diagnose"), QStringLiteral("dev1"),
                               QStringLiteral("--eventhub-connection-string"), QStringLiteral("@/dev/zero") },
        {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_TRUE(contains(e.err, "--eventhub-connection-string")) << show(e);
    EXPECT_TRUE(contains(e.err, "larger than")) << show(e);
}

// ordered_json looked every member up linearly: 200,000 members took 41 s.
TEST(HostileInput, TwoHundredThousandMembersValidateInBoundedTime)
{
    QTemporaryDir dir;
    const std::string body = manyMembers(200000);
    const auto payload = put(dir, "wide.json", body);
    auto e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payload"), payload,
                         QStringLiteral("--output"), QStringLiteral("json") }),
        {}, 20000);
    ASSERT_TRUE(endedCleanly(e, { 0, 1 })) << show(e);
    const auto issues = nlohmann::json::parse(e.out)["issues"];
    ASSERT_EQ(issues.size(), 201u);
    EXPECT_EQ(issues.back()["code"], "too-many-issues");
    EXPECT_EQ(issues.back()["actual"], "199800");

    const auto batch = put(dir, "wide.jsonl", R"({"deviceId": "d", "body": )" + body + "}\n");
    e = runDiag(validate({ QStringLiteral("--template"), tpl(), QStringLiteral("--payloads"), batch,
                    QStringLiteral("--output"), QStringLiteral("json") }),
        {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 0, 1 })) << show(e);
    EXPECT_TRUE(contains(e.out, R"("messages":1)")) << e.out.substr(0, 300);
}
