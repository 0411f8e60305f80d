#include "originpolicy.h"

#include <QHostAddress>

namespace iotc {

namespace {

int effectivePort(const QUrl& url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : url.scheme() == QLatin1String("http") ? 80 : -1);
}

} // namespace

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

QString credentialUrlProblem(const QUrl& url)
{
    if (!url.isValid())
        return QStringLiteral("is not a valid URL");
    const QString scheme = url.scheme();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return QStringLiteral("must start with https://");
    if (url.host().isEmpty())
        return QStringLiteral("names no host");
    // Whatever precedes an @ is user-info, not the host: the request would go to the host after it.
    if (!url.userName().isEmpty() || !url.password().isEmpty())
        return QStringLiteral("must not have user-info (text and @ before the host); the host it names is ")
            + url.host();
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host()))
        return QStringLiteral("must be https:// (plain http:// only for loopback: 127.0.0.1, ::1, localhost), not "
                              "http:// to ")
            + url.host();
    return {};
}

bool isAllowedServiceUrl(const QUrl& url, QString* why)
{
    QString problem = credentialUrlProblem(url);
    if (problem.isEmpty() && url.hasQuery())
        problem = QStringLiteral("must not have a query (?...): paths are appended to it");
    if (problem.isEmpty() && url.hasFragment())
        problem = QStringLiteral("must not have a fragment (#...): paths are appended to it");
    if (why)
        *why = problem;
    return problem.isEmpty();
}

bool isAllowedServiceUrl(const QString& url, QString* why)
{
    if (url.trimmed().isEmpty()) {
        if (why)
            *why = QStringLiteral("is empty");
        return false;
    }
    const QUrl parsed(url);
    if (!isAllowedServiceUrl(parsed, why))
        return false;
    // The clients build request URLs by appending to the text: the origin must survive that.
    if (!isSameOrigin(parsed, QUrl(url + QStringLiteral("/api/x")))) {
        if (why)
            *why = QStringLiteral("does not keep its host when a path is appended to it");
        return false;
    }
    return true;
}

bool isSameOrigin(const QUrl& a, const QUrl& b)
{
    return a.isValid() && b.isValid() && !a.host().isEmpty() && a.scheme() == b.scheme()
        && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && effectivePort(a) == effectivePort(b);
}

QString originOf(const QUrl& url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

} // namespace iotc
