// A misbehaving HTTP/1.1 server on 127.0.0.1 for the hostile suites: each request gets a scripted
// raw answer (a redirect, a byte every so often forever, an endless body, silence...). It runs on
// its own thread, so the test thread may block in QProcess::waitForFinished or on a future.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMetaObject>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace iotc::hostile {

struct ScriptedReply {
    QByteArray raw; // written first: status line, headers, perhaps a body
    int delayMs = 0; // before raw is written
    int dripEveryMs = 0; // then one more byte every dripEveryMs, forever
    bool endless = false; // then filler as fast as the client reads it, forever
    bool silent = false; // nothing at all, and the connection stays open
    // Otherwise the connection is closed once raw is written.

    // A complete answer that closes the connection.
    static ScriptedReply answer(
        int status, const QByteArray& body = {}, const QByteArray& extraHeaders = {}, const char* reason = "X")
    {
        ScriptedReply r;
        r.raw = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
            + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + body;
        return r;
    }
    static ScriptedReply redirect(const QByteArray& location, int status = 302)
    {
        return answer(status, {}, "Location: " + location + "\r\n", "Found");
    }
};

class HostileHttpServer {
public:
    // Runs on the server's thread with the request's head (request line and headers).
    using Handler = std::function<ScriptedReply(const QByteArray& head)>;

    explicit HostileHttpServer(Handler handler)
        : m_handler(std::move(handler))
        , m_context(new QObject)
    {
        m_thread.setObjectName(QStringLiteral("hostile-http"));
        m_context->moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_context,
            [this] {
                auto* server = new QTcpServer(m_context);
                QObject::connect(server, &QTcpServer::newConnection, m_context, [this, server] {
                    while (QTcpSocket* socket = server->nextPendingConnection())
                        serve(socket);
                });
                m_listening = server->listen(QHostAddress::LocalHost, 0);
                m_port = server->serverPort();
            },
            Qt::BlockingQueuedConnection);
    }

    ~HostileHttpServer()
    {
        // The server and its sockets go now; the context with the thread (never inside its own call).
        QMetaObject::invokeMethod(
            m_context,
            [this] {
                qDeleteAll(m_context->children());
                m_context->deleteLater();
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    HostileHttpServer(const HostileHttpServer&) = delete;
    HostileHttpServer& operator=(const HostileHttpServer&) = delete;

    bool listening() const { return m_listening; }
    quint16 port() const { return m_port; }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

    int connections() const
    {
        std::lock_guard lock(m_mutex);
        return m_connections;
    }
    QList<QByteArray> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    // Whether any request so far carried the header (case-insensitive name).
    bool sawHeader(const QByteArray& name) const
    {
        const QByteArray needle = "\r\n" + name.toLower() + ':';
        for (const auto& head : requests()) {
            if (head.toLower().contains(needle))
                return true;
        }
        return false;
    }
    // A bounded wait (no sleeping) for the server to have seen n requests.
    bool waitForRequests(int n, int ms) const
    {
        std::unique_lock lock(m_mutex);
        return m_arrived.wait_for(lock, std::chrono::milliseconds(ms), [&] { return m_requests.size() >= n; });
    }

private:
    void serve(QTcpSocket* socket)
    {
        {
            std::lock_guard lock(m_mutex);
            ++m_connections;
        }
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto buffer = std::make_shared<QByteArray>();
        auto answered = std::make_shared<bool>(false);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer, answered] {
            *buffer += socket->readAll();
            if (*answered)
                return;
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer->left(end + 4);
            // The whole body is read before answering: closing on unread data would reset the
            // connection and the client could lose the answer.
            qsizetype length = 0;
            for (const QByteArray& line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer->size() < end + 4 + length)
                return;
            *answered = true;
            {
                std::lock_guard lock(m_mutex);
                m_requests.append(head);
            }
            m_arrived.notify_all();
            const ScriptedReply reply = m_handler(head);
            if (reply.delayMs > 0)
                QTimer::singleShot(reply.delayMs, socket, [socket, reply] { play(socket, reply); });
            else
                play(socket, reply);
        });
    }

    static void play(QTcpSocket* socket, const ScriptedReply& reply)
    {
        if (reply.silent)
            return;
        socket->write(reply.raw);
        if (reply.dripEveryMs > 0) {
            auto* drip = new QTimer(socket);
            QObject::connect(drip, &QTimer::timeout, socket, [socket] { socket->write(" "); });
            drip->start(reply.dripEveryMs);
        } else if (reply.endless) {
            const QByteArray chunk(256 * 1024, 'x');
            auto refill = [socket, chunk] {
                while (socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() < 1024 * 1024)
                    socket->write(chunk);
            };
            QObject::connect(socket, &QTcpSocket::bytesWritten, socket, refill);
            refill();
        } else {
            socket->disconnectFromHost();
        }
    }

    Handler m_handler;
    QThread m_thread;
    QObject* m_context; // lives in m_thread: parents the server and, through it, every socket
    bool m_listening = false;
    quint16 m_port = 0;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_arrived;
    int m_connections = 0;
    QList<QByteArray> m_requests;
};

} // namespace iotc::hostile
