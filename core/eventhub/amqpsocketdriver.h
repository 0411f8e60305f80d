#pragma once

#include "amqpbytestream.h"

#include <QObject>

#include <proton/connection.hpp>
#include <proton/connection_options.hpp>

#include <vector>

namespace iotc {

// The conditions the driver gives failures of the socket under a connection (the description says
// what happened in words; on_transport_error receives them).
inline constexpr const char* NetworkCondition = "iotc:network";
inline constexpr const char* TlsCertificateCondition = "iotc:tls-certificate"; // retrying cannot help
inline constexpr const char* TlsHandshakeCondition = "iotc:tls-handshake";
inline constexpr const char* HostNotFoundCondition = "iotc:dns"; // another port or transport cannot help
inline constexpr const char* ProxyCondition = "iotc:proxy"; // the proxy is unreachable or will not tunnel there
inline constexpr const char* ProxyAuthCondition = "iotc:proxy-auth"; // the proxy wants (other) credentials

// AMQP on sockets this process owns: per connection a proton::io::connection_driver and a Qt
// socket, bytes moved between the driver's buffers and the socket when it is readable or has
// written, tick() on a timer set to the driver's next expiry, the messaging_handler dispatched after
// each. Lives on the thread that drives it (AmqpIoThread); every call comes from that thread.
// Destroying it drops what is still open without calling a handler.
class AmqpSocketDriver : public QObject {
    Q_OBJECT
public:
    explicit AmqpSocketDriver(QObject* parent = nullptr);
    ~AmqpSocketDriver() override;

    // Opens the socket and the AMQP connection (Open already queued, with exactly `options`,
    // which name the handler). The handler's events come from this thread's event loop, never
    // from inside this call. A socket failure reaches it as on_transport_error.
    proton::connection open(const AmqpEndpoint& endpoint, const proton::connection_options& options);

    // Moves what handlers queued outside a dispatch (a message sent from a timer, a close) to the
    // sockets soon; coalesced.
    void flush();

    int connectionCount() const; // still open or closing

private:
    class Connection;
    std::vector<Connection*> m_connections; // children, each until it is done
    bool m_flushQueued = false;
};

} // namespace iotc
