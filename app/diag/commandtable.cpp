#include "commandtable.h"

#include "commands.h"
#include "connectionoptions.h"
#include "textoutput.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace iotc::cli {

namespace {

constexpr size_t Any = SIZE_MAX;

const OptionSpec OutputJsonText { "output", "json|text",
    "json (the default; jsonl means the same) or text for people" };
const OptionSpec OutputJsonl { "output", "jsonl|json|text", "one JSON line per event (the default), or text" };
const OptionSpec OutputChangeLines { "output", "jsonl|json|text",
    "one JSON line per poll that changed something (the default; json means the same), or one text line per "
    "change" };
const OptionSpec Models { "models", "DIR", "a folder of DTDL interfaces the template refers to (dtmi/... layout)" };
const OptionSpec EventHubConnectionString { "eventhub-connection-string", "CS|@FILE|-",
    "read from this Event Hub instead of the application's own; @FILE or - keeps the key out of ps" };

// The options monitor-events, validate-messages and capture share (one parser reads all three);
// each hides the ones that mean nothing in its mode.
std::vector<OptionSpec> streamOptions(bool validate, bool capture)
{
    std::vector<OptionSpec> options {
        { "device-id", "ID|PATTERN", "only this device (* and ? match any characters)" },
        { "module-id", "ID", "only this module" },
        { "start", "now|-5m|TIME|beginning", "where to start reading: now (the default), minutes ago, a time" },
        { "max-messages", "N", "stop after N messages (0, the default: no limit)" },
        { "properties", "sys,anno,app,all",
            "also show the system properties (message id, correlation id ...), every annotation, the application "
            "properties, or all",
            capture },
        { "output", "jsonl|json|text", "jsonl (the default) or text", capture },
        { "consumer-group", "CG", "the consumer group to read with ($Default)" },
        EventHubConnectionString,
        { "template", "FILE", "validate against this template instead of the devices' own", !validate },
        { "models", "DIR", Models.help, !validate },
        { "minimum-severity", "info|warning|error", "report issues of this severity and above", !validate },
        { "out", "FILE[.gz]", "the capture file; a name ending in .gz is written gzip-compressed", !capture },
    };
    const auto& network = streamNetworkOptionSpecs();
    options.insert(options.end(), network.begin(), network.end());
    return options;
}

// diagnose's own options, with the event stream's network options (its data check listens).
std::vector<OptionSpec> diagnoseOptions()
{
    std::vector<OptionSpec> options {
        { "listen", "S", "seconds to listen to the device's telemetry (0 to 86400)" },
        { "lookback", "M", "minutes of earlier telemetry to read (0 to 129600)" },
        { "device-log", "FILE", "a device log to scan for known errors (- reads standard input)" },
        { "report", "FILE.md|.html|.json", "also write a report; checked before the diagnosis starts" },
        EventHubConnectionString,
        OutputJsonText,
    };
    const auto& network = streamNetworkOptionSpecs();
    options.insert(options.end(), network.begin(), network.end());
    return options;
}

std::vector<OptionSpec> triageOptions()
{
    std::vector<OptionSpec> options {
        { "listen", "S", "seconds to listen to the live stream (60; 0 to 86400)" },
        { "lookback", "M", "minutes of earlier telemetry to read first (10; 0 to 129600)" },
        { "status", "S", "only devices of this status (provisioned, registered, blocked, ...)" },
        { "template", "T", "only devices of this template id" },
        { "deep", "N", "also run the full diagnosis of the N worst devices (0 to 100), at 10 requests/s" },
        { "output", "json|text|csv", "json (the default), text (causes, then devices) or csv" },
        EventHubConnectionString,
    };
    const auto& network = streamNetworkOptionSpecs();
    options.insert(options.end(), network.begin(), network.end());
    return options;
}

std::vector<CommandSpec> buildTable()
{
    const std::vector<OptionSpec> noOptions;
    std::vector<CommandSpec> t;
    t.push_back({ "validate", "validate a payload (or a JSON Lines batch) against a device template",
        "--template FILE (--payload FILE|- | --payloads FILE.jsonl) [OPTIONS]",
        "Validates a device payload against its device template. Omitted --content-type /\n"
        "--content-encoding mean the message carried none. Exit 0: no errors, 1: errors, 2: usage.\n",
        {
            { "template", "FILE", "the device template (required)" },
            { "payload", "FILE|-", "one message body (- reads standard input)" },
            { "payloads", "FILE.jsonl", "a JSON Lines batch, one message per line, validated as it streams" },
            { "component", "NAME", "the component the message was sent for" },
            { "module", "NAME", "the IoT Edge module that sent it" },
            { "model-id", "DTMI", "the model id the device announced" },
            { "content-type", "T", "the message's content type" },
            { "content-encoding", "E", "the message's content encoding" },
            { "edge-version", "V", "the IoT Edge runtime version (checks the 1.2.4 component rule)" },
            Models,
            OutputJsonText,
        },
        { { "properties", "", "the payload is reported properties, not telemetry" } }, {}, 0, 0, ConnectionUse::None,
        TimeoutMeaning::None, "", runValidate });
    t.push_back({ "template", "print a device template's flattened capability index",
        "--template FILE [--models DIR] [--output json|text]",
        "Prints the device template's flattened capability index.\n",
        { { "template", "FILE", "the device template (required)" }, Models, OutputJsonText }, {}, {}, 0, 0,
        ConnectionUse::None, TimeoutMeaning::None, "", runTemplate });
    t.push_back({ "template show", "print a device template of the application",
        "TEMPLATE_ID [--output json|text] [connection options]",
        "Prints the template as the application holds it (json), or its flattened capability index\n"
        "(text, as 'iotc-diag template --output text' prints a template file).\n",
        { OutputJsonText }, {}, { { "TEMPLATE_ID", "", "the template's id (a DTMI)" } }, 1, 1, ConnectionUse::Required,
        TimeoutMeaning::Request, "", runTemplateShow });
    t.push_back({ "devices", "list the application's devices, filtered by status, template or text",
        "[--status S] [--template T] [--search TEXT] [--output json|text] [connection options]",
        "Lists the application's devices with their provisioning status.\n",
        {
            { "status", "S",
                "only devices with this status: provisioned, registered, blocked, "
                "blocked-or-waiting-for-approval, unassigned" },
            { "template", "T", "only devices of this template" },
            { "search", "TEXT", "only devices whose id or display name contains TEXT (any case)" },
            OutputJsonText,
        },
        {}, {}, 0, 0, ConnectionUse::Required, TimeoutMeaning::Request, "", runDevices });
    t.push_back(
        { "device show", "print one device of the application", "DEVICE_ID [--output json|text] [connection options]",
            "Prints the device with its provisioning status (json), or its fields, its status and what\n"
            "the status means (text).\n",
            { OutputJsonText }, {}, { { "DEVICE_ID", "", "the device's id" } }, 1, 1, ConnectionUse::Required,
            TimeoutMeaning::Request, "", runDeviceShow });
    t.push_back({ "registration-info", "a device's provisioning status and DPS's answer for its credentials",
        "DEVICE_ID [--output json|text] [connection options]",
        "The device's provisioning status (with what it means and what to do) and DPS's own\n"
        "answer for its credentials. Exit 1 when the device is not provisioned and assigned.\n",
        { OutputJsonText }, {}, { { "DEVICE_ID", "", "the device's id" } }, 1, 1, ConnectionUse::Required,
        TimeoutMeaning::Request, "", runRegistrationInfo });
    t.push_back({ "registration-summary", "count the application's devices by provisioning status",
        "[--output json|text] [connection options]",
        "Counts every device of the application by provisioning status, page by page as the list\n"
        "arrives (az iot central diagnostics registration-summary). Exit 0 when every page was\n"
        "counted, 1 when the listing failed part way (what was counted so far on stderr), 2 when\n"
        "it could not start.\n",
        { OutputJsonText }, {}, {}, 0, 0, ConnectionUse::Required, TimeoutMeaning::Request, "",
        runRegistrationSummary });
    t.push_back({ "monitor-events", "print the telemetry devices send, as it arrives",
        "[--device-id ID|PATTERN] [--start WHEN] [--timeout S] [--max-messages N] [OPTIONS] [connection options]",
        "Reads the application's event stream (or an Event Hub's) and prints each message.\n",
        streamOptions(false, false), {}, {}, 0, 0, ConnectionUse::Optional, TimeoutMeaning::RunLength,
        "how long to listen, in seconds (300 by default; 0: until Ctrl-C)", runMonitorEvents,
        StopSignals::EndWithSummary });
    t.push_back({ "validate-messages", "validate the telemetry devices send against their templates, live",
        "[monitor-events options] [--template FILE] [--minimum-severity info|warning|error]",
        "Always ends with a summary (per device: messages, issues by code), whatever ended the run.\n",
        streamOptions(true, false), {}, {}, 0, 0, ConnectionUse::Optional, TimeoutMeaning::RunLength,
        "how long to listen, in seconds (300 by default; 0: until Ctrl-C)", runValidateMessages,
        StopSignals::EndWithSummary });
    t.push_back({ "capture", "record the event stream to a file for replay",
        "--out FILE[.gz] [monitor-events filters] [--timeout S] [--max-messages N]",
        "A name ending in .gz is written gzip-compressed; replay reads either.\n", streamOptions(false, true), {}, {},
        0, 0, ConnectionUse::Optional, TimeoutMeaning::RunLength,
        "how long to record, in seconds (300 by default; 0: until Ctrl-C)", runCapture, StopSignals::EndWithSummary });
    t.push_back({ "replay", "print or validate the events of a capture",
        "FILE [--validate --template FILE] [--output jsonl|text]",
        "Reads a capture and prints its events, or, with --validate, what validation finds in them.\n",
        { { "template", "FILE", "the template to validate against (else the events are checked without one)" }, Models,
            OutputJsonl },
        { { "validate", "", "print what validation finds in each event" } },
        { { "FILE", "", "a capture file (.gz or plain)" } }, 1, 1, ConnectionUse::None, TimeoutMeaning::None, "",
        runReplay });
    t.push_back({ "validate-properties", "validate a device's reported properties and acknowledgements",
        "DEVICE_ID [--output json|text] [connection options]",
        "Validates the device's reported properties against its template and checks every\n"
        "writable property's acknowledgement. Exit 1 on errors or rejected values.\n",
        { OutputJsonText }, {}, { { "DEVICE_ID", "", "the device's id" } }, 1, 1, ConnectionUse::Required,
        TimeoutMeaning::Request, "", runValidateProperties });
    t.push_back({ "monitor-properties", "watch a device's properties and the sync state of writable ones",
        "DEVICE_ID [--interval S] [--timeout S] [--stale-after S] [--output jsonl|text] [connection options]",
        "Polls the device's properties and prints what changed, with the sync state of writable\n"
        "properties (pending, accepted, rejected, stale). A failure that polling again cannot mend\n"
        "(no such device, credentials refused, the application unreachable) ends the run: exit 2,\n"
        "or 1 when earlier polls were answered. Others (5xx, timeouts) are reported; polling goes on.\n",
        { { "interval", "S", "seconds between polls (5 by default)" },
            { "stale-after", "S", "a desired value unacknowledged this long is stale (60 s by default)" },
            OutputChangeLines },
        {}, { { "DEVICE_ID", "", "the device's id" } }, 1, 1, ConnectionUse::Required, TimeoutMeaning::RunLength,
        "how long to watch, in seconds (0, the default: until Ctrl-C)", runMonitorProperties,
        StopSignals::EndWithSummary });
    t.push_back({ "diagnose", "walk the troubleshooting guide for a device and name the likely causes",
        "DEVICE_ID [--listen S] [--lookback M] [--device-log FILE] [--report FILE] [OPTIONS] [connection options]",
        "Walks the troubleshooting guide for the device and names the likely causes with what to do.\n"
        "Exit 0 healthy, 1 a problem found, 2 could not run: the application could not be reached or refused\n"
        "the credentials, or the event stream could not be read and nothing else was found. What REST and\n"
        "DPS already settle (unknown, blocked or never-connected devices, DPS refusing or throttling) is\n"
        "not listened for.\n",
        diagnoseOptions(), {}, { { "DEVICE_ID", "", "the device's id" } }, 1, 1, ConnectionUse::Required,
        TimeoutMeaning::Request, "", runDiagnose, StopSignals::EndWithSummary });
    t.push_back({ "triage", "every device of the application ranked by what is wrong with its data",
        "[--listen S] [--lookback M] [--status S] [--template T] [--all] [--deep N] [--output json|text|csv] "
        "[connection options]",
        "Lists every device and reads the application's event stream (the look-back, then a live\n"
        "window), then gives each device the one cause that explains why its data does not show up:\n"
        "its status (blocked, waiting for approval, unassigned, never connected), no data, data that\n"
        "stopped, or what its messages show (invalid JSON or encoding, unmodeled names, schema\n"
        "mismatches ...), with the advice for it. Ranked by severity, then by how many devices share\n"
        "the cause. No per-device DPS or property calls; --deep N runs the full diagnosis of the N\n"
        "worst devices, one at a time. When the event stream cannot be read nothing is judged.\n"
        "Exit 0 when every device is healthy, 1 when some are not, 2 when it could not run.\n",
        triageOptions(), { { "all", nullptr, "list healthy devices too" } }, {}, 0, 0, ConnectionUse::Required,
        TimeoutMeaning::Request, "", runTriage, StopSignals::EndWithSummary });
    t.push_back({ "probe", "connect and send one message as the device, then watch it arrive and validate",
        "DEVICE_ID --as-device [--protocol mqtt|mqtt-ws|amqp|amqp-ws|all] [--payload FILE] [--component C] [--wait S] "
        "[OPTIONS] "
        "[connection options]",
        "Acts as the device: its key from the application, DPS registration, a connection to the\n"
        "assigned hub (MQTT or AMQP, over TLS or WebSockets; all: each in turn) and one telemetry\n"
        "message (iotc-probe: <uuid>), then the application's event stream until it arrives, and its\n"
        "validation. IoT Hub allows one connection per device: a real\n"
        "device is disconnected while the probe runs, hence --as-device. Keys are never printed.\n"
        "Exit 0 when every step passed, 1 when one failed, 2 when the probe could not run.\n",
        {
            { "protocol", "mqtt|mqtt-ws|amqp|amqp-ws|all",
                "MQTT on 8883 (the default), AMQP on 5671, either over WebSockets on 443, or all four" },
            { "payload", "FILE", "send this JSON instead of modelled values from the template" },
            { "component", "C", "send as this component's telemetry ($.sub)" },
            { "mqtt-port", "N", "the hub's MQTT port (8883)" },
            { "amqp-port", "N", "the hub's AMQP port (5671)" },
            { "websocket-port", "N", "the hub's WebSockets port, for mqtt-ws and amqp-ws (443)" },
            { "wait", "S", "seconds to wait for the message in the event stream (60)" },
            OutputJsonText,
        },
        { { "as-device", nullptr, "connect as the device (disconnects it while the probe runs)" } },
        { { "DEVICE_ID", "", "the device's id" } }, 1, 1, ConnectionUse::Required, TimeoutMeaning::Request, "",
        runProbe });
    t.push_back({ "netcheck", "check that this network reaches DPS and the IoT hubs on the devices' ports",
        "[--dps HOST] [--hub HOST[,HOST]] [--eventhub HOST[,HOST]] [--mqtt-port N] [--amqp-port N] "
        "[--websocket-port N] [--device-id ID] [--step-timeout S] [--output json|text] [connection options]",
        "From a machine on the device's network: DNS, TCP and the TLS handshake (the chain's issuer and\n"
        "whether this system trusts it) for DPS and each IoT hub on MQTT (8883), AMQP (5671) and\n"
        "HTTPS/WebSockets (443), and the clock against the servers' Date header. Needs no credentials;\n"
        "given an application, its event hubs (and with --device-id the device's hub) are checked too.\n"
        "Exit 0 when everything passed, 1 when something failed, 2 when it could not run.\n",
        {
            { "dps", "HOST", "the DPS endpoint (global.azure-devices-provisioning.net)" },
            { "hub", "HOST[,HOST]", "IoT hub host names (the devices' assigned hubs)" },
            { "eventhub", "HOST[,HOST]", "event hub host names (the cloud side: the event stream)" },
            { "mqtt-port", "N", "the MQTT port (8883)" },
            { "amqp-port", "N", "the AMQP port (5671)" },
            { "websocket-port", "N", "the HTTPS and WebSockets port (443)" },
            { "device-id", "ID", "with an application: also check the hub DPS assigned this device" },
            { "step-timeout", "S", "seconds each step may take (8)" },
            OutputJsonText,
        },
        {}, {}, 0, 0, ConnectionUse::Optional, TimeoutMeaning::Request, "", runNetcheck });
    t.push_back({ "sim", "run the simulated IoT Central app on loopback until interrupted", "[OPTIONS]",
        "Runs the simulated IoT Central app (REST, DPS and the Event Hubs-compatible AMQP endpoint on\n"
        "loopback) until interrupted. Once listening it prints one JSON line with baseUrl, apiToken,\n"
        "bearerToken, dpsEndpoint, idScope, eventHubConnectionString and devices on stdout.\n"
        "With --tls it serves REST and DPS over https and the event hub over amqps and wss as well\n"
        "(certificates for localhost from a CA made at start); the line adds tls, caFile (the CA, for\n"
        "--ca-file), amqpsPort, websocketPort and deviceEndpoints (IoT Hub's device ports: mqtt, amqp,\n"
        "websocket). A scenario's \"network\" object can refuse or black-hole a device port and skew the\n"
        "Date header; the line's \"network\" then says what it acts out.\n",
        {
            { "port-http", "P", "the REST and DPS port (0: any free one)" },
            { "port-amqp", "P", "the plain AMQP port (0: any free one)" },
            { "port-amqps", "P", "with --tls: the AMQP over TLS port (0: any free one)" },
            { "port-websocket", "P", "with --tls: the AMQP over WebSockets (wss) port (0: any free one)" },
            { "port-mqtt", "P", "with --tls: the devices' MQTT over TLS port (0: any free one)" },
            { "devices", "N", "healthy devices added to the scenario's own" },
            { "rate", "HZ", "messages per second per scenario device (0: none until something asks)" },
            { "extra-rate", "HZ", "messages per second per added device" },
            { "scenario", "FILE", "the scenario (devices, templates, faults) to serve instead of the built-in one" },
            { "page-size", "N", "devices per page of the device list (1 to 1000)" },
            { "token-lifetime", "S", "seconds the Event Hub tokens it hands out stay valid" },
        },
        { { "tls", "", "serve REST and DPS over https, the event hub over amqps and wss too (a throwaway CA)" } }, {},
        0, 0, ConnectionUse::None, TimeoutMeaning::None, "", runSim, StopSignals::EndWithSummary });
    t.push_back({ "explain", "explain an error code, a provisioning status or matching entries",
        "CODE_OR_TEXT [--output json|text]",
        "Explains an error code (401002, 400209, IoTHubUnauthorized, DEVICE_BLOCKED, 403006, 429 ...),\n"
        "a provisioning status, or entries matching free text. Exit 1 when nothing matches.\n",
        { OutputJsonText }, {}, { { "CODE_OR_TEXT", "", "a code, a status or words to look for" } }, 1, Any,
        ConnectionUse::None, TimeoutMeaning::None, "", runExplain });
    t.push_back({ "scan-log", "find known error codes and messages in a device log", "FILE|- [--output json|text]",
        "Finds known error codes and messages in a device log. Exit 1 when it finds any.\n", { OutputJsonText }, {},
        { { "FILE|-", "", "the log (- reads standard input)" } }, 1, 1, ConnectionUse::None, TimeoutMeaning::None, "",
        runScanLog });
    t.push_back(
        { "version", "print the version", "[--output json|text]", "Prints iotc-diag's version and the Qt it runs on.\n",
            { OutputJsonText }, {}, {}, 0, 0, ConnectionUse::None, TimeoutMeaning::None, "", runVersion });
    t.push_back({ "help", "print this overview, or a command's help", "[COMMAND]", "", {}, {},
        { { "COMMAND", "", "the command to explain" } }, 0, Any, ConnectionUse::None, TimeoutMeaning::None, "",
        runHelp });
    return t;
}

const char* timeoutText(const CommandSpec& spec)
{
    switch (spec.timeout) {
    case TimeoutMeaning::None:
        return "none: this command takes no --timeout";
    case TimeoutMeaning::Request:
        return "bounds each REST request, its retries and waits included (1 to 600 s)";
    case TimeoutMeaning::RunLength:
        return spec.timeoutHelp;
    }
    return "";
}

// Text wrapped at word boundaries to lines of at most width characters (a longer word stays whole),
// each line after the first indented.
std::string wrapped(const std::string& text, size_t width, size_t indent)
{
    std::string out;
    size_t lineLength = 0;
    size_t at = 0;
    while (at < text.size()) {
        const size_t end = std::min(text.find(' ', at), text.size());
        const std::string word = text.substr(at, end - at);
        if (lineLength > 0 && lineLength + 1 + word.size() > width) {
            out += "\n" + std::string(indent, ' ');
            lineLength = 0;
        } else if (lineLength > 0) {
            out += ' ';
            ++lineLength;
        }
        out += word;
        lineLength += word.size();
        at = end + 1;
    }
    return out;
}

// "  --device-id, -d ID": the option, its aliases and its value word; a positional by its name.
void appendOption(std::string& out, const OptionSpec& o, bool positional = false)
{
    constexpr size_t Column = 32;
    constexpr size_t Width = 100;
    std::string left = positional ? std::string("  ") + o.name : std::string("  --") + o.name;
    if (!positional)
        for (const auto& a : optionAliases())
            if (std::string_view(a.name) == o.name)
                left += std::string(", ") + a.spelled;
    if (o.value && *o.value)
        left += std::string(" ") + o.value;
    if (left.size() + 2 > Column)
        out += left + "\n" + std::string(Column, ' ');
    else
        out += left + std::string(Column - left.size(), ' ');
    out += wrapped(o.help, Width - Column, Column) + "\n";
}

} // namespace

