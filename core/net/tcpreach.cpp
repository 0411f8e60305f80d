#include "tcpreach.h"

#include <QNetworkProxy>
#include <QTcpSocket>

namespace iotc {

TcpReach reachTcp(const QString& host, quint16 port, int timeoutMs)
{
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy); // the device's own route: 8883 and 5671 go direct
    socket.connectToHost(host, port);
    const QString authority = host + QLatin1Char(':') + QString::number(port);
    TcpReach r;
    if (socket.waitForConnected(timeoutMs)) {
        r.outcome = TcpReach::Outcome::Connected;
        socket.abort();
        return r;
    }
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError:
        r.outcome = TcpReach::Outcome::Refused;
        r.text
            = authority + QStringLiteral(" refused the connection (nothing listens there, or a firewall rejects it)");
        break;
    case QAbstractSocket::SocketTimeoutError:
        r.outcome = TcpReach::Outcome::NoAnswer;
        r.text = QStringLiteral("%1 did not answer within %2 s (a firewall that drops the packets)")
                     .arg(authority)
                     .arg(timeoutMs / 1000.0);
        break;
    case QAbstractSocket::HostNotFoundError:
        r.outcome = TcpReach::Outcome::HostNotFound;
        r.text = QStringLiteral("%1 does not resolve (%2)").arg(host, socket.errorString());
        break;
    default:
        r.text = QStringLiteral("%1 could not be reached: %2").arg(authority, socket.errorString());
        break;
    }
    socket.abort();
    return r;
}

} // namespace iotc
