#pragma once

#include <QString>

namespace iotc {

// Whether a plain TCP connection to host:port gets through, to say what a library's opaque
// "connect failure" was (Paho MQTT's "TCP/TLS connect failure" covers a refusal, silence and a TLS
// failure alike). Blocking, within timeoutMs: call it off the GUI thread.
struct TcpReach {
    enum class Outcome { Connected, Refused, NoAnswer, HostNotFound, Failed };
    Outcome outcome = Outcome::Failed;
    QString text; // "localhost:8883 refused the connection (...)"; empty when Connected
};

TcpReach reachTcp(const QString& host, quint16 port, int timeoutMs);

} // namespace iotc