const std::vector<OptionAlias>& optionAliases()
{
    // az iot central's spellings (--app-id/-n, -d, -m, --cg/-c, -t/--to, --mm, -y) and --mn.
    static const std::vector<OptionAlias> aliases {
        { "--app-id", "app" },
        { "-n", "app" },
        { "-d", "device-id" },
        { "-m", "module-id" },
        { "--cg", "consumer-group" },
        { "-c", "consumer-group" },
        { "--to", "timeout" },
        { "-t", "timeout" },
        { "--mn", "max-messages" },
        { "--mm", "max-messages" },
        { "-y", "yes" },
        { "-h", "help" },
    };
    return aliases;
}

bool takesDeviceId(const CommandSpec& spec)
{
    return !spec.positionals.empty() && std::string_view(spec.positionals[0].name) == "DEVICE_ID";
}

AliasMap aliasesOf(const CommandSpec& spec)
{
    const auto values = valueOptionsOf(spec);
    const auto flags = flagOptionsOf(spec);
    AliasMap map;
    for (const auto& a : optionAliases())
        if (values.count(a.name) || flags.count(a.name))
            map.emplace(a.spelled, a.name);
    return map;
}

const std::vector<CommandSpec>& commandTable()
{
    static const std::vector<CommandSpec> table = buildTable();
    return table;
}

