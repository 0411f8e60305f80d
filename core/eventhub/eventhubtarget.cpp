#include "eventhubtarget.h"

#include <QHostAddress>
#include <QUrl>

namespace iotc {

namespace {

struct Authority {
    QString name; // without brackets
    int port = -1; // -1: none (or none usable)
};

// host[:port], [v6]:port or a bare IPv6 address (more than one colon, no brackets: no port).
Authority splitAuthority(const QString& host)
{
    Authority a;
    QString rest;
    if (host.startsWith(QLatin1Char('['))) {
        const auto close = host.indexOf(QLatin1Char(']'));
        if (close < 0) {
            a.name = host.mid(1);
            return a;
        }
        a.name = host.mid(1, close - 1);
        rest = host.mid(close + 1);
    } else if (host.count(QLatin1Char(':')) == 1) {
        const auto colon = host.indexOf(QLatin1Char(':'));
        a.name = host.left(colon);
        rest = host.mid(colon);
    } else {
        a.name = host;
        return a;
    }
    if (rest.startsWith(QLatin1Char(':'))) {
        bool ok = false;
        const int p = rest.mid(1).toInt(&ok);
        if (ok && p > 0 && p <= 65535)
            a.port = p;
    }
    return a;
}

// The inverse: an IPv6 address goes in brackets, the port only when there is one.
QString authority(const QString& name, int port)
{
    const QString h = name.contains(QLatin1Char(':')) ? QLatin1Char('[') + name + QLatin1Char(']') : name;
    return port > 0 ? h + QLatin1Char(':') + QString::number(port) : h;
}

// The port text of a URL's authority, when it has a port: after "]:" for an IPv6 address, else
// after the only colon. QUrl refuses a bad port with the whole URL; this names what is wrong.
std::optional<QString> portTextOf(const QString& url)
{
    const auto schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return std::nullopt;
    QString auth = url.mid(schemeEnd + 3);
    for (const QChar end : { QLatin1Char('/'), QLatin1Char('?'), QLatin1Char('#') }) {
        if (const auto at = auth.indexOf(end); at >= 0)
            auth.truncate(at);
    }
    if (const auto at = auth.lastIndexOf(QLatin1Char('@')); at >= 0)
        auth = auth.mid(at + 1);
    qsizetype colon = -1;
    if (auth.startsWith(QLatin1Char('['))) {
        const auto close = auth.indexOf(QLatin1Char(']'));
        if (close >= 0 && auth.mid(close + 1).startsWith(QLatin1Char(':')))
            colon = close + 1;
    } else {
        colon = auth.indexOf(QLatin1Char(':'));
    }
    if (colon < 0)
        return std::nullopt;
    return auth.mid(colon + 1);
}

// Event Hubs' naming rule (letters, digits, '.', '-', '_'; at most 256): the entity path ends up
// in AMQP addresses and in the token's audience.
bool isEventHubName(const QString& s)
{
    if (s.isEmpty() || s.size() > 256)
        return false;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        const bool alnum = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
        if (!alnum && u != u'.' && u != u'-' && u != u'_')
            return false;
    }
    return true;
}

bool named(const QString& name, const char* key)
{
    return name.compare(QLatin1String(key), Qt::CaseInsensitive) == 0;
}

} // namespace

QString EventHubTarget::hostName() const
{
    return splitAuthority(host).name;
}

int EventHubTarget::port() const
{
    const int p = splitAuthority(host).port;
    return p > 0 ? p : (tls ? 5671 : 5672);
}

