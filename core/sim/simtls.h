#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>

namespace iotc::sim {

// The certificates `iotc-diag sim --tls` serves with: a CA made at start and thrown away when the
// simulator stops ("iotc-diag sim CA (throwaway)", valid from an hour ago for 30 days), and a
// certificate for localhost (DNS:localhost, IP:127.0.0.1, IP:::1, serverAuth) it signed. All keys
// are EC P-256. Whoever talks to the simulator trusts caPem (written to a file: --ca-file).
struct SimTlsMaterial {
    QSslCertificate ca;
    QSslCertificate leaf;
    QSslKey key; // the leaf's private key
    QByteArray caPem;
};

// Throws std::runtime_error with the reason in words when OpenSSL cannot make them.
SimTlsMaterial makeThrowawayTls();

} // namespace iotc::sim
