#include "connectionoptions.h"

#include "sim/simulatedapp.h"

#include <QString>

#include <cstdio>
#include <cstdlib>

namespace iotc::cli {

const char* const ConnectionUsage
    = "Connection: --app SUBDOMAIN [--dns-suffix azureiotcentral.com] | --base-url URL | --demo\n"
      "            --token TOKEN (or IOTC_API_TOKEN) | --az (bearer token from 'az login')\n"
      "            [--dps-endpoint URL] [--timeout SECONDS]\n";

const std::set<std::string>& connectionValueOptions()
{
    static const std::set<std::string> s { "app", "dns-suffix", "base-url", "token", "dps-endpoint", "timeout" };
    return s;
}

const std::set<std::string>& connectionFlagOptions()
{
    static const std::set<std::string> s { "az", "demo" };
    return s;
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
        const QString url = QString::fromStdString(*args.value("base-url"));
        if (!url.startsWith(QStringLiteral("https://")) && !url.startsWith(QStringLiteral("http://127.0.0.1"))
            && !url.startsWith(QStringLiteral("http://localhost")))
            return fail("--base-url must be https:// (plain http only for loopback)");
        out.profile = ConnectionProfile::forBaseUrl(url);
    }
    if (auto dps = args.value("dps-endpoint"))
        out.profile.dpsEndpoint = QString::fromStdString(*dps);
    if (auto timeout = args.value("timeout")) {
        bool ok = false;
        const int seconds = QString::fromStdString(*timeout).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 600)
            return fail("--timeout must be 1 to 600 seconds");
        out.profile.timeoutMs = seconds * 1000;
    }
    if (out.demo)
        return true;
    if (auto token = args.value("token")) {
        out.profile.setToken(QString::fromStdString(*token));
    } else if (args.has("az")) {
        QString error;
        out.profile.authorization = bearerTokenFromAzureCli(error);
        if (out.profile.authorization.isEmpty())
            return fail(error.toStdString());
    } else if (const char* env = std::getenv("IOTC_API_TOKEN"); env && *env) {
        out.profile.setToken(QString::fromUtf8(env));
    } else {
        return fail("no credential: give --token, set IOTC_API_TOKEN, or use --az");
    }
    return true;
}

} // namespace iotc::cli
