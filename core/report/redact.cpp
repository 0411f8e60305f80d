#include "redact.h"

#include <QRegularExpression>

namespace iotc {

QString redactSecrets(const QString& text)
{
    static const QRegularExpression signature(QStringLiteral("(sig=)[^&\\s\"']+"));
    static const QRegularExpression sharedKey(
        QStringLiteral("(SharedAccessKey=)[^;\\s\"']+"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bearer(QStringLiteral("(Bearer\\s+)[A-Za-z0-9._~+/=-]+"));
    static const QRegularExpression jwt(QStringLiteral("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"));
    // The value may hold escaped quotes, and text cut short may end inside it: both stay hidden.
    static const QRegularExpression jsonSecret(
        QStringLiteral("(\"(?:primaryKey|secondaryKey|sasToken|accessToken|apiToken|token|password|key)\"\\s*:\\s*\")"
                       "(?:[^\"\\\\]|\\\\.)*(\"|\\\\?$)"),
        QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(signature, QStringLiteral("\\1<redacted>"));
    out.replace(sharedKey, QStringLiteral("\\1<redacted>"));
    out.replace(bearer, QStringLiteral("\\1<redacted>"));
    out.replace(jwt, QStringLiteral("<redacted-token>"));
    out.replace(jsonSecret, QStringLiteral("\\1<redacted>\\2"));
    return out;
}

} // namespace iotc
