#pragma once

#include <QList>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QString>

#include <optional>

namespace iotc {

// How the event stream's AMQP travels: TLS to 5671, AMQP over WebSockets (TLS) to 443, or the
// first that works (5671, then 443 when 5671 is refused, times out or a proxy will not tunnel it).
enum class AmqpTransport { Auto, Amqp, AmqpWebSockets };

const char* transportName(AmqpTransport t); // "auto", "amqp", "amqp-ws"
std::optional<AmqpTransport> parseTransport(const QString& text);

// The network a user's machine reaches Azure through: one setting for REST and the event stream,
// saved with the application in the workbench and given by --transport, --amqp-port,
// --websocket-port, --proxy and --ca-file on the command line.
struct NetworkSettings {
    AmqpTransport transport = AmqpTransport::Auto;
    int amqpPort = 0; // 0: the endpoint's own (5671, or the port its address names)
    int websocketPort = 443;
    // "" = the system's proxy (https_proxy/no_proxy and desktop settings); "direct" = none;
    // otherwise http://[user:password@]host:port. The password is a secret: proxyDisplay() shows it.
    QString proxy;
    QString caFile; // where extraCaCertificates came from (saved with the application)
    QList<QSslCertificate> extraCaCertificates; // trusted besides the system's (a TLS-inspecting proxy's CA)

    bool operator==(const NetworkSettings&) const = default;
};

// "direct", "", or an http:// proxy URL with a host and a port; false with a reason in words
// (which never repeats a password) otherwise. Accepts "host:port" as http://host:port.
bool parseProxySetting(const QString& text, QNetworkProxy& out, QString& error);

// The proxy a connection to host:port goes through: the explicit setting, or the system's for an
// https URL to that host, NoProxy when there is none, for this machine, or when no_proxy (read as
// curl reads it: a domain covers its subdomains, "*" every host) exempts the host. Never blocks for long:
// the system's answer is read from the environment or the desktop's settings.
QNetworkProxy proxyFor(const NetworkSettings& settings, const QString& host, int port);

// "proxy.example:8080" (never the user name or password); empty for no proxy.
QString proxyDisplay(const QNetworkProxy& proxy);

// The system's trust anchors and `extra`: what a TLS connection given extra CAs trusts. The
// system's bundle is read once per process (parsing it costs milliseconds: never per request).
QList<QSslCertificate> trustAnchors(const QList<QSslCertificate>& extra);

// Reads every PEM (or DER) certificate in a file: false with a reason in words when it cannot be
// read, holds none, or is too big (1 MB).
bool loadCaFile(const QString& path, QList<QSslCertificate>& out, QString& error);

} // namespace iotc
