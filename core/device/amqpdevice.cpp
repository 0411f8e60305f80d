#include "amqpdevice.h"

#include "eventhub/amqpiothread.h"
#include "eventhub/amqpsocketdriver.h"
#include "eventhub/amqpwire.h"
#include "eventhub/requestreply.h"
#include "util/sas.h"

#include <QElapsedTimer>
#include <QSslCertificate>
#include <QTimer>

#include <proton/annotation_key.hpp>
#include <proton/binary.hpp>
#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/sender.hpp>
#include <proton/sender_options.hpp>
#include <proton/target_options.hpp>
#include <proton/timestamp.hpp>
#include <proton/tracker.hpp>
#include <proton/transport.hpp>

#include <chrono>
#include <future>
#include <map>

namespace iotc {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

// Lives on the AMQP thread from start() to stop(); every handler call comes from there.
class AmqpDeviceSender : public proton::messaging_handler {
public:
    explicit AmqpDeviceSender(DeviceMessage m)
        : m_message(std::move(m))
    {
    }

    std::future<DeviceSendResult> result() { return m_done.get_future(); }

    void start()
    {
        m_driver = new AmqpSocketDriver;
        m_timer = new QTimer(m_driver);
        m_timer->setSingleShot(true);
        QObject::connect(m_timer, &QTimer::timeout, m_driver, [this] {
            if (m_finished) // closing took too long: the result stands
                return complete();
            finish(m_result.connected
                    ? QStringLiteral("the hub did not acknowledge the message within %1 s").arg(seconds())
                    : QStringLiteral("no answer from %1:%2 over %3 within %4 s")
                          .arg(m_message.hubHost)
                          .arg(m_message.port)
                          .arg(deviceProtocolText(m_message.protocol))
                          .arg(seconds()),
                {});
        });
        m_timer->start(m_message.timeoutMs);
        AmqpEndpoint e;
        e.host = m_message.hubHost;
        e.port = m_message.port;
        e.tls = true;
        e.webSocket = m_message.protocol == DeviceProtocol::AmqpWebSocket;
        e.webSocketPath = QLatin1String(IotHubWebSocketPath);
        if (e.webSocket)
            e.proxy = m_message.proxy;
        if (!m_message.caFile.isEmpty())
            e.extraCaCertificates = QSslCertificate::fromPath(m_message.caFile);
        proton::connection_options o;
        o.handler(*this);
        o.sasl_allowed_mechs("ANONYMOUS");
        o.virtual_host(m_message.hubHost.toStdString());
        o.idle_timeout(proton::duration(60000));
        o.container_id(m_message.deviceId.toStdString());
        m_clock.start();
        try {
            m_connection = m_driver->open(e, o);
        } catch (const std::exception& error) {
            finish(QStringLiteral("the AMQP connection could not start: %1").arg(QString::fromUtf8(error.what())), {});
        }
    }

    void stop()
    {
        delete m_driver; // drops what is still open without calling a handler
        m_driver = nullptr;
        m_timer = nullptr;
        // (the handles let go here, on the thread that used them)
        m_telemetry = proton::sender();
        m_cbsSender = proton::sender();
        m_cbsReceiver = proton::receiver();
        m_connection = proton::connection();
    }

    void on_connection_open(proton::connection& c) override
    {
        openRequestReply(c, "$cbs", CbsReplyTo, m_cbsSender, m_cbsReceiver);
    }

    void on_sendable(proton::sender& s) override
    {
        if (s == m_cbsSender && !m_tokenSent) {
            m_tokenSent = true;
            const QString audience = m_message.hubHost + QStringLiteral("/devices/") + m_message.deviceId;
            const qint64 expiry = secondsFromNow(std::chrono::hours(1));
            proton::message m;
            m.id(proton::message_id(uint64_t(1)));
            m.reply_to(CbsReplyTo);
            m.body(makeSasToken(audience, m_message.deviceKeyBase64, SasKeyKind::Base64Decoded, expiry).toStdString());
            m.properties().put("operation", std::string("put-token"));
            m.properties().put("type", std::string("servicebus.windows.net:sastoken"));
            m.properties().put("name", audience.toStdString());
            m.properties().put("expiration", proton::timestamp(expiry * 1000));
            s.send(m);
        } else if (s == m_telemetry && !m_messageSent) {
            m_messageSent = true;
            m_clock.restart();
            s.send(telemetry());
        }
    }

    void on_message(proton::delivery& d, proton::message& m) override
    {
        if (d.receiver() != m_cbsReceiver || m_result.connected || m_finished)
            return;
        QString description;
        const int status = replyStatus(m, &description);
        if (status < 200 || status >= 300) {
            m_result.refusalCode = QStringLiteral("cbs-%1").arg(status);
            finish(QStringLiteral("the hub refused the device's token (CBS status %1: %2): the SAS token is not "
                                  "signed with the device's key, has expired (check the clock), or the device is "
                                  "disabled or blocked")
                       .arg(status)
                       .arg(description.left(300)),
                m_result.refusalCode);
            return;
        }
        m_result.connected = true;
        m_result.connectMs = m_clock.elapsed();
        proton::sender_options so;
        so.delivery_mode(proton::delivery_mode::AT_LEAST_ONCE);
        std::map<proton::symbol, proton::value> properties;
        if (!m_message.modelId.isEmpty())
            properties[proton::symbol("com.microsoft:model-id")] = m_message.modelId.toStdString();
        so.properties(properties);
        proton::target_options to;
        to.address(eventsAddress());
        so.target(to);
        m_telemetry = d.connection().open_sender(eventsAddress(), so);
    }