const CommandSpec* findCommand(const std::vector<std::string>& words, size_t* consumed)
{
    if (words.empty())
        return nullptr;
    const CommandSpec* one = nullptr;
    for (const auto& c : commandTable()) {
        const std::string name = c.name;
        if (words.size() >= 2 && name == words[0] + " " + words[1]) {
            if (consumed)
                *consumed = 2;
            return &c;
        }
        if (name == words[0])
            one = &c;
    }
    if (one && consumed)
        *consumed = 1;
    return one;
}

const CommandSpec& commandSpec(const char* name)
{
    for (const auto& c : commandTable())
        if (std::string_view(c.name) == name)
            return c;
    throw std::logic_error(std::string("iotc-diag has no command ") + name);
}

std::set<std::string> valueOptionsOf(const CommandSpec& spec)
{
    std::set<std::string> s;
    for (const auto& o : spec.values)
        s.insert(o.name);
    if (spec.connection != ConnectionUse::None)
        s.merge(std::set<std::string>(connectionValueOptions()));
    if (takesDeviceId(spec))
        s.insert("device-id");
    return s;
}

std::set<std::string> flagOptionsOf(const CommandSpec& spec)
{
    std::set<std::string> s { "help", "yes" };
    for (const auto& o : spec.flags)
        s.insert(o.name);
    if (spec.connection != ConnectionUse::None)
        s.merge(std::set<std::string>(connectionFlagOptions()));
    return s;
}

