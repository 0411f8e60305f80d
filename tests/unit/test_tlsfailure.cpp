// The words for TLS failures, from the errors QSslSocket reports and the chain the peer sent: an
// untrusted root names where the chain ends and what to do, a wrong host names the certificate's
// names, an expired one its date; the certificates' own text cannot smuggle control characters.
#include "net/tlsfailure.h"

#include <QFile>
#include <gtest/gtest.h>

using namespace iotc;

namespace {

QSslCertificate certificate(const char* name)
{
    QFile f(QStringLiteral(IOTC_TEST_DATA_DIR "/tls/") + QLatin1String(name) + QStringLiteral(".pem"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return QSslCertificate(f.readAll(), QSsl::Pem);
}

std::string words(const QString& host, const QList<QSslError>& errors, const QList<QSslCertificate>& chain = {})
{
    return describeTlsFailure(host, errors, chain).toStdString();
}

bool has(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

const QString Hub = QStringLiteral("ns.servicebus.windows.net");

} // namespace

TEST(TlsFailure, AnUntrustedRootNamesWhereTheChainEndsAndWhatToDo)
{
    const auto leaf = certificate("localhost");
    const auto ca = certificate("ca");
    ASSERT_FALSE(leaf.isNull());
    ASSERT_FALSE(ca.isNull());
    // Only the leaf sent: its issuer is the authority nobody here knows.
    const auto onlyLeaf = words(Hub, { QSslError(QSslError::UnableToGetLocalIssuerCertificate, leaf) }, { leaf });
    EXPECT_TRUE(has(onlyLeaf,
        "the TLS certificate of ns.servicebus.windows.net is not trusted: the chain ends at 'IoTC Test Inspection "
        "CA', which this system does not trust; a proxy may be inspecting TLS: add its CA with --ca-file or ask IT "
        "to exempt *.servicebus.windows.net"))
        << onlyLeaf;
    // The whole chain sent, root included.
    const auto withRoot = words(Hub,
        { QSslError(QSslError::SelfSignedCertificateInChain, ca), QSslError(QSslError::CertificateUntrusted, leaf) },
        { leaf, ca });
    EXPECT_TRUE(has(withRoot, "the chain ends at 'IoTC Test Inspection CA'")) << withRoot;
    // A self-signed server certificate is its own end of the chain; any other host is exempted by name.
    const auto self = words(QStringLiteral("hub.example"), { QSslError(QSslError::SelfSignedCertificate, leaf) });
    EXPECT_TRUE(has(self, "the chain ends at 'localhost'")) << self;
    EXPECT_TRUE(has(self, "exempt hub.example")) << self;
    EXPECT_FALSE(has(onlyLeaf + withRoot + self, "ignore"));
}

TEST(TlsFailure, AWrongHostNamesTheCertificatesNames)
{
    const auto other = certificate("wronghost");
    const auto w = words(QStringLiteral("localhost"), { QSslError(QSslError::HostNameMismatch, other) }, { other });
    EXPECT_TRUE(has(w, "the TLS certificate presented for localhost is for 'wrong.example', not for localhost")) << w;
    EXPECT_TRUE(has(w, "check the endpoint's host name")) << w;
}

TEST(TlsFailure, AnExpiredCertificateGivesItsDate)
{
    const auto old = certificate("expired");
    const auto w = words(QStringLiteral("localhost"), { QSslError(QSslError::CertificateExpired, old) }, { old });
    EXPECT_TRUE(has(w, "the TLS certificate of localhost ('localhost') expired on 2021-01-01 (UTC)")) << w;
    EXPECT_TRUE(has(w, "check this computer's date and time")) << w;
}

TEST(TlsFailure, TheUntrustedRootLeadsAndTheRestIsNamed)
{
    // An inspecting proxy with an unknown CA and an old certificate: the root is what to fix first.
    const auto old = certificate("expired");
    const auto w = words(Hub,
        { QSslError(QSslError::CertificateExpired, old), QSslError(QSslError::UnableToGetLocalIssuerCertificate, old) },
        { old });
    EXPECT_EQ(w.rfind("the TLS certificate of ns.servicebus.windows.net is not trusted", 0), 0u) << w;
    EXPECT_TRUE(has(w, "(also: ")) << w;
    EXPECT_TRUE(has(w, QSslError(QSslError::CertificateExpired).errorString().toStdString())) << w;
}

TEST(TlsFailure, AHandshakeWithoutCertificateErrorsSaysWhatMayBeWrong)
{
    const auto w
        = describeTlsHandshakeFailure(QStringLiteral("localhost"), 5671, QStringLiteral("wrong\x1b[31m version"))
              .toStdString();
    EXPECT_TRUE(has(w, "the TLS handshake with localhost:5671 failed (wrong [31m version)")) << w;
    EXPECT_TRUE(has(w, "does not speak TLS 1.2 or later")) << w;
    EXPECT_FALSE(has(w, "\x1b")) << "no escape sequence reaches a terminal";
    EXPECT_TRUE(has(describeTlsFailure(QStringLiteral("h"), {}, {}).toStdString(), "the TLS handshake with h failed"));
}
