#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace iotc {

// Why a TLS connection to `host` was refused, in words a user can act on: an untrusted root (a
// proxy inspecting TLS), a certificate for another host, an expired one. Built from the errors
// QSslSocket reported and the chain the peer presented; names and dates come from the
// certificates (bounded, without control characters). Never an offer to ignore the error.
QString describeTlsFailure(const QString& host, const QList<QSslError>& errors, const QList<QSslCertificate>& chain);

// A handshake that failed without a certificate error (no TLS 1.2 or later, not TLS at all ...).
QString describeTlsHandshakeFailure(const QString& host, int port, const QString& socketError);

} // namespace iotc
