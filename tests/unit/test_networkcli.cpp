// The network options as a user types them into the real iotc-diag: --transport, --amqp-port,
// --websocket-port on the commands that read the event stream, --proxy and --ca-file on every
// online command. Bad values are usage errors (exit 2) that never repeat a proxy's password; the
// route a stream takes is said once it is live; a transport that cannot connect says which and
// what to try; REST goes through --proxy.
#include "diagprocess.h"

#include <QHostAddress>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace iotc::test;

namespace {

bool has(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string label(const QStringList& args)
{
    return args.join(QLatin1Char(' ')).toStdString();
}

// A port on this machine nothing listens on: one just listened on and closed.
quint16 closedPort()
{
    QTcpServer server;
    EXPECT_TRUE(server.listen(QHostAddress::LocalHost));
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// The four commands that read the event stream, each as it must be run (capture needs --out,
// diagnose a device), against the demo.
std::vector<QStringList> streamCommands(const QTemporaryDir& dir)
{
    return {
        { QStringLiteral("monitor-events"), QStringLiteral("--demo") },
        { QStringLiteral("validate-messages"), QStringLiteral("--demo") },
        { QStringLiteral("capture"), QStringLiteral("--demo"), QStringLiteral("--out"),
            dir.filePath(QStringLiteral("c.jsonl")) },
        { QStringLiteral("diagnose"), QStringLiteral("wrong-casing"), QStringLiteral("--demo") },
    };
}

// Each of them with these options added must be refused as a usage problem.
void expectUsageErrorOnEach(const QStringList& options, const std::vector<std::string>& words)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    for (const auto& command : streamCommands(dir)) {
        const QStringList args = command + options;
        const auto r = diag(args);
        EXPECT_EQ(r.exitCode, 2) << label(args) << "\n" << r.err;
        for (const auto& w : words)
            EXPECT_TRUE(has(r.err, w)) << label(args) << " -> " << r.err;
        EXPECT_FALSE(has(r.err, "Monitoring")) << label(args) << ": refused before anything connects";
        EXPECT_FALSE(has(r.err, "Live via")) << label(args);
    }
}

std::vector<std::string> optionLines(const std::string& help)
{
    std::vector<std::string> lines;
    std::istringstream in(help);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Whether --help lists the option (as "--name" followed by a space or the end of its word).
bool listsOption(const std::string& help, const std::string& name)
{
    for (const auto& line : optionLines(help)) {
        const auto at = line.find("--" + name);
        if (at == std::string::npos)
            continue;
        const auto end = at + 2 + name.size();
        if (end == line.size() || line[end] == ' ' || line[end] == ',' || line[end] == '=')
            return true;
    }
    return false;
}

} // namespace

TEST(NetworkCli, AnUnknownTransportIsAUsageError)
{
    expectUsageErrorOnEach({ QStringLiteral("--transport"), QStringLiteral("bogus") }, { "auto, amqp or amqp-ws" });
}

TEST(NetworkCli, PortsOutOfRangeAreUsageErrors)
{
    expectUsageErrorOnEach({ QStringLiteral("--amqp-port"), QStringLiteral("0") }, { "--amqp-port" });
    expectUsageErrorOnEach({ QStringLiteral("--websocket-port"), QStringLiteral("70000") }, { "--websocket-port" });
}

TEST(NetworkCli, ANonHttpProxyIsRefusedWithoutRepeatingItsPassword)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    auto commands = streamCommands(dir);
    commands.push_back({ QStringLiteral("devices"), QStringLiteral("--demo") });
    for (const auto& command : commands) {
        const QStringList args
            = command + QStringList { QStringLiteral("--proxy"), QStringLiteral("socks5://u:SECRETPW@h:1") };
        const auto r = diag(args);
        EXPECT_EQ(r.exitCode, 2) << label(command) << "\n" << r.err;
        EXPECT_TRUE(has(r.err, "only HTTP proxies")) << label(command) << " -> " << r.err;
        EXPECT_FALSE(has(r.err, "SECRETPW")) << label(command) << ": the password on stderr: " << r.err;
        EXPECT_FALSE(has(r.out, "SECRETPW")) << label(command) << ": the password on stdout: " << r.out;
    }
}

TEST(NetworkCli, AMissingCaFileIsNamed)
{
    expectUsageErrorOnEach({ QStringLiteral("--ca-file"), QStringLiteral("/nonexistent.pem") },
        { "--ca-file", "/nonexistent.pem", "cannot read" });
    const auto r = diag({ QStringLiteral("devices"), QStringLiteral("--demo"), QStringLiteral("--ca-file"),
        QStringLiteral("/nonexistent.pem") });
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(has(r.err, "/nonexistent.pem")) << r.err;
}

TEST(NetworkCli, HelpListsTheNetworkOptionsWhereTheyApply)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    for (const auto& command : streamCommands(dir)) {
        const QStringList args = command + QStringList { QStringLiteral("--help") };
        const auto r = diag(args);
        EXPECT_EQ(r.exitCode, 0) << label(args) << "\n" << r.err;
        for (const char* option : { "transport", "amqp-port", "websocket-port", "proxy", "ca-file" })
            EXPECT_TRUE(listsOption(r.out, option)) << label(args) << " lacks --" << option << ":\n" << r.out;
    }
    for (const char* rest : { "devices", "registration-summary" }) {
        const QStringList args { QLatin1String(rest), QStringLiteral("--demo"), QStringLiteral("--help") };
        const auto r = diag(args);
        EXPECT_EQ(r.exitCode, 0) << label(args) << "\n" << r.err;
        EXPECT_TRUE(listsOption(r.out, "proxy")) << label(args) << ":\n" << r.out;
        EXPECT_TRUE(listsOption(r.out, "ca-file")) << label(args) << ":\n" << r.out;
        for (const char* option : { "transport", "amqp-port", "websocket-port" })
            EXPECT_FALSE(listsOption(r.out, option)) << label(args) << " lists --" << option << ":\n" << r.out;
    }
}