    void on_tracker_accept(proton::tracker& t) override
    {
        if (t.sender() != m_telemetry || m_finished)
            return;
        m_result.sent = true;
        m_result.sendMs = m_clock.elapsed();
        finish({}, {});
    }
    void on_tracker_reject(proton::tracker& t) override { refused(t, QStringLiteral("rejected")); }
    void on_tracker_release(proton::tracker& t) override { refused(t, QStringLiteral("released")); }

    void on_sender_close(proton::sender& s) override { linkClosed(s); }
    void on_sender_error(proton::sender& s) override { linkClosed(s); }
    void on_receiver_error(proton::receiver&) override { }
    void on_session_error(proton::session&) override { }
    void on_connection_error(proton::connection& c) override { lost(c.error()); }
    void on_transport_error(proton::transport& t) override { lost(t.error()); }
    void on_transport_close(proton::transport&) override
    {
        if (!m_finished)
            finish(QStringLiteral("the hub closed the connection"), {});
        complete();
    }
    void on_error(const proton::error_condition&) override { }

private:
    std::string eventsAddress() const { return "/devices/" + m_message.deviceId.toStdString() + "/messages/events"; }
    double seconds() const { return m_message.timeoutMs / 1000.0; }

    proton::message telemetry() const
    {
        proton::message m;
        m.id(proton::message_id(
            (m_message.messageId.isEmpty() ? QStringLiteral("iotc-probe") : m_message.messageId).toStdString()));
        if (!m_message.contentType.isEmpty())
            m.content_type(m_message.contentType.toStdString());
        if (!m_message.contentEncoding.isEmpty())
            m.content_encoding(m_message.contentEncoding.toStdString());
        if (!m_message.component.isEmpty())
            m.message_annotations().put(proton::symbol("dt-subject"), m_message.component.toStdString());
        for (const auto& [key, value] : m_message.properties)
            m.properties().put(key.toStdString(), value.toStdString());
        m.inferred(true); // binary body: a data section, as the device SDKs send it
        m.body(proton::binary(m_message.body.constData(), m_message.body.constData() + m_message.body.size()));
        return m;
    }

    void refused(proton::tracker& t, const QString& how)
    {
        if (t.sender() != m_telemetry || m_finished)
            return;
        m_result.refusalCode = QStringLiteral("amqp-") + how;
        finish(QStringLiteral("the hub %1 the message").arg(how), m_result.refusalCode);
    }

    void linkClosed(proton::sender& s)
    {
        if (m_finished || (s != m_telemetry && s != m_cbsSender))
            return;
        const proton::error_condition e = s.error();
        m_result.refusalCode = e.empty() ? QString() : qs(e.name());
        finish(QStringLiteral("the hub closed the device's link%1")
                   .arg(e.empty() ? QString() : QStringLiteral(" (%1: %2)").arg(qs(e.name()), qs(e.description()))),
            m_result.refusalCode);
    }

    void lost(const proton::error_condition& e)
    {
        if (m_finished)
            return;
        finish(QStringLiteral("could not %1 %2:%3 over %4: %5")
                   .arg(m_result.connected ? QStringLiteral("stay connected to") : QStringLiteral("connect to"))
                   .arg(m_message.hubHost)
                   .arg(m_message.port)
                   .arg(deviceProtocolText(m_message.protocol))
                   .arg(e.empty() ? QStringLiteral("the connection was lost") : qs(e.description()).left(400)),
            {});
    }

    // The outcome is known: close the connection cleanly (the hub lets the device's identity go),
    // then complete when the transport has closed or a moment later.
    void finish(const QString& error, const QString& code)
    {
        if (m_finished)
            return;
        m_finished = true;
        if (!m_result.sent) {
            m_result.error = error;
            if (!code.isEmpty())
                m_result.refusalCode = code;
        }
        if (m_connection && m_connection.active()) {
            m_connection.close();
            m_driver->flush();
            m_timer->start(2000);
            return;
        }
        complete();
    }

    void complete()
    {
        if (m_completed)
            return;
        m_completed = true;
        if (m_timer)
            m_timer->stop();
        m_done.set_value(m_result);
    }

    DeviceMessage m_message;
    std::promise<DeviceSendResult> m_done;
    DeviceSendResult m_result;
    AmqpSocketDriver* m_driver = nullptr;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;
    proton::connection m_connection;
    proton::sender m_cbsSender;
    proton::receiver m_cbsReceiver;
    proton::sender m_telemetry;
    bool m_tokenSent = false;
    bool m_messageSent = false;
    bool m_finished = false;
    bool m_completed = false;
};

} // namespace

DeviceSendResult sendAsDeviceOverAmqp(const DeviceMessage& m)
{
    auto io = AmqpIoThread::acquire();
    auto sender = std::make_shared<AmqpDeviceSender>(m);
    auto result = sender->result();
    io->post([sender] { sender->start(); });
    result.wait(); // the sender's own timer bounds it
    io->run([sender] { sender->stop(); });
    return result.get();
}

} // namespace iotc