Arguments parseCommandWords(const CommandSpec& spec, const std::vector<std::string>& words)
{
    Arguments args = parseArguments(words, valueOptionsOf(spec), flagOptionsOf(spec), aliasesOf(spec));
    if (!args.error.empty())
        return args;
    if (takesDeviceId(spec)) {
        if (const auto id = args.value("device-id")) {
            args.values.erase("device-id");
            if (args.positional.empty())
                args.positional.insert(args.positional.begin(), *id);
            else if (args.positional.front() != *id) {
                args.error = "the DEVICE_ID argument " + printable(args.positional.front()) + " and --device-id "
                    + printable(*id) + " differ: give the device's id once";
                return args;
            }
        }
        if (!args.positional.empty() && args.positional.front().empty()) {
            args.error = "the device id is empty";
            return args;
        }
    }
    if (auto output = args.values.find("output"); output != args.values.end() && output->second == "jsonl") {
        for (const auto& o : spec.values)
            if (std::string_view(o.name) == "output" && !std::string_view(o.value).starts_with("jsonl"))
                output->second = "json"; // the same JSON for a command that prints one document
    }
    return args;
}

std::string usageLine(const CommandSpec& spec)
{
    std::string line = std::string("usage: iotc-diag ") + spec.name;
    if (*spec.synopsis)
        line += std::string(" ") + spec.synopsis;
    return line + "\n";
}

