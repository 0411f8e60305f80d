#include "sas.h"

#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QUrl>
#include <QUrlQuery>

namespace iotc {

namespace {

QByteArray signature(const QString& encodedResource, qint64 expiry, const QByteArray& key, SasKeyKind kind)
{
    const QByteArray secret = kind == SasKeyKind::Base64Decoded ? QByteArray::fromBase64(key) : key;
    const QByteArray message = encodedResource.toUtf8() + '\n' + QByteArray::number(expiry);
    return QMessageAuthenticationCode::hash(message, secret, QCryptographicHash::Sha256).toBase64();
}

} // namespace

QString sasUrlEncode(const QString& text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, "-_.~"));
}

QString makeSasToken(
    const QString& resource, const QByteArray& key, SasKeyKind kind, qint64 expiry, const QString& keyName)
{
    const QString sr = sasUrlEncode(resource);
    QString token = QStringLiteral("SharedAccessSignature sr=") + sr + QStringLiteral("&sig=")
        + sasUrlEncode(QString::fromLatin1(signature(sr, expiry, key, kind))) + QStringLiteral("&se=")
        + QString::number(expiry);
    if (!keyName.isEmpty())
        token += QStringLiteral("&skn=") + sasUrlEncode(keyName);
    return token;
}

std::optional<SasToken> parseSasToken(const QString& token)
{
    static const QString prefix = QStringLiteral("SharedAccessSignature ");
    if (!token.startsWith(prefix))
        return std::nullopt;
    SasToken out;
    bool haveSr = false, haveSig = false, haveSe = false;
    const auto fields = QStringView(token).mid(prefix.size()).split(u'&');
    for (const auto& field : fields) {
        const auto eq = field.indexOf(u'=');
        if (eq <= 0)
            return std::nullopt;
        const auto name = field.left(eq);
        const QString value = QUrl::fromPercentEncoding(field.mid(eq + 1).toLatin1());
        if (name == u"sr") {
            out.resource = value;
            haveSr = true;
        } else if (name == u"sig") {
            out.signature = value;
            haveSig = true;
        } else if (name == u"se") {
            bool ok = false;
            out.expiry = value.toLongLong(&ok);
            haveSe = ok;
        } else if (name == u"skn") {
            out.keyName = value;
        }
    }
    if (!haveSr || !haveSig || !haveSe)
        return std::nullopt;
    return out;
}

bool verifySasSignature(const QString& token, const QByteArray& key, SasKeyKind kind)
{
    const auto parsed = parseSasToken(token);
    if (!parsed)
        return false;
    // Clients differ in how they encode sr (%2F vs %2f); sign what we decoded, re-encoded our way,
    // and also the upper/lower-case variants the SDKs produce.
    const QString encoded = sasUrlEncode(parsed->resource);
    for (const QString& candidate : { encoded, encoded.toLower() }) {
        if (QString::fromLatin1(signature(candidate, parsed->expiry, key, kind)) == parsed->signature)
            return true;
    }
    return false;
}

QByteArray deriveDeviceKey(const QByteArray& groupKeyBase64, const QString& registrationId)
{
    return QMessageAuthenticationCode::hash(
        registrationId.toUtf8(), QByteArray::fromBase64(groupKeyBase64), QCryptographicHash::Sha256)
        .toBase64();
}

QString makeDpsToken(
    const QString& idScope, const QString& registrationId, const QByteArray& deviceKeyBase64, qint64 expiry)
{
    return makeSasToken(idScope + QStringLiteral("/registrations/") + registrationId, deviceKeyBase64,
        SasKeyKind::Base64Decoded, expiry, QStringLiteral("registration"));
}

qint64 secondsFromNow(std::chrono::seconds delta)
{
    return QDateTime::currentSecsSinceEpoch() + delta.count();
}

} // namespace iotc