TEST(NetworkCli, AStreamSaysTheRouteItTakes)
{
    const QStringList args { QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--timeout"),
        QStringLiteral("4"), QStringLiteral("--max-messages"), QStringLiteral("2") };
    const auto r = diag(args);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    bool said = false;
    for (const auto& line : optionLines(r.err))
        said = said || line.rfind("Live via plain AMQP (", 0) == 0;
    EXPECT_TRUE(said) << r.err;
}

TEST(NetworkCli, WebSocketsToAClosedPortSaySoAndExitTwo)
{
    const QString port = QString::number(closedPort());
    const QStringList args { QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--transport"),
        QStringLiteral("amqp-ws"), QStringLiteral("--websocket-port"), port, QStringLiteral("--timeout"),
        QStringLiteral("10") };
    const auto r = diag(args);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(has(r.err, "could not be read")) << r.err;
    EXPECT_TRUE(has(r.err, "AMQP over WebSockets")) << r.err;
    EXPECT_TRUE(has(r.err, port.toStdString())) << r.err;
    EXPECT_FALSE(has(r.err, "Live via")) << r.err;
    EXPECT_FALSE(has(r.err, "(timeout)")) << "not a quiet stream: " << r.err;
}

TEST(NetworkCli, AmqpToAClosedPortSuggestsWebSockets)
{
    const QString port = QString::number(closedPort());
    const QStringList args { QStringLiteral("monitor-events"), QStringLiteral("--demo"), QStringLiteral("--transport"),
        QStringLiteral("amqp"), QStringLiteral("--amqp-port"), port, QStringLiteral("--timeout"),
        QStringLiteral("10") };
    const auto r = diag(args);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_TRUE(has(r.err, "could not be read")) << r.err;
    EXPECT_TRUE(has(r.err, port.toStdString())) << r.err;
    EXPECT_TRUE(has(r.err, "--transport amqp-ws")) << r.err;
    EXPECT_FALSE(has(r.err, "Live via")) << r.err;
}

TEST(NetworkCli, RestGoesThroughTheProxyGiven)
{
    const QString port = QString::number(closedPort());
    const QStringList viaProxy { QStringLiteral("devices"), QStringLiteral("--demo"), QStringLiteral("--proxy"),
        QStringLiteral("http://127.0.0.1:") + port, QStringLiteral("--output"), QStringLiteral("json") };
    const auto failed = diag(viaProxy);
    EXPECT_NE(failed.exitCode, 0) << "the demo is reachable; only the proxy is not:\n" << failed.out;
    EXPECT_FALSE(has(failed.out, "wrong-casing")) << "no device list came through a proxy nothing listens on:\n"
                                                  << failed.out;
    EXPECT_FALSE(has(failed.err, "--proxy:")) << "the setting itself is fine; the call failed: " << failed.err;
    EXPECT_TRUE(has(failed.err, "did not get through the proxy")) << failed.err;

    const QStringList direct { QStringLiteral("devices"), QStringLiteral("--demo"), QStringLiteral("--proxy"),
        QStringLiteral("direct"), QStringLiteral("--output"), QStringLiteral("json") };
    const auto ok = diag(direct);
    EXPECT_EQ(ok.exitCode, 0) << ok.err;
    EXPECT_TRUE(has(ok.out, "wrong-casing")) << "the demo's devices:\n" << ok.out;
}
