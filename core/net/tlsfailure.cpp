#include "tlsfailure.h"

#include <QDateTime>
#include <QStringList>

namespace iotc {

namespace {

// A certificate's words as they end up on a terminal: bounded, no control characters.
QString printable(QString s)
{
    if (s.size() > 200)
        s = s.left(200) + QStringLiteral("...");
    for (QChar& c : s) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
            c = QLatin1Char(' ');
    }
    return s;
}

QString firstOf(const QStringList& values)
{
    for (const auto& v : values) {
        if (!v.trimmed().isEmpty())
            return v.trimmed();
    }
    return {};
}

QString subjectName(const QSslCertificate& c)
{
    QString name = firstOf(c.subjectInfo(QSslCertificate::CommonName));
    if (name.isEmpty())
        name = firstOf(c.subjectInfo(QSslCertificate::Organization));
    return name.isEmpty() ? QStringLiteral("an unnamed certificate") : printable(name);
}

QString issuerName(const QSslCertificate& c)
{
    QString name = firstOf(c.issuerInfo(QSslCertificate::CommonName));
    if (name.isEmpty())
        name = firstOf(c.issuerInfo(QSslCertificate::Organization));
    return name.isEmpty() ? QStringLiteral("an unnamed authority") : printable(name);
}

// The names a certificate is valid for (DNS names, else its common name), at most three.
QString namesOf(const QSslCertificate& c)
{
    QStringList names;
    const auto alternatives = c.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend() && names.size() < 3; ++it) {
        if (it.key() == QSsl::DnsEntry || it.key() == QSsl::IpAddressEntry)
            names << QLatin1Char('\'') + printable(it.value()) + QLatin1Char('\'');
    }
    if (names.isEmpty())
        names << QLatin1Char('\'') + subjectName(c) + QLatin1Char('\'');
    return names.join(QStringLiteral(", "));
}

QString dateOf(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd")) : QStringLiteral("an unknown date");
}

// What to exempt from inspection: the namespace's domain for Event Hubs, else the host itself.
QString exemption(const QString& host)
{
    static const QString serviceBus = QStringLiteral(".servicebus.windows.net");
    return host.endsWith(serviceBus, Qt::CaseInsensitive) ? QLatin1Char('*') + serviceBus : host;
}

enum class Kind { Untrusted, WrongHost, Expired, NotYetValid, Revoked, Other };

Kind kindOf(QSslError::SslError e)
{
    switch (e) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
    case QSslError::InvalidCaCertificate:
        return Kind::Untrusted;
    case QSslError::HostNameMismatch:
        return Kind::WrongHost;
    case QSslError::CertificateExpired:
        return Kind::Expired;
    case QSslError::CertificateNotYetValid:
        return Kind::NotYetValid;
    case QSslError::CertificateRevoked:
        return Kind::Revoked;
    default:
        return Kind::Other;
    }
}

// Where the chain of trust ends, for an untrusted one: the authority nobody here knows.
QString chainEnd(const QSslError& e, const QList<QSslCertificate>& chain)
{
    const QSslCertificate c = !e.certificate().isNull() ? e.certificate()
        : chain.isEmpty()                               ? QSslCertificate()
                                                        : chain.last();
    if (c.isNull())
        return QStringLiteral("an unnamed authority");
    const bool selfSigned = e.error() == QSslError::SelfSignedCertificate
        || e.error() == QSslError::SelfSignedCertificateInChain || c.isSelfSigned();
    return selfSigned ? subjectName(c) : issuerName(c);
}

QString sentence(Kind kind, const QSslError& e, const QString& host, const QList<QSslCertificate>& chain)
{
    const QSslCertificate c = !e.certificate().isNull() ? e.certificate()
        : chain.isEmpty()                               ? QSslCertificate()
                                                        : chain.first();
    const QString named = c.isNull() ? QString() : QStringLiteral(" ('") + subjectName(c) + QStringLiteral("')");
    switch (kind) {
    case Kind::Untrusted:
        return QStringLiteral("the TLS certificate of %1 is not trusted: the chain ends at '%2', which this system "
                              "does not trust; a proxy may be inspecting TLS: add its CA with --ca-file or ask IT "
                              "to exempt %3")
            .arg(host, chainEnd(e, chain), exemption(host));
    case Kind::WrongHost:
        return QStringLiteral("the TLS certificate presented for %1 is for %2, not for %1: another server or a proxy "
                              "answered; check the endpoint's host name, or whether a proxy intercepts the connection")
            .arg(host, c.isNull() ? QStringLiteral("another name") : namesOf(c));
    case Kind::Expired:
        return QStringLiteral("the TLS certificate of %1%2 expired on %3 (UTC); check this computer's date and time, "
                              "or whether a proxy presents an outdated certificate")
            .arg(host, named, c.isNull() ? QStringLiteral("an unknown date") : dateOf(c.expiryDate()));
    case Kind::NotYetValid:
        return QStringLiteral("the TLS certificate of %1%2 is not valid before %3 (UTC); check this computer's date "
                              "and time")
            .arg(host, named, c.isNull() ? QStringLiteral("an unknown date") : dateOf(c.effectiveDate()));
    case Kind::Revoked:
        return QStringLiteral("the TLS certificate of %1%2 has been revoked by its issuer").arg(host, named);
    case Kind::Other:
        break;
    }
    return QStringLiteral("the TLS certificate of %1%2 was refused: %3").arg(host, named, printable(e.errorString()));
}

} // namespace

QString describeTlsFailure(const QString& host, const QList<QSslError>& errors, const QList<QSslCertificate>& chain)
{
    if (errors.isEmpty())
        return describeTlsHandshakeFailure(host, -1, QString());
    // The most telling failure leads: an untrusted root explains a wrong name or date from a proxy.
    const QSslError* lead = nullptr;
    Kind leadKind = Kind::Other;
    for (const auto& e : errors) {
        const Kind k = kindOf(e.error());
        if (!lead || static_cast<int>(k) < static_cast<int>(leadKind)) {
            lead = &e;
            leadKind = k;
        }
    }
    QString words = sentence(leadKind, *lead, host, chain);
    QStringList others;
    for (const auto& e : errors) {
        const Kind k = kindOf(e.error());
        if (k == leadKind)
            continue;
        const QString also = printable(e.errorString());
        if (!others.contains(also))
            others << also;
    }
    if (!others.isEmpty())
        words += QStringLiteral(" (also: ") + others.join(QStringLiteral("; ")) + QLatin1Char(')');
    return words;
}

QString describeTlsHandshakeFailure(const QString& host, int port, const QString& socketError)
{
    const QString where = port > 0 ? host + QLatin1Char(':') + QString::number(port) : host;
    const QString why
        = socketError.isEmpty() ? QString() : QStringLiteral(" (") + printable(socketError) + QLatin1Char(')');
    return QStringLiteral("the TLS handshake with %1 failed%2: the server, or a proxy in between, does not speak TLS "
                          "1.2 or later on this port")
        .arg(where, why);
}

} // namespace iotc
