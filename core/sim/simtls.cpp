#include "simtls.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace iotc::sim {

namespace {

template <class T, auto Free> struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

constexpr long HourSeconds = 3600;
constexpr long ValidSeconds = 30L * 24 * HourSeconds;

[[noreturn]] void fail(const std::string& what)
{
    std::string why = "cannot make the simulator's TLS certificate: " + what;
    if (const unsigned long code = ERR_get_error()) {
        char text[256] = {};
        ERR_error_string_n(code, text, sizeof text);
        why += std::string(" (OpenSSL: ") + text + ')';
    }
    ERR_clear_error();
    throw std::runtime_error(why);
}

Key newP256Key()
{
    Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        fail("no EC P-256 key");
    return key;
}

// One extension in openssl.cnf's words ("critical,CA:TRUE"); issuer is the certificate itself for
// the CA (its authority key identifier is its own).
void addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        fail(std::string("the extension ") + OBJ_nid2sn(nid) + " = " + value + " was refused");
}

struct Spec {
    const char* commonName;
    std::vector<std::pair<int, const char*>> extensions;
};

// A version 3 certificate for subjectKey with a random serial, valid from an hour ago (clocks
// disagree) for 30 days, signed with SHA-256 by issuerKey (issuer null: self-signed).
Cert newCertificate(EVP_PKEY* subjectKey, const Spec& spec, X509* issuer, EVP_PKEY* issuerKey)
{
    Cert cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        fail("no certificate");
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        fail("no random serial number");
    serial[0] &= 0x7f; // positive
    Bignum bn(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
        fail("no serial number");
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -HourSeconds)
        || !X509_gmtime_adj(X509_getm_notAfter(cert.get()), ValidSeconds))
        fail("no validity period");
    X509_NAME* subject = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(
            subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.commonName), -1, -1, 0)
            != 1
        || X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject) != 1
        || X509_set_pubkey(cert.get(), subjectKey) != 1)
        fail("no subject");
    for (const auto& [nid, value] : spec.extensions)
        addExtension(cert.get(), issuer ? issuer : cert.get(), nid, value);
    if (X509_sign(cert.get(), issuerKey, EVP_sha256()) <= 0)
        fail(std::string("cannot sign the certificate for ") + spec.commonName);
    return cert;
}

QByteArray pemOf(const std::function<int(BIO*)>& write)
{
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        fail("cannot write PEM");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

} // namespace

SimTlsMaterial makeThrowawayTls()
{
    ERR_clear_error();
    const Key caKey = newP256Key();
    const Cert ca = newCertificate(caKey.get(),
        { "iotc-diag sim CA (throwaway)",
            {
                { NID_basic_constraints, "critical,CA:TRUE" },
                { NID_key_usage, "critical,keyCertSign,cRLSign" },
                { NID_subject_key_identifier, "hash" },
            } },
        nullptr, caKey.get());
    const Key leafKey = newP256Key();
    const Cert leaf = newCertificate(leafKey.get(),
        { "localhost",
            {
                { NID_basic_constraints, "critical,CA:FALSE" },
                { NID_key_usage, "critical,digitalSignature" },
                { NID_ext_key_usage, "serverAuth" },
                { NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1" },
                { NID_subject_key_identifier, "hash" },
                { NID_authority_key_identifier, "keyid:always" },
            } },
        ca.get(), caKey.get());

    SimTlsMaterial out;
    out.caPem = pemOf([&](BIO* b) { return PEM_write_bio_X509(b, ca.get()); });
    out.ca = QSslCertificate(out.caPem, QSsl::Pem);
    out.leaf = QSslCertificate(pemOf([&](BIO* b) { return PEM_write_bio_X509(b, leaf.get()); }), QSsl::Pem);
    QByteArray keyPem = pemOf(
        [&](BIO* b) { return PEM_write_bio_PrivateKey(b, leafKey.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    out.key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    keyPem.fill('\0');
    if (out.ca.isNull() || out.leaf.isNull() || out.key.isNull())
        throw std::runtime_error("cannot make the simulator's TLS certificate: Qt's TLS backend does not read "
                                 "the certificates OpenSSL made (is Qt built with OpenSSL?)");
    return out;
}

} // namespace iotc::sim
