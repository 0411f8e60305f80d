// Whole-process figures of the batch paths, printed by one command (make bench, or
// build/tests/bench/iotc-bench-batch), each beside the validator alone on the same messages:
//  (1) iotc-diag validate --payloads FILE.jsonl --output json > file, 100,000 typical messages:
//      messages/s, target >= 450,000;
//  (2) iotc-diag replay CAPTURE --validate --template T > /dev/null, 1,000,000 events: seconds,
//      target <= 3.
// The processes are timed from outside, start-up included; runs alternate with in-process rounds of
// the validator alone and medians are printed, as the machine's speed drifts.
#include "monitor/capturefile.h"
#include "template/templateparser.h"
#include "validate/payloadvalidator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace iotc;

namespace {

const std::string TemplatePath
    = std::string(IOTC_TEST_DATA_DIR) + "/dtdl/dtmi/com/example/temperaturecontroller-2.json";
const char* ModelId = "dtmi:com:example:TemperatureController;2";

struct Message {
    const char* component;
    const char* body;
    bool properties = false;
};

// The payloads of iotc-bench-validate: 1-4 fields, 2 of 8 with problems (an unmodeled casing, a string
// for a double), one reported-properties document.
const std::vector<Message>& messages()
{
    static const std::vector<Message> list = {
        { "thermostat1", R"({"temperature": 21.53})" },
        { "thermostat2", R"({"temperature": 19.2})" },
        { "", R"({"workingSet": 18342.5})" },
        { "thermostat1", R"({"temperature": 22.125, "Temperature": 22.1})" },
        { "", R"({"workingSet": 1024, "temperature": 20.5})" },
        { "thermostat2", R"({"temperature": "curr_temp"})" },
        { "",
            R"({"thermostat1": {"__t": "c", "maxTempSinceLastReboot": 30.5, "targetTemperature": {"value": 21.5, "ac": 200, "av": 3, "ad": "done"}}, "serialNumber": "SN-0042"})",
            true },
        { "thermostat1", R"({"temperature": 23.75})" },
    };
    return list;
}

MessageContext contextOf(const Message& m)
{
    MessageContext c;
    c.kind = m.properties ? PayloadKind::ReportedProperties : PayloadKind::Telemetry;
    c.contentType = "application/json";
    c.contentEncoding = "utf-8";
    c.component = m.component;
    c.modelId = ModelId;
    return c;
}

// One JSON Lines message as a device fleet's export has it: who sent it, its headers, its body.
std::string batchLine(size_t i)
{
    const Message& m = messages()[i % messages().size()];
    char device[32];
    std::snprintf(device, sizeof device, "controller-%04zu", i % 500);
    std::string line = std::string(R"({"deviceId": ")") + device + "\"";
    if (*m.component)
        line += std::string(R"(, "component": ")") + m.component + "\"";
    line += std::string(R"(, "modelId": ")") + ModelId
        + R"(", "contentType": "application/json", "contentEncoding": "utf-8")";
    if (m.properties)
        line += R"(, "properties": true)";
    return line + R"(, "body": )" + m.body + "}";
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Seconds of one iotc-diag run, stdout to outPath; negative when it did not end as expected.
double timeDiag(const QStringList& arguments, const QString& outPath, int expectedExit)
{
    QProcess p;
    p.setStandardOutputFile(outPath);
    p.setStandardErrorFile(QProcess::nullDevice());
    QElapsedTimer t;
    t.start();
    p.start(QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/iotc-diag"), arguments);
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != expectedExit) {
        std::fprintf(stderr, "iotc-diag %s: exit %d\n", qPrintable(arguments.join(QLatin1Char(' '))), p.exitCode());
        return -1;
    }
    return static_cast<double>(t.nsecsElapsed()) / 1e9;
}

// The validator alone: the same messages' bodies, validated in this process (what the batch does
// after reading each line's envelope, and the replay after reading each captured event).
double validatorRate(const PayloadValidator& validator, size_t count)
{
    std::vector<std::string> bodies;
    std::vector<MessageContext> contexts;
    for (const auto& m : messages()) {
        bodies.emplace_back(m.body);
        contexts.push_back(contextOf(m));
    }
    QElapsedTimer t;
    t.start();
    size_t issues = 0;
    for (size_t i = 0; i < count; ++i)
        issues += validator.validate(bodies[i % bodies.size()], contexts[i % bodies.size()]).size();
    const double seconds = static_cast<double>(t.nsecsElapsed()) / 1e9;
    if (issues == 0)
        std::fprintf(stderr, "the mix raised no issues: not the mix it should be\n");
    return static_cast<double>(count) / seconds;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const auto tpl = std::make_shared<const DeviceTemplate>(loadTemplateFile(TemplatePath));
    const PayloadValidator validator(tpl);
    const int rounds
        = std::max(1, std::atoi(qgetenv("IOTC_BENCH_ROUNDS").isEmpty() ? "5" : qgetenv("IOTC_BENCH_ROUNDS")));

    // ---- (1) validate --payloads, 100,000 messages ----
    constexpr size_t BatchMessages = 100000;
    const QString batchPath = dir.filePath(QStringLiteral("typical.jsonl"));
    {
        std::ofstream out(batchPath.toStdString(), std::ios::binary);
        for (size_t i = 0; i < BatchMessages; ++i)
            out << batchLine(i) << '\n';
    }
    const QStringList validateArgs { QStringLiteral("validate"), QStringLiteral("--template"),
        QString::fromStdString(TemplatePath), QStringLiteral("--payloads"), batchPath, QStringLiteral("--output"),
        QStringLiteral("json") };
    std::vector<double> batchRates, aloneRates;
    for (int r = 0; r < rounds; ++r) {
        const double s = timeDiag(validateArgs, dir.filePath(QStringLiteral("out.jsonl")), 1);
        if (s < 0)
            return 1;
        batchRates.push_back(static_cast<double>(BatchMessages) / s);
        aloneRates.push_back(validatorRate(validator, BatchMessages));
    }
    const double batch = median(batchRates), alone = median(aloneRates);
    std::printf("(1) validate --payloads of %zu messages, whole process: %.0f messages/s (median of %d runs, "
                "%.0f..%.0f; target >= 450000)\n",
        BatchMessages, batch, rounds, *std::min_element(batchRates.begin(), batchRates.end()),
        *std::max_element(batchRates.begin(), batchRates.end()));
    std::printf("    the validator alone on the same messages: %.0f messages/s; whole process / validator: %.2f\n",
        alone, batch / alone);

    // ---- (2) replay --validate, 1,000,000 events ----
    constexpr int CaptureEvents = 1000000;
    const QString capturePath = dir.filePath(QStringLiteral("million.jsonl"));
    {
        CaptureWriter writer(capturePath);
        TelemetryEvent ev;
        ev.hub = QStringLiteral("iothub-ehub-bench");
        ev.contentType = QStringLiteral("application/json");
        ev.contentEncoding = QStringLiteral("utf-8");
        ev.modelId = QString::fromLatin1(ModelId);
        ev.messageSource = QStringLiteral("Telemetry");
        ev.deviceId = QStringLiteral("replayed-device");
        for (int i = 0; i < CaptureEvents; ++i) {
            ev.sequenceNumber = i;
            ev.partition = i % 4;
            ev.enqueuedMs = 1764000000000 + i;
            ev.component
                = (i % 3 == 2) ? QString() : (i % 3 ? QStringLiteral("thermostat2") : QStringLiteral("thermostat1"));
            ev.body = (i % 3 == 2) ? QByteArray("{\"workingSet\": 18211.5}") : QByteArray("{\"temperature\": 21.53}");
            writer.write(ev);
        }
    }
    const QStringList replayArgs { QStringLiteral("replay"), capturePath, QStringLiteral("--validate"),
        QStringLiteral("--template"), QString::fromStdString(TemplatePath) };
    std::vector<double> replaySeconds, replayAlone;
    for (int r = 0; r < std::min(rounds, 3); ++r) {
        const double s = timeDiag(replayArgs, QProcess::nullDevice(), 0);
        if (s < 0)
            return 1;
        replaySeconds.push_back(s);
        replayAlone.push_back(static_cast<double>(CaptureEvents) / validatorRate(validator, CaptureEvents));
    }
    std::printf("(2) replay --validate of a %d-event capture, whole process: %.2f s (median of %zu runs, %.2f..%.2f; "
                "target <= 3)\n",
        CaptureEvents, median(replaySeconds), replaySeconds.size(),
        *std::min_element(replaySeconds.begin(), replaySeconds.end()),
        *std::max_element(replaySeconds.begin(), replaySeconds.end()));
    std::printf("    the validator alone on as many messages: %.2f s\n", median(replayAlone));
    return 0;
}