bool EventHubTarget::isLoopback() const
{
    const QString h = hostName();
    if (h.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(h);
    return !address.isNull() && address.isLoopback();
}

QString EventHubTarget::amqpUrl() const
{
    return (tls ? QStringLiteral("amqps://") : QStringLiteral("amqp://")) + authority(hostName(), port());
}

std::optional<EventHubTarget> EventHubTarget::fromConnectionString(const QString& cs, QString& error)
{
    // Messages name the part that is wrong, never its value: a mangled string may carry the key
    // anywhere.
    if (cs.size() > MaxConnectionStringLength) {
        error = QStringLiteral("the connection string is too long to be one (over 64 KiB)");
        return std::nullopt;
    }
    EventHubTarget t;
    QString endpoint;
    int index = 0;
    for (const auto& raw : cs.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        ++index;
        const QString part = raw.trimmed();
        if (part.isEmpty())
            continue;
        // The first '=' ends the name: the values (base64 keys, tokens) may hold more of them.
        const auto eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            error = QStringLiteral("part %1 of the connection string is not a name=value pair (expected "
                                   "Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...;EntityPath=...)")
                        .arg(index);
            return std::nullopt;
        }
        const QString name = part.left(eq).trimmed();
        const QString value = part.mid(eq + 1).trimmed();
        if (named(name, "Endpoint"))
            endpoint = value;
        else if (named(name, "SharedAccessKeyName"))
            t.keyName = value;
        else if (named(name, "SharedAccessKey"))
            t.key = value.toUtf8();
        else if (named(name, "EntityPath"))
            t.entityPath = value;
        else if (named(name, "SharedAccessSignature"))
            t.token = value;
        // Anything else (TransportType, UseDevelopmentEmulator ...) does not change where or how we read.
    }
    if (endpoint.isEmpty()) {
        error = QStringLiteral("the connection string has no Endpoint=sb://... part");
        return std::nullopt;
    }
    const QUrl url(endpoint, QUrl::StrictMode);
    // sb:// is Azure's; amqps:// (TLS to any host, this machine included: the simulator with --tls)
    // is the one other spelling.
    if (url.scheme() != QLatin1String("sb") && url.scheme() != QLatin1String("amqps")) {
        error = QStringLiteral("the Endpoint must be an sb:// URL (Endpoint=sb://<namespace>.servicebus.windows.net/)");
        return std::nullopt;
    }
    int port = -1;
    if (const auto portText = portTextOf(endpoint); portText && !portText->isEmpty()) {
        bool ok = false;
        port = portText->toInt(&ok);
        if (!ok || port < 1 || port > 65535) {
            error = QStringLiteral("the Endpoint's port is not a number from 1 to 65535");
            return std::nullopt;
        }
    }
    if (!url.isValid()) {
        error = QStringLiteral("the Endpoint is not a valid sb://host[:port]/ URL");
        return std::nullopt;
    }
    if (!url.userInfo().isEmpty()) {
        error = QStringLiteral("the Endpoint must not hold a user name or password (the key goes in SharedAccessKey)");
        return std::nullopt;
    }
    const QString host = url.host(QUrl::FullyEncoded); // ASCII (punycode), IPv6 without brackets
    if (host.isEmpty()) {
        error = QStringLiteral("the Endpoint has no host name");
        return std::nullopt;
    }
    if (t.entityPath.isEmpty()) {
        error = QStringLiteral("the connection string has no EntityPath (the event hub's name); for an IoT hub use its "
                               "Event Hub-compatible endpoint from the portal (Built-in endpoints)");
        return std::nullopt;
    }
    if (!isEventHubName(t.entityPath)) {
        error = QStringLiteral("the EntityPath is not an event hub name (letters, digits, '.', '-' and '_', at most "
                               "256 characters)");
        return std::nullopt;
    }
    if (t.key.isEmpty() && t.token.isEmpty()) {
        error = QStringLiteral("the connection string has no SharedAccessKey (or SharedAccessSignature)");
        return std::nullopt;
    }
    if (!t.key.isEmpty() && t.keyName.isEmpty()) {
        error = QStringLiteral("the connection string has a SharedAccessKey but no SharedAccessKeyName (the policy "
                               "the key belongs to)");
        return std::nullopt;
    }
    t.host = authority(host, port);
    t.tls = url.scheme() == QLatin1String("amqps") || !t.isLoopback();
    return t;
}

QList<EventHubTarget> EventHubTarget::fromEventSasTokens(const QJsonObject& response, QString& error)
{
    QList<EventHubTarget> out;
    for (auto it = response.begin(); it != response.end(); ++it) {
        const auto entry = it.value().toObject();
        const auto token = entry.value(QStringLiteral("eventhubSasToken")).toObject();
        if (token.isEmpty())
            continue;
        EventHubTarget t;
        const QUrl url(token.value(QStringLiteral("hostname")).toString(), QUrl::StrictMode);
        if (!url.isValid() || !url.userInfo().isEmpty()
            || (url.scheme() != QLatin1String("sb") && url.scheme() != QLatin1String("amqps")))
            continue;
        const QString host = url.host(QUrl::FullyEncoded);
        t.host = host.isEmpty() ? QString() : authority(host, url.port());
        t.entityPath = token.value(QStringLiteral("entityPath")).toString();
        t.token = token.value(QStringLiteral("sasToken")).toString();
        // (A double outside qint64's range would be undefined to convert.)
        const double expiry = entry.value(QStringLiteral("expiry")).toDouble();
        t.tokenExpiry = expiry > 0 && expiry < 1e15 ? static_cast<qint64>(expiry) : 0;
        t.tls = url.scheme() == QLatin1String("amqps") || !t.isLoopback();
        if (t.host.isEmpty() || !isEventHubName(t.entityPath) || t.token.isEmpty())
            continue;
        out.append(t);
    }
    if (out.isEmpty())
        error = QStringLiteral("the response names no event hub (expected {hub: {eventhubSasToken: {sasToken, "
                               "entityPath, hostname}, expiry}})");
    return out;
}

} // namespace iotc
