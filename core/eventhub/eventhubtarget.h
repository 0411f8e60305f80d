#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace iotc {

// One event hub to read: an IoT hub's built-in endpoint or any Event Hubs entity.
// Credentials are either a policy key (tokens are made and renewed here) or a ready token with
// its expiry (from IoT Central's generateEventSasTokens; renewed by asking again).
struct EventHubTarget {
    // Namespace host as a URL's authority writes it: with :port when not the default, an IPv6
    // address in brackets ([::1]:5671), so that the audience sb://host/entity stays a URL.
    QString host;
    QString entityPath;
    // amqps; plain amqp only to loopback, where sb:// means plain (the simulator) and amqps:// TLS.
    bool tls = true;
    QString keyName;
    QByteArray key; // raw SharedAccessKey text
    QString token; // a ready "SharedAccessSignature ..." token
    qint64 tokenExpiry = 0; // seconds since the epoch

    // Longer "connection strings" are not one (a token is a few hundred characters).
    static constexpr qsizetype MaxConnectionStringLength = qsizetype(64) * 1024;

    QString audience() const { return QStringLiteral("sb://") + host + QLatin1Char('/') + entityPath; }
    QString hostName() const; // without the port or an IPv6 address's brackets
    int port() const; // 5671 for amqps, 5672 for amqp unless given
    bool isLoopback() const;
    QString amqpUrl() const; // amqps://host:port (amqp:// to loopback), an IPv6 address bracketed

    // Endpoint=sb://host[:port]/;SharedAccessKeyName=...;SharedAccessKey=...;EntityPath=...
    // (Event Hubs or an IoT hub's built-in endpoint), or SharedAccessSignature=... instead of the
    // key. Total on any text: nullopt with error set (never naming a secret) when it is not one.
    static std::optional<EventHubTarget> fromConnectionString(const QString& connectionString, QString& error);
    // The response of POST /system/iothubs/generateEventSasTokens: one target per hub.
    static QList<EventHubTarget> fromEventSasTokens(const QJsonObject& response, QString& error);
};

} // namespace iotc
