#pragma once

#include "networksettings.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace iotc {

// What a device's network must reach, seen from a laptop on that network (iotc-diag netcheck, the
// workbench's network check): DNS, a TCP connection, a TLS handshake (the chain's issuer and
// whether this system trusts it), the proxy in use, and the clock against an HTTPS Date header.
// No credentials are needed; nothing is sent beyond a TLS handshake and, on 443, a HEAD request.

enum class NetProtocol { Mqtt, Amqp, Https };
const char* protocolName(NetProtocol p); // "mqtt", "amqp", "https"

struct NetTarget {
    QString role; // "dps", "hub" or "eventhub": what the host is to a device
    QString host;
    int port = 0;
    NetProtocol protocol = NetProtocol::Https;
};

// The targets a device of an application needs: DPS and each hub on MQTT, AMQP and 443, and
// the event hub endpoint (the cloud side) on AMQP and 443. Ports from the settings' overrides.
struct NetPorts {
    int mqtt = 8883;
    int amqp = 5671;
    int websocket = 443;
};
std::vector<NetTarget> deviceTargets(
    const QString& dpsHost, const QStringList& hubHosts, const QStringList& eventHubHosts, const NetPorts& ports);

struct NetTlsResult {
    bool attempted = false;
    bool ok = false;
    QString protocol; // "TLS 1.2", "TLS 1.3"
    QString issuer; // the leaf's issuer
    QString root; // the chain's last certificate's subject
    bool trusted = false;
    QString error; // in words (describeTlsFailure)
};

struct NetTargetResult {
    NetTarget target;
    bool passed = false;
    QStringList addresses;
    qint64 dnsMs = -1;
    qint64 tcpMs = -1;
    NetTlsResult tls;
    QString proxy; // "proxy.example:8080", empty for a direct connection
    std::optional<QDateTime> serverDate; // from the HTTPS Date header (443 targets)
    QString code; // netcheck-dns, netcheck-port-blocked, netcheck-timeout, netcheck-tls-untrusted ...
    QString detail; // what happened, in words
    QString mitigation; // what to do, in the device's terms
};

struct NetCheckReport {
    std::vector<NetTargetResult> targets;
    std::optional<qint64> clockSkewSeconds; // this clock minus the server's (positive: ahead); first Date seen
    bool ok() const;
    QStringList verdictLines() const; // the failures in the device's terms, or "all reachable"
};

struct NetCheckOptions {
    NetworkSettings network; // proxy and extra CAs
    int timeoutMs = 8000; // per step
};

// Over this, a clock breaks SAS tokens (IoT Hub allows about five minutes) and is worth fixing.
constexpr int ClockSkewBoundSeconds = 60;

// Checks every target at once (each one's steps in order) and waits for all of them. Runs its own
// event loop: call it from a worker thread or a command-line program, never the GUI thread.
NetCheckReport runNetCheck(const std::vector<NetTarget>& targets, const NetCheckOptions& options);

// The clock verdict: empty when within the bound, else what it breaks and what to do.
QString clockSkewProblem(qint64 skewSeconds, int boundSeconds);

} // namespace iotc
