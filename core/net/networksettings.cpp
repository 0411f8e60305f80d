#include "networksettings.h"

#include <QFile>
#include <QHostAddress>
#include <QNetworkProxyFactory>
#include <QNetworkProxyQuery>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QUrl>

namespace iotc {

namespace {

constexpr qint64 MaxCaFileBytes = 1024 * 1024;

// no_proxy as curl and most tools read it: entries separated by commas (or spaces), each a host
// name that also covers its subdomains (with or without a leading dot or "*."), an address, or "*"
// for every host; ":port" suffixes are ignored. (Qt's lookup, with libproxy, would not exempt the
// subdomains of a bare domain nor take "*".)
bool exemptedByNoProxy(const QString& host)
{
    QByteArray list = qgetenv("no_proxy");
    if (list.isEmpty())
        list = qgetenv("NO_PROXY");
    if (list.isEmpty() || list.size() > 64 * 1024)
        return false;
    const QString name = host.toLower();
    const auto entries = QString::fromLocal8Bit(list).toLower().split(
        QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (QString entry : entries) {
        if (entry == QLatin1String("*"))
            return true;
        if (entry.startsWith(QLatin1String("*.")))
            entry.remove(0, 1);
        if (entry.startsWith(QLatin1Char('[')) && entry.contains(QLatin1Char(']')))
            entry = entry.mid(1, entry.indexOf(QLatin1Char(']')) - 1);
        else if (entry.count(QLatin1Char(':')) == 1)
            entry = entry.section(QLatin1Char(':'), 0, 0);
        if (entry.startsWith(QLatin1Char('.')))
            entry.remove(0, 1);
        if (entry.isEmpty())
            continue;
        if (name == entry || name.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

const char* transportName(AmqpTransport t)
{
    switch (t) {
    case AmqpTransport::Amqp:
        return "amqp";
    case AmqpTransport::AmqpWebSockets:
        return "amqp-ws";
    case AmqpTransport::Auto:
        break;
    }
    return "auto";
}

std::optional<AmqpTransport> parseTransport(const QString& text)
{
    for (AmqpTransport t : { AmqpTransport::Auto, AmqpTransport::Amqp, AmqpTransport::AmqpWebSockets }) {
        if (text.compare(QLatin1String(transportName(t)), Qt::CaseInsensitive) == 0)
            return t;
    }
    return std::nullopt;
}

bool parseProxySetting(const QString& text, QNetworkProxy& out, QString& error)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0) {
        out = QNetworkProxy(QNetworkProxy::DefaultProxy);
        return true;
    }
    if (t.compare(QLatin1String("direct"), Qt::CaseInsensitive) == 0
        || t.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        out = QNetworkProxy(QNetworkProxy::NoProxy);
        return true;
    }
    if (t.size() > 2048) {
        error = QStringLiteral("the proxy setting is too long to be a proxy URL");
        return false;
    }
    const QUrl url(t.contains(QLatin1String("://")) ? t : QStringLiteral("http://") + t, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        error = QStringLiteral("the proxy must be http://[user:password@]host:port, \"direct\" or empty for the "
                               "system's");
        return false;
    }
    if (url.scheme() != QLatin1String("http")) {
        error = QStringLiteral("only HTTP proxies (http://host:port, which tunnel with CONNECT) are supported, not ")
            + url.scheme() + QStringLiteral("://");
        return false;
    }
    if (url.port() <= 0) {
        const QString host
            = url.host().contains(QLatin1Char(':')) ? QLatin1Char('[') + url.host() + QLatin1Char(']') : url.host();
        error = QStringLiteral("the proxy URL names no port (http://") + host + QStringLiteral(":PORT)");
        return false;
    }
    if (!url.path().isEmpty() && url.path() != QLatin1String("/")) {
        error = QStringLiteral("a proxy URL has no path (http://host:port)");
        return false;
    }
    out = QNetworkProxy(QNetworkProxy::HttpProxy, url.host(), static_cast<quint16>(url.port()),
        url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded));
    return true;
}

QNetworkProxy proxyFor(const NetworkSettings& settings, const QString& host, int port)
{
    QNetworkProxy explicitProxy;
    QString ignored;
    if (!settings.proxy.trimmed().isEmpty() && parseProxySetting(settings.proxy, explicitProxy, ignored)
        && explicitProxy.type() != QNetworkProxy::DefaultProxy)
        return explicitProxy;
    // The system's: never for this machine itself, else what it says for an https URL to the host
    // (https_proxy, no_proxy, the desktop's settings).
    if (isLoopbackHost(host) || exemptedByNoProxy(host))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(host);
    url.setPort(port);
    const auto candidates = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(url));
    for (const QNetworkProxy& p : candidates) {
        // Caching proxies cannot tunnel a socket; CONNECT (HTTP) and SOCKS 5 can.
        if (p.type() == QNetworkProxy::HttpProxy || p.type() == QNetworkProxy::Socks5Proxy
            || p.type() == QNetworkProxy::NoProxy)
            return p;
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

QString proxyDisplay(const QNetworkProxy& proxy)
{
    if (proxy.type() != QNetworkProxy::HttpProxy && proxy.type() != QNetworkProxy::Socks5Proxy)
        return {};
    const QString host = proxy.hostName().contains(QLatin1Char(':'))
        ? QLatin1Char('[') + proxy.hostName() + QLatin1Char(']')
        : proxy.hostName();
    return host + QLatin1Char(':') + QString::number(proxy.port());
}

QList<QSslCertificate> trustAnchors(const QList<QSslCertificate>& extra)
{
    static const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    return system + extra;
}

bool loadCaFile(const QString& path, QList<QSslCertificate>& out, QString& error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read the CA file %1: %2").arg(path, f.errorString());
        return false;
    }
    if (f.size() > MaxCaFileBytes) {
        error = QStringLiteral("the CA file %1 is over 1 MB: not a certificate bundle").arg(path);
        return false;
    }
    const QByteArray data = f.read(MaxCaFileBytes + 1);
    QList<QSslCertificate> certs = QSslCertificate::fromData(data, QSsl::Pem);
    if (certs.isEmpty())
        certs = QSslCertificate::fromData(data, QSsl::Der);
    certs.removeIf([](const QSslCertificate& c) { return c.isNull(); });
    if (certs.isEmpty()) {
        error = QStringLiteral("the CA file %1 holds no certificate (PEM or DER)").arg(path);
        return false;
    }
    out = certs;
    return true;
}

} // namespace iotc
