#include "connectionoptions.h"

#include "central/originpolicy.h"
#include "sim/simulatedapp.h"
#include "textoutput.h"

#include <QString>

#include <cstdio>
#include <cstdlib>

namespace iotc::cli {

const char* const ConnectionUsage
    = "Connection: --app SUBDOMAIN [--dns-suffix azureiotcentral.com] | --base-url URL | --demo\n"
      "            --token TOKEN|@FILE|- | --token-file FILE (or IOTC_API_TOKEN) | --az (bearer token from 'az "
      "login')\n"
      "            @FILE, - (standard input) and --token-file keep the token out of ps and the shell history.\n"
      "            [--dps-endpoint URL] [--timeout SECONDS]\n"
      "            URLs are https:// (plain http:// only to 127.0.0.1, ::1 or localhost), without user-info.\n"
      "            --timeout bounds each request, its retries and waits included.\n";

const std::vector<OptionSpec>& connectionOptionSpecs()
{
    static const std::vector<OptionSpec> specs {
        { "app", "SUBDOMAIN", "the application: SUBDOMAIN.azureiotcentral.com" },
        { "dns-suffix", "S", "the application's domain with --app (azureiotcentral.com)" },
        { "base-url", "URL", "the application's URL, instead of --app" },
        { "token", "TOKEN|@FILE|-", "API token; @FILE or - (standard input) keep it out of ps and the history" },
        { "token-file", "FILE", "read the API token from FILE (without a token option: IOTC_API_TOKEN)" },
        { "dps-endpoint", "URL", "the Device Provisioning Service (global.azure-devices-provisioning.net)" },
        { "timeout", "SECONDS", "see --timeout below" },
        { "az", "", "a bearer token from 'az login' (Entra ID) instead of an API token" },
        { "demo", "", "start the simulated app in-process and use it" },
        { "proxy", "URL|direct", "an HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, or direct (default: the system's)" },
        { "ca-file", "PEM", "trust these CA certificates too (a TLS-inspecting proxy's); never skips verification" },
    };
    return specs;
}

const std::vector<OptionSpec>& streamNetworkOptionSpecs()
{
    static const std::vector<OptionSpec> specs {
        { "transport", "auto|amqp|amqp-ws",
            "the event stream over AMQP (TLS, 5671), AMQP over WebSockets (443), or auto (the default: 5671, then "
            "443)" },
        { "amqp-port", "N", "the AMQP port instead of 5671 (a private endpoint, tests)" },
        { "websocket-port", "N", "the WebSockets port instead of 443" },
    };
    return specs;
}

bool readNetworkSettings(const Arguments& args, const char* command, NetworkSettings& out)
{
    auto fail = [command](const std::string& why) {
        std::fprintf(stderr, "iotc-diag %s: %s\n", command, why.c_str());
        return false;
    };
    if (auto text = args.value("transport")) {
        const auto transport = parseTransport(QString::fromStdString(*text));
        if (!transport)
            return fail(invalidValue("transport", printable(*text), "auto, amqp or amqp-ws"));
        out.transport = *transport;
    }
    OptionReader reader(args);
    out.amqpPort = static_cast<int>(reader.integer("amqp-port", 0, 1, 65535));
    out.websocketPort = static_cast<int>(reader.integer("websocket-port", 443, 1, 65535));
    if (!reader.ok())
        return fail(reader.error());
    if (auto proxy = args.value("proxy")) {
        QNetworkProxy parsed;
        QString why;
        // (The value may hold a password: the message never repeats it.)
        if (!parseProxySetting(QString::fromStdString(*proxy), parsed, why))
            return fail("--proxy: " + printable(why.toStdString()));
        out.proxy = QString::fromStdString(*proxy).trimmed();
    }
    if (auto file = args.value("ca-file")) {
        QString why;
        out.caFile = QString::fromStdString(*file);
        if (!loadCaFile(out.caFile, out.extraCaCertificates, why))
            return fail("--ca-file: " + printable(why.toStdString()));
    }
    return true;
}

namespace {

std::set<std::string> connectionNames(bool flags)
{
    std::set<std::string> s;
    for (const auto& o : connectionOptionSpecs())
        if ((o.value && *o.value) != flags)
            s.insert(o.name);
    return s;
}

} // namespace

const std::set<std::string>& connectionValueOptions()
{
    static const std::set<std::string> s = connectionNames(false);
    return s;
}

const std::set<std::string>& connectionFlagOptions()
{
    static const std::set<std::string> s = connectionNames(true);
    return s;
}

namespace {

// One host label ("contoso-demo") or, with dots, several ("azureiotcentral.com"): letters, digits
// and hyphens, none empty, none beginning or ending with a hyphen.
bool isHostLabels(const std::string& text, bool dots)
{
    if (text.empty() || text.size() > 253)
        return false;
    size_t at = 0;
    while (true) {
        const size_t dot = dots ? text.find('.', at) : std::string::npos;
        const std::string label = text.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (const char c : label)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                return false;
        if (dot == std::string::npos)
            return true;
        at = dot + 1;
    }
}

} // namespace

bool readEventHubArgument(const Arguments& args, const char* command, std::optional<EventHubTarget>& target)
{
    const auto cs = args.value("eventhub-connection-string");
    if (!cs)
        return true;
    QString error;
    const auto text = secretArgument(*cs, &error);
    auto t = text ? EventHubTarget::fromConnectionString(*text, error) : std::nullopt;
    if (!t) {
        std::fprintf(stderr, "iotc-diag %s: --eventhub-connection-string: %s\n", command, qPrintable(printable(error)));
        return false;
    }
    target = std::move(t);
    return true;
}

bool hasApplication(const Arguments& args)
{
    return args.has("app") || args.has("base-url") || args.has("demo");
}

bool resolveConnection(const Arguments& args, const char* command, Connection& out, double demoRateHz)
{
    auto fail = [command](const std::string& why) {
        std::fprintf(stderr, "iotc-diag %s: %s\n%s", command, why.c_str(), ConnectionUsage);
        return false;
    };
    const int where = (args.has("app") ? 1 : 0) + (args.has("base-url") ? 1 : 0) + (args.has("demo") ? 1 : 0);
    if (where != 1)
        return fail(where == 0 ? "say which application: --app, --base-url or --demo"
                               : "give only one of --app, --base-url, --demo");
    if (args.has("dns-suffix") && !args.has("app"))
        return fail("--dns-suffix goes with --app (it completes the application's host name)");
    if (args.has("demo")) {
        sim::SimOptions options;
        options.rateHz = demoRateHz; // REST-only commands need nothing to stream
        options.extraRateHz = 0;
        out.demo = std::make_shared<sim::SimulatedApp>(options);
        try {
            const auto e = out.demo->start();
            out.profile = ConnectionProfile::forBaseUrl(e.baseUrl);
            out.profile.authorization = e.apiToken;
            out.profile.dpsEndpoint = e.dpsEndpoint;
        } catch (const std::exception& ex) {
            return fail(std::string("the demo app could not start: ") + ex.what());
        }
    } else if (args.has("app")) {
        out.profile = ConnectionProfile::forApp(QString::fromStdString(*args.value("app")),
            QString::fromStdString(args.value("dns-suffix").value_or("azureiotcentral.com")));
    } else {
        out.profile = ConnectionProfile::forBaseUrl(QString::fromStdString(*args.value("base-url")));
    }
    // Checked before anything connects: the application's URL receives the API token, the DPS
    // endpoint a device's SAS token (--app builds a URL too: a subdomain holding an @ would not).
    QString why;
    if (!out.demo && !isAllowedServiceUrl(out.profile.baseUrl, &why))
        return fail(std::string(args.has("app") ? "--app/--dns-suffix give an application URL that " : "--base-url ")
            + why.toStdString());
    if (args.has("app")) {
        // A URL that could carry the token elsewhere is refused above, in the URL rule's words;
        // here what is left must still be a subdomain and a domain.
        const std::string app = *args.value("app");
        const std::string suffix = args.value("dns-suffix").value_or("azureiotcentral.com");
        if (!isHostLabels(app, false)) {
            const auto dot = app.find('.');
            const bool host = dot != std::string::npos && dot > 0 && isHostLabels(app.substr(0, dot), false);
            return fail(invalidValue("app", app,
                host ? "the subdomain alone: --app " + app.substr(0, dot)
                     : std::string("the application's subdomain: letters, digits and hyphens")));
        }
        if (!isHostLabels(suffix, true))
            return fail(invalidValue("dns-suffix", suffix, "a domain such as azureiotcentral.com"));
    }
    if (auto dps = args.value("dps-endpoint")) {
        const QString endpoint = QString::fromStdString(*dps);
        if (!isAllowedServiceUrl(endpoint, &why))
            return fail("--dps-endpoint " + why.toStdString());
        out.profile.dpsEndpoint = endpoint;
    }
    if (args.value("timeout")) {
        OptionReader reader(args);
        const auto seconds = reader.integer("timeout", 0, 1, 600);
        if (!reader.ok())
            return fail(reader.error());
        out.profile.timeoutMs = static_cast<int>(seconds * 1000);
        out.profile.deadlineMs = out.profile.timeoutMs; // no retry or Retry-After wait goes past it
    }
    if (out.demo)
        return true;
    if (args.has("token") && args.has("token-file"))
        return fail("give only one of --token and --token-file");
    if (args.has("token") || args.has("token-file")) {
        QString error;
        const auto token = args.has("token") ? secretArgument(*args.value("token"), &error)
                                             : secretFromFile(*args.value("token-file"), &error);
        if (!token)
            return fail((args.has("token") ? "--token: " : "--token-file: ") + printable(error.toStdString()));
        out.profile.setToken(*token);
    } else if (args.has("az")) {
        QString error;
        out.profile.authorization = bearerTokenFromAzureCli(error);
        if (out.profile.authorization.isEmpty())
            return fail(printable(error.toStdString()));
    } else if (const char* env = std::getenv("IOTC_API_TOKEN"); env && *env) {
        out.profile.setToken(QString::fromUtf8(env));
    } else {
        return fail("no credential: give --token, set IOTC_API_TOKEN, or use --az");
    }
    return true;
}

CommandSetup setUpCommand(const char* command, const std::vector<std::string>& words, const SetupOptions& options)
{
    CommandSetup setup;
    const CommandSpec& spec = commandSpec(command);
    CommandContext context;
    context.spec = &spec;
    context.args = parseCommandWords(spec, words);
    const Arguments& args = context.args;
    if (args.has("help")) {
        writeAll(stdout, commandHelp(spec));
        setup.exitCode = ExitOk;
        return setup;
    }
    std::string problem = args.error;
    if (problem.empty())
        positionalsFit(spec, args, problem);
    if (!problem.empty()) {
        setup.exitCode = usageError(spec, problem);
        return setup;
    }
    if (options.check) {
        if (const int code = options.check(args); code != ExitOk) {
            setup.exitCode = code;
            return setup;
        }
    }
    if (!readNetworkSettings(args, command, context.network)) {
        setup.exitCode = ExitUsage;
        return setup;
    }
    const bool wanted = spec.connection == ConnectionUse::Required
        || (spec.connection == ConnectionUse::Optional && hasApplication(args));
    if (wanted) {
        // --timeout is the REST bound only where the table says so; elsewhere it is the command's.
        Arguments connectionArgs = args;
        if (spec.timeout != TimeoutMeaning::Request)
            connectionArgs.values.erase("timeout");
        if (!resolveConnection(connectionArgs, command, context.connection, options.demoRateHz)) {
            setup.exitCode = ExitUsage;
            return setup;
        }
        context.connection.profile.network = context.network;
        context.haveApp = true;
    }
    setup.context = std::move(context);
    return setup;
}

} // namespace iotc::cli