std::string commandHelp(const CommandSpec& spec)
{
    std::string out = usageLine(spec);
    if (*spec.description)
        out += std::string("\n") + spec.description;
    if (!spec.positionals.empty()) {
        out += "\nArguments:\n";
        for (const auto& p : spec.positionals) {
            if (std::string_view(p.name) == "DEVICE_ID" && takesDeviceId(spec)) {
                const std::string help = std::string(p.help) + " (or --device-id ID, -d ID)";
                appendOption(out, { p.name, p.value, help.c_str() }, true);
            } else {
                appendOption(out, p, true);
            }
        }
    }
    out += "\nOptions:\n";
    for (const auto& o : spec.values)
        if (!o.hidden)
            appendOption(out, o);
    for (const auto& o : spec.flags)
        if (!o.hidden)
            appendOption(out, o);
    appendOption(out, { "help", "", "print this help" });
    appendOption(out, { "yes", "", "accepted as az accepts it; asks nothing and changes nothing here" });
    if (spec.connection != ConnectionUse::None) {
        out += spec.connection == ConnectionUse::Optional
            ? "\nConnection options (needed unless --eventhub-connection-string says where to read):\n"
            : "\nConnection options:\n";
        for (const auto& o : connectionOptionSpecs())
            appendOption(out, o);
        out += "  URLs are https:// (plain http:// only to 127.0.0.1, ::1 or localhost), without user-info.\n";
    }
    out += std::string("\n--timeout: ") + timeoutText(spec) + "\n";
    return out;
}

