#include "eventhubtarget.h"

#include <QUrl>

namespace iotc {

QString EventHubTarget::hostName() const
{
    const auto colon = host.lastIndexOf(QLatin1Char(':'));
    return colon < 0 ? host : host.left(colon);
}

int EventHubTarget::port() const
{
    const auto colon = host.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        bool ok = false;
        const int p = host.mid(colon + 1).toInt(&ok);
        if (ok)
            return p;
    }
    return tls ? 5671 : 5672;
}

bool EventHubTarget::isLoopback() const
{
    const QString h = hostName();
    return h == QLatin1String("127.0.0.1") || h == QLatin1String("localhost") || h == QLatin1String("::1")
        || h == QLatin1String("[::1]");
}

std::optional<EventHubTarget> EventHubTarget::fromConnectionString(const QString& cs, QString& error)
{
    EventHubTarget t;
    QString endpoint;
    for (const auto& part : cs.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const auto eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const QString name = part.left(eq).trimmed();
        const QString value = part.mid(eq + 1).trimmed();
        if (name.compare(QLatin1String("Endpoint"), Qt::CaseInsensitive) == 0)
            endpoint = value;
        else if (name.compare(QLatin1String("SharedAccessKeyName"), Qt::CaseInsensitive) == 0)
            t.keyName = value;
        else if (name.compare(QLatin1String("SharedAccessKey"), Qt::CaseInsensitive) == 0)
            t.key = value.toUtf8();
        else if (name.compare(QLatin1String("EntityPath"), Qt::CaseInsensitive) == 0)
            t.entityPath = value;
        else if (name.compare(QLatin1String("SharedAccessSignature"), Qt::CaseInsensitive) == 0)
            t.token = value;
    }
    const QUrl url(endpoint);
    if (endpoint.isEmpty() || url.scheme() != QLatin1String("sb") || url.host().isEmpty()) {
        error = QStringLiteral("the connection string has no Endpoint=sb://... part");
        return std::nullopt;
    }
    if (t.entityPath.isEmpty()) {
        error = QStringLiteral("the connection string has no EntityPath (the event hub's name); for an IoT hub use its "
                               "Event Hub-compatible endpoint from the portal (Built-in endpoints)");
        return std::nullopt;
    }
    if (t.key.isEmpty() && t.token.isEmpty()) {
        error = QStringLiteral("the connection string has no SharedAccessKey");
        return std::nullopt;
    }
    t.host = url.host() + (url.port() > 0 ? QLatin1Char(':') + QString::number(url.port()) : QString());
    t.tls = !t.isLoopback();
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
        const QUrl host(token.value(QStringLiteral("hostname")).toString());
        t.host = host.host() + (host.port() > 0 ? QLatin1Char(':') + QString::number(host.port()) : QString());
        t.entityPath = token.value(QStringLiteral("entityPath")).toString();
        t.token = token.value(QStringLiteral("sasToken")).toString();
        t.tokenExpiry = static_cast<qint64>(entry.value(QStringLiteral("expiry")).toDouble());
        t.tls = !t.isLoopback();
        if (t.host.isEmpty() || t.entityPath.isEmpty() || t.token.isEmpty())
            continue;
        out.append(t);
    }
    if (out.isEmpty())
        error = QStringLiteral("the response names no event hub (expected {hub: {eventhubSasToken: {sasToken, "
                               "entityPath, hostname}, expiry}})");
    return out;
}

} // namespace iotc
