#pragma once

// A TLS front for a plain AMQP endpoint in tests: a QSslServer presenting a certificate from
// tests/data/tls, whose connections are piped to a plain TCP port (the simulator's event hub).
// (Unlike iotc-diag sim --tls, it can present a wrong-host or expired certificate.)

#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>

#include <memory>

namespace iotc::test {

inline QByteArray readTlsFile(const QString& name)
{
    QFile f(QStringLiteral(IOTC_TEST_DATA_DIR "/tls/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QSslCertificate testCa()
{
    return QSslCertificate(readTlsFile(QStringLiteral("ca.pem")), QSsl::Pem);
}

class TlsRelay : public QObject {
public:
    // `name` is one of tests/data/tls's certificates (localhost, wronghost, expired); the chain
    // sent is it and the test CA, as an inspecting proxy sends it.
    TlsRelay(const QString& name, quint16 upstreamPort)
        : m_upstreamPort(upstreamPort)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(
            { QSslCertificate(readTlsFile(name + QStringLiteral(".pem")), QSsl::Pem), testCa() });
        tls.setPrivateKey(QSslKey(readTlsFile(name + QStringLiteral(".key")), QSsl::Ec, QSsl::Pem));
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
        m_server.setSslConfiguration(tls);
        QObject::connect(&m_server, &QSslServer::pendingConnectionAvailable, this, [this] { accept(); });
        m_server.listen(QHostAddress::LocalHost);
    }

    bool valid() const { return m_server.isListening() && !m_server.sslConfiguration().privateKey().isNull(); }
    quint16 port() const { return m_server.serverPort(); }
    int relayed() const { return m_relayed; } // TLS connections piped to the upstream port
    // Drops every piped connection (both sides), as a broken network would.
    void dropAll()
    {
        for (auto* s : findChildren<QTcpSocket*>())
            s->abort();
    }

private:
    void accept()
    {
        while (QTcpSocket* down = m_server.nextPendingConnection()) {
            down->setParent(this);
            auto* up = new QTcpSocket(this);
            ++m_relayed;
            QObject::connect(down, &QTcpSocket::readyRead, up, [down, up] { up->write(down->readAll()); });
            QObject::connect(up, &QTcpSocket::readyRead, down, [down, up] { down->write(up->readAll()); });
            QObject::connect(down, &QTcpSocket::disconnected, up, &QTcpSocket::disconnectFromHost);
            QObject::connect(up, &QTcpSocket::disconnected, down, &QTcpSocket::disconnectFromHost);
            QObject::connect(down, &QTcpSocket::disconnected, down, &QObject::deleteLater);
            QObject::connect(up, &QTcpSocket::disconnected, up, &QObject::deleteLater);
            up->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            if (down->bytesAvailable() > 0)
                up->write(down->readAll());
        }
    }

    QSslServer m_server;
    quint16 m_upstreamPort;
    int m_relayed = 0;
};

} // namespace iotc::test
