#pragma once

// An HTTP/1.1 forward proxy for tests that only tunnels (CONNECT), as QNetworkProxy::HttpProxy uses
// it for TCP and TLS sockets and QWebSocket. It can refuse a target port (403, like a corporate
// proxy that tunnels only 443), demand Basic credentials (407), and tunnels only to this machine
// (127.0.0.1, localhost, ::1); anything else is 502.

#include <QHostAddress>
#include <QList>
#include <QNetworkProxy>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>
#include <utility>

namespace iotc::test {

class ConnectProxy : public QObject {
public:
    ConnectProxy()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        m_server.listen(QHostAddress::LocalHost);
    }

    bool valid() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }

    // CONNECTs to this target port are answered 403 and the client connection closed.
    void refusePort(quint16 p) { m_refused.insert(p); }
    // CONNECTs without `Proxy-Authorization: Basic base64(user:password)` are answered 407.
    void requireAuth(const QByteArray& user, const QByteArray& password)
    {
        m_expectedAuth = "Basic " + (user + ':' + password).toBase64();
    }

    int tunnels() const { return m_tunnels; } // CONNECTs answered 200
    // The target port of every CONNECT request received, in order: refused, challenged (a 407 and
    // the retry with credentials count twice) and failed ones too.
    QList<quint16> requestedPorts() const { return m_requestedPorts; }
    int authChallenges() const { return m_authChallenges; } // 407s sent

    // Drops every connection (both sides of each tunnel), as a broken network would.
    void dropAll()
    {
        for (auto* s : findChildren<QTcpSocket*>())
            s->abort();
    }

private:
    static constexpr qsizetype kMaxHeader = 16 * 1024;

    struct Client {
        QByteArray buffer; // bytes not yet handled: a partial header, or early tunnel bytes
        QPointer<QTcpSocket> up;
        bool tunnelling = false;
    };

    void accept()
    {
        while (QTcpSocket* down = m_server.nextPendingConnection()) {
            down->setParent(this);
            auto client = std::make_shared<Client>();
            QObject::connect(down, &QTcpSocket::readyRead, this, [this, down, client] {
                client->buffer += down->readAll();
                if (client->tunnelling)
                    client->up->write(std::exchange(client->buffer, {}));
                else if (!client->up)
                    handleHeader(down, client);
            });
            QObject::connect(down, &QTcpSocket::disconnected, this, [client] {
                if (client->up)
                    client->up->disconnectFromHost();
            });
            QObject::connect(down, &QTcpSocket::disconnected, down, &QObject::deleteLater);
        }
    }

    static void reply(QTcpSocket* down, const QByteArray& status, const QByteArray& extraHeaders = {})
    {
        down->write("HTTP/1.1 " + status + "\r\n" + extraHeaders + "Content-Length: 0\r\n\r\n");
    }

    static void refuse(QTcpSocket* down, const QByteArray& status)
    {
        reply(down, status, "Connection: close\r\n");
        down->disconnectFromHost();
    }

    // Handles every complete request in the client's buffer (several after 407s on one connection).
    void handleHeader(QTcpSocket* down, const std::shared_ptr<Client>& client)
    {
        while (!client->up && down->state() == QAbstractSocket::ConnectedState) {
            const qsizetype end = client->buffer.indexOf("\r\n\r\n");
            if (end < 0 ? client->buffer.size() > kMaxHeader : end > kMaxHeader)
                return refuse(down, "400 Bad Request");
            if (end < 0)
                return; // wait for the rest of the header
            const QByteArray header = client->buffer.left(end);
            client->buffer.remove(0, end + 4);
            handleRequest(down, client, header);
        }
    }

    void handleRequest(QTcpSocket* down, const std::shared_ptr<Client>& client, const QByteArray& header)
    {
        const QList<QByteArray> lines = header.split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
            return refuse(down, "400 Bad Request");
        if (requestLine[0] != "CONNECT")
            return refuse(down, "405 Method Not Allowed");
        const QByteArray target = requestLine[1];
        const qsizetype colon = target.lastIndexOf(':');
        bool portOk = false;
        const quint16 targetPort = colon > 0 ? target.mid(colon + 1).toUShort(&portOk) : 0;
        if (!portOk || targetPort == 0)
            return refuse(down, "400 Bad Request");
        QByteArray host = target.left(colon);
        if (host.startsWith('[') && host.endsWith(']'))
            host = host.mid(1, host.size() - 2);
        m_requestedPorts.append(targetPort);

        if (!m_expectedAuth.isEmpty()) {
            QByteArray given;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype c = line.indexOf(':');
                if (c > 0 && line.left(c).trimmed().compare("Proxy-Authorization", Qt::CaseInsensitive) == 0)
                    given = line.mid(c + 1).trimmed();
            }
            if (given != m_expectedAuth) {
                ++m_authChallenges;
                // The connection stays open: Qt sends the CONNECT again on it with credentials.
                return reply(down, "407 Proxy Authentication Required",
                    "Proxy-Authenticate: Basic realm=\"test\"\r\nProxy-Connection: keep-alive\r\n");
            }
        }
        if (m_refused.contains(targetPort))
            return refuse(down, "403 Forbidden");

        QHostAddress address;
        if (host.compare("localhost", Qt::CaseInsensitive) == 0 || host == "127.0.0.1")
            address = QHostAddress(QHostAddress::LocalHost);
        else if (host == "::1")
            address = QHostAddress(QHostAddress::LocalHostIPv6);
        else
            return refuse(down, "502 Bad Gateway");
        tunnel(down, client, address, targetPort);
    }

    void tunnel(QTcpSocket* down, const std::shared_ptr<Client>& client, const QHostAddress& address, quint16 p)
    {
        auto* up = new QTcpSocket(this);
        up->setProxy(QNetworkProxy::NoProxy); // never a proxy of the environment
        client->up = up;
        QObject::connect(up, &QTcpSocket::connected, down, [this, down, up, client] {
            ++m_tunnels;
            down->write("HTTP/1.1 200 Connection established\r\n\r\n");
            client->tunnelling = true;
            if (!client->buffer.isEmpty()) // bytes sent right behind the CONNECT
                up->write(std::exchange(client->buffer, {}));
            QObject::connect(up, &QTcpSocket::readyRead, down, [down, up] { down->write(up->readAll()); });
            QObject::connect(up, &QTcpSocket::disconnected, down, &QTcpSocket::disconnectFromHost);
            if (up->bytesAvailable() > 0)
                down->write(up->readAll());
        });
        QObject::connect(up, &QTcpSocket::errorOccurred, down, [down, client] {
            if (!client->tunnelling)
                refuse(down, "502 Bad Gateway");
        });
        QObject::connect(up, &QTcpSocket::disconnected, up, &QObject::deleteLater);
        QObject::connect(up, &QTcpSocket::errorOccurred, up, [up] {
            if (up->state() == QAbstractSocket::UnconnectedState)
                up->deleteLater();
        });
        up->connectToHost(address, p);
    }

    QTcpServer m_server;
    QSet<quint16> m_refused;
    QByteArray m_expectedAuth;
    QList<quint16> m_requestedPorts;
    int m_tunnels = 0;
    int m_authChallenges = 0;
};

} // namespace iotc::test