std::string overviewHelp()
{
    std::string out = "usage: iotc-diag COMMAND [OPTIONS]\n"
                      "\n"
                      "Finds out why a device's data does not show up in Azure IoT Central.\n"
                      "\n"
                      "Commands:\n";
    for (const auto& c : commandTable()) {
        std::string left = std::string("  ") + c.name;
        left += std::string(left.size() < 24 ? 24 - left.size() : 1, ' ');
        out += left + c.summary + "\n";
    }
    out += "\nRun 'iotc-diag COMMAND --help' for a command's options.\n";
    return out;
}

int usageError(const CommandSpec& spec, const std::string& problem)
{
    std::fprintf(stderr, "iotc-diag %s: %s\n%sRun 'iotc-diag %s --help' for its options.\n", spec.name, problem.c_str(),
        usageLine(spec).c_str(), spec.name);
    return ExitUsage;
}

bool positionalsFit(const CommandSpec& spec, const Arguments& args, std::string& problem)
{
    const size_t n = args.positional.size();
    if (n > spec.maxPositionals) {
        problem = "unexpected argument " + printable(args.positional[spec.maxPositionals]);
        return false;
    }
    if (n < spec.minPositionals) {
        problem = "give ";
        if (spec.minPositionals == 1 && spec.maxPositionals == 1)
            problem += "one ";
        problem += spec.positionals.empty() ? std::string("the arguments") : std::string(spec.positionals[0].name);
        if (takesDeviceId(spec))
            problem += " (or --device-id ID)";
        return false;
    }
    return true;
}

} // namespace iotc::cli
