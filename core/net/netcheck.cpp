#include "netcheck.h"

#include "tlsfailure.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostInfo>
#include <QLocale>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>

namespace iotc {

const char* protocolName(NetProtocol p)
{
    switch (p) {
    case NetProtocol::Mqtt:
        return "mqtt";
    case NetProtocol::Amqp:
        return "amqp";
    case NetProtocol::Https:
        return "https";
    }
    return "https";
}

std::vector<NetTarget> deviceTargets(
    const QString& dpsHost, const QStringList& hubHosts, const QStringList& eventHubHosts, const NetPorts& ports)
{
    std::vector<NetTarget> targets;
    auto deviceSide = [&](const QString& role, const QString& host) {
        targets.push_back({ role, host, ports.mqtt, NetProtocol::Mqtt });
        targets.push_back({ role, host, ports.amqp, NetProtocol::Amqp });
        targets.push_back({ role, host, ports.websocket, NetProtocol::Https });
    };
    if (!dpsHost.isEmpty())
        deviceSide(QStringLiteral("dps"), dpsHost);
    for (const auto& hub : hubHosts)
        deviceSide(QStringLiteral("hub"), hub);
    for (const auto& eventHub : eventHubHosts) {
        targets.push_back({ QStringLiteral("eventhub"), eventHub, ports.amqp, NetProtocol::Amqp });
        targets.push_back({ QStringLiteral("eventhub"), eventHub, ports.websocket, NetProtocol::Https });
    }
    return targets;
}

namespace {

// The name a firewall rule opens: Azure's wildcard for the service, else the host itself.
QString outboundName(const QString& host)
{
    for (const char* domain : { ".azure-devices.net", ".servicebus.windows.net" }) {
        if (host.endsWith(QLatin1String(domain), Qt::CaseInsensitive))
            return QLatin1Char('*') + QLatin1String(domain);
    }
    return host;
}

QString portBlockedMitigation(const NetTarget& t)
{
    const QString to = outboundName(t.host);
    const QString port = QString::number(t.port);
    if (t.role == QLatin1String("eventhub")) {
        return t.protocol == NetProtocol::Https
            ? QStringLiteral("The event stream cannot be read from this network over WebSockets (%1): open %1 outbound "
                             "to %2, or name a proxy that tunnels it (--proxy).")
                  .arg(port, to)
            : QStringLiteral("The event stream's AMQP (%1) is blocked here: the workbench and iotc-diag fall back to "
                             "AMQP over WebSockets (443) on their own; to use %1, open it outbound to %2.")
                  .arg(port, to);
    }
    const QString who = t.role == QLatin1String("dps") ? QStringLiteral("provision through DPS")
                                                       : QStringLiteral("connect to their IoT hub");
    switch (t.protocol) {
    case NetProtocol::Mqtt:
        return QStringLiteral("MQTT (%1) is blocked on this network: devices using MQTT cannot %2 here; use MQTT "
                              "over WebSockets (443) or open %1 outbound to %3.")
            .arg(port, who, to);
    case NetProtocol::Amqp:
        return QStringLiteral("AMQP (%1) is blocked on this network: devices using AMQP cannot %2 here; use AMQP "
                              "over WebSockets (443) or open %1 outbound to %3.")
            .arg(port, who, to);
    case NetProtocol::Https:
        break;
    }
    return QStringLiteral("HTTPS and WebSockets (%1) are blocked on this network: devices using HTTPS or MQTT/AMQP "
                          "over WebSockets cannot %2 here; open %1 outbound to %3.")
        .arg(port, who, to);
}

std::optional<QDateTime> parseHttpDate(const QByteArray& headers)
{
    for (const QByteArray& line : headers.split('\n')) {
        const QByteArray l = line.trimmed();
        if (!l.toLower().startsWith("date:"))
            continue;
        // IMF-fixdate (RFC 9110): "Sun, 06 Nov 1994 08:49:37 GMT"
        const QString text = QString::fromLatin1(l.mid(5).trimmed().left(64));
        QDateTime t = QLocale::c().toDateTime(text, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        if (!t.isValid())
            return std::nullopt;
        t.setTimeSpec(Qt::UTC);
        return t;
    }
    return std::nullopt;
}

QString sslProtocolText(QSsl::SslProtocol p)
{
    switch (p) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    default:
        return QStringLiteral("TLS");
    }
}

QString commonName(const QStringList& values)
{
    for (const auto& v : values) {
        if (!v.trimmed().isEmpty())
            return v.trimmed().left(200);
    }
    return {};
}

constexpr int MaxHeaderBytes = 16 * 1024;

// One target's steps, in order, on the calling thread's event loop.
class TargetProbe : public QObject {
public:
    TargetProbe(NetTarget target, const NetCheckOptions& options, std::function<void()> done)
        : m_options(options)
        , m_done(std::move(done))
    {
        m_result.target = std::move(target);
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { timedOut(); });
    }

    const NetTargetResult& result() const { return m_result; }
    QDateTime serverDateAt() const { return m_serverDateAt; } // when the Date header arrived, local clock

    void start()
    {
        const auto& t = m_result.target;
        m_proxy = proxyFor(m_options.network, t.host, t.port);
        m_result.proxy = proxyDisplay(m_proxy);
        m_step = Step::Dns;
        m_clock.start();
        m_timer.start(m_options.timeoutMs);
        QPointer<TargetProbe> self(this);
        m_lookup = QHostInfo::lookupHost(t.host, this, [self](const QHostInfo& info) {
            if (self)
                self->resolved(info);
        });
    }

private:
    enum class Step { Dns, Tcp, Tls, Http, Done };

    void resolved(const QHostInfo& info)
    {
        if (m_step != Step::Dns)
            return;
        m_result.dnsMs = m_clock.elapsed();
        for (const auto& a : info.addresses())
            m_result.addresses << a.toString();
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            if (m_result.proxy.isEmpty())
                return fail(QStringLiteral("netcheck-dns"),
                    QStringLiteral("%1 does not resolve (%2).").arg(m_result.target.host, info.errorString()),
                    QStringLiteral("Check this network's DNS: it must resolve %1.")
                        .arg(outboundName(m_result.target.host)));
            // Through a proxy the proxy resolves the name: going on is what a device would do.
        }
        connectTcp();
    }

    void connectTcp()
    {
        m_step = Step::Tcp;
        m_socket = new QSslSocket(this);
        m_socket->setProxy(m_proxy);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!m_options.network.extraCaCertificates.isEmpty())
            tls.setCaCertificates(trustAnchors(m_options.network.extraCaCertificates));
        m_socket->setSslConfiguration(tls);
        m_socket->setPeerVerifyName(m_result.target.host);
        QObject::connect(m_socket, &QSslSocket::connected, this, [this] { tcpConnected(); });
        QObject::connect(m_socket, &QSslSocket::encrypted, this, [this] { encrypted(); });
        QObject::connect(m_socket, &QSslSocket::sslErrors, this,
            [this](const QList<QSslError>& errors) { m_sslErrors = errors; }); // never ignored
        QObject::connect(m_socket, &QSslSocket::readyRead, this, [this] { readable(); });
        QObject::connect(
            m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) { socketError(e); });
        m_clock.restart();
        m_timer.start(m_options.timeoutMs);
        m_socket->connectToHost(m_result.target.host, static_cast<quint16>(m_result.target.port));
    }

    void tcpConnected()
    {
        if (m_step != Step::Tcp)
            return;
        m_result.tcpMs = m_clock.elapsed();
        m_step = Step::Tls;
        m_result.tls.attempted = true;
        m_timer.start(m_options.timeoutMs);
        m_socket->startClientEncryption();
    }

    void encrypted()
    {
        if (m_step != Step::Tls)
            return;
        auto& tls = m_result.tls;
        tls.ok = true;
        tls.trusted = true;
        tls.protocol = sslProtocolText(m_socket->sessionProtocol());
        const auto chain = m_socket->peerCertificateChain();
        if (!chain.isEmpty()) {
            tls.issuer = commonName(chain.front().issuerInfo(QSslCertificate::CommonName));
            tls.root = commonName(chain.back().issuerInfo(QSslCertificate::CommonName));
        }
        if (m_result.target.protocol != NetProtocol::Https)
            return pass();
        // 443: one HEAD request for the server's clock (the Date header).
        m_step = Step::Http;
        m_timer.start(m_options.timeoutMs);
        m_socket->write("HEAD / HTTP/1.1\r\nHost: " + m_result.target.host.toUtf8()
            + "\r\nUser-Agent: iotc-diag-netcheck\r\nConnection: close\r\n\r\n");
    }

    void readable()
    {
        if (m_step != Step::Http) {
            m_socket->readAll();
            return;
        }
        m_headers += m_socket->read(MaxHeaderBytes - m_headers.size());
        if (m_headers.contains("\r\n\r\n") || m_headers.size() >= MaxHeaderBytes)
            headersDone();
    }

    void headersDone()
    {
        m_result.serverDate = parseHttpDate(m_headers.left(m_headers.indexOf("\r\n\r\n") + 1));
        m_serverDateAt = QDateTime::currentDateTimeUtc();
        pass();
    }

    void socketError(QAbstractSocket::SocketError e)
    {
        const auto& t = m_result.target;
        const QString authority = t.host + QLatin1Char(':') + QString::number(t.port);
        switch (m_step) {
        case Step::Dns:
        case Step::Done:
            return;
        case Step::Http:
            // The port answered TLS; a server that closes without an HTTP answer is still reachable.
            if (!m_headers.isEmpty())
                return headersDone();
            return pass();
        case Step::Tls:
            if (!m_sslErrors.isEmpty()) {
                const auto chain = m_socket->peerCertificateChain();
                if (!chain.isEmpty()) {
                    m_result.tls.issuer = commonName(chain.front().issuerInfo(QSslCertificate::CommonName));
                    m_result.tls.root = commonName(chain.back().issuerInfo(QSslCertificate::CommonName));
                }
                m_result.tls.error = describeTlsFailure(t.host, m_sslErrors, chain);
                const bool untrusted = std::any_of(m_sslErrors.begin(), m_sslErrors.end(), [](const QSslError& s) {
                    return s.error() == QSslError::UnableToGetLocalIssuerCertificate
                        || s.error() == QSslError::SelfSignedCertificateInChain
                        || s.error() == QSslError::SelfSignedCertificate
                        || s.error() == QSslError::UnableToGetIssuerCertificate
                        || s.error() == QSslError::CertificateUntrusted;
                });
                if (untrusted)
                    return fail(QStringLiteral("netcheck-tls-untrusted"), m_result.tls.error,
                        QStringLiteral("Devices reject this certificate too: exempt %1 from TLS inspection, or install "
                                       "the inspecting CA on the devices (and give it to iotc-diag with --ca-file).")
                            .arg(outboundName(t.host)));
                return fail(QStringLiteral("netcheck-tls-failed"), m_result.tls.error,
                    QStringLiteral("Devices cannot complete TLS with %1 from here.").arg(authority));
            }
            m_result.tls.error = describeTlsHandshakeFailure(t.host, t.port, m_socket->errorString());
            return fail(QStringLiteral("netcheck-tls-failed"), m_result.tls.error,
                QStringLiteral("Something on this network ends TLS to %1 (a firewall or proxy that inspects or "
                               "blocks it): devices will fail the same way.")
                    .arg(authority));
        case Step::Tcp:
            break;
        }
        if (e == QAbstractSocket::ProxyConnectionRefusedError || e == QAbstractSocket::ProxyNotFoundError
            || e == QAbstractSocket::ProxyConnectionClosedError || e == QAbstractSocket::ProxyConnectionTimeoutError
            || e == QAbstractSocket::ProxyProtocolError || e == QAbstractSocket::ProxyAuthenticationRequiredError
            || (e == QAbstractSocket::SocketAccessError && !m_result.proxy.isEmpty())) // (a 403 to CONNECT)
            return fail(QStringLiteral("netcheck-proxy"),
                QStringLiteral("The proxy %1 did not open a connection to %2: %3")
                    .arg(m_result.proxy, authority, m_socket->errorString()),
                QStringLiteral("Devices behind this proxy need it to tunnel %1 (HTTP CONNECT), or a direct route.")
                    .arg(authority));
        if (e == QAbstractSocket::HostNotFoundError)
            return fail(QStringLiteral("netcheck-dns"),
                QStringLiteral("%1 does not resolve (%2).").arg(t.host, m_socket->errorString()),
                QStringLiteral("Check this network's DNS: it must resolve %1.").arg(outboundName(t.host)));
        fail(QStringLiteral("netcheck-port-blocked"),
            e == QAbstractSocket::ConnectionRefusedError
                ? QStringLiteral("%1 refused the connection (a firewall rejects it, or nothing listens there).")
                      .arg(authority)
                : QStringLiteral("%1 could not be reached: %2").arg(authority, m_socket->errorString()),
            portBlockedMitigation(t));
    }

    void timedOut()
    {
        const auto& t = m_result.target;
        const QString authority = t.host + QLatin1Char(':') + QString::number(t.port);
        const QString seconds = QString::number(m_options.timeoutMs / 1000.0, 'g', 3);
        switch (m_step) {
        case Step::Dns:
            QHostInfo::abortHostLookup(m_lookup);
            return fail(QStringLiteral("netcheck-dns"),
                QStringLiteral("%1 did not resolve within %2 s.").arg(t.host, seconds),
                QStringLiteral("Check this network's DNS: it must resolve %1.").arg(outboundName(t.host)));
        case Step::Tcp:
            return fail(QStringLiteral("netcheck-port-blocked"),
                QStringLiteral("%1 did not answer within %2 s (a firewall that drops the packets).")
                    .arg(authority, seconds),
                portBlockedMitigation(t));
        case Step::Tls:
            m_result.tls.error
                = QStringLiteral("the TLS handshake with %1 did not finish within %2 s").arg(authority, seconds);
            return fail(QStringLiteral("netcheck-tls-failed"), m_result.tls.error,
                QStringLiteral("Something on this network holds TLS to %1: devices will time out the same way.")
                    .arg(authority));
        case Step::Http:
            return pass(); // reachable and TLS done; only the clock is unknown
        case Step::Done:
            return;
        }
    }

    void pass()
    {
        m_result.passed = true;
        finish();
    }

    void fail(const QString& code, const QString& detail, const QString& mitigation)
    {
        m_result.passed = false;
        m_result.code = code;
        m_result.detail = detail;
        m_result.mitigation = mitigation;
        finish();
    }

    void finish()
    {
        if (m_step == Step::Done)
            return;
        m_step = Step::Done;
        m_timer.stop();
        if (m_socket) {
            m_socket->disconnect(this);
            m_socket->abort();
        }
        if (m_result.passed && m_result.detail.isEmpty()) {
            m_result.detail = m_result.tls.ok ? QStringLiteral("reachable, %1, certificate issued by %2")
                                                    .arg(m_result.tls.protocol, m_result.tls.issuer)
                                              : QStringLiteral("reachable");
        }
        if (m_done)
            m_done();
    }

    NetCheckOptions m_options;
    std::function<void()> m_done;
    NetTargetResult m_result;
    QNetworkProxy m_proxy;
    Step m_step = Step::Dns;
    QElapsedTimer m_clock;
    QTimer m_timer;
    int m_lookup = -1;
    QSslSocket* m_socket = nullptr;
    QList<QSslError> m_sslErrors;
    QByteArray m_headers;
    QDateTime m_serverDateAt;
};

} // namespace

bool NetCheckReport::ok() const
{
    if (clockSkewSeconds && !clockSkewProblem(*clockSkewSeconds, ClockSkewBoundSeconds).isEmpty())
        return false;
    return std::all_of(targets.begin(), targets.end(), [](const NetTargetResult& r) { return r.passed; });
}

QStringList NetCheckReport::verdictLines() const
{
    QStringList lines;
    for (const auto& r : targets) {
        if (!r.passed && !r.mitigation.isEmpty() && !lines.contains(r.mitigation))
            lines << r.mitigation;
    }
    if (clockSkewSeconds) {
        const QString clock = clockSkewProblem(*clockSkewSeconds, ClockSkewBoundSeconds);
        if (!clock.isEmpty())
            lines << clock;
    }
    if (lines.isEmpty())
        lines << QStringLiteral("Every endpoint a device needs is reachable from this network, with TLS this system "
                                "trusts.");
    return lines;
}

QString clockSkewProblem(qint64 skewSeconds, int boundSeconds)
{
    const qint64 off = skewSeconds < 0 ? -skewSeconds : skewSeconds;
    if (off <= boundSeconds)
        return {};
    const QString amount = off >= 3600 ? QStringLiteral("%1 h").arg(QString::number(off / 3600.0, 'f', 1))
        : off >= 120                   ? QStringLiteral("%1 min").arg(off / 60)
                                       : QStringLiteral("%1 s").arg(off);
    return QStringLiteral("This machine's clock is %1 %2 Azure's: SAS tokens it makes are refused as expired or not "
                          "yet valid, and X.509 certificates may look expired. A device with the same clock fails "
                          "the same way: set the clock (NTP) on the device and here.")
        .arg(amount, skewSeconds > 0 ? QStringLiteral("ahead of") : QStringLiteral("behind"));
}

NetCheckReport runNetCheck(const std::vector<NetTarget>& targets, const NetCheckOptions& options)
{
    NetCheckReport report;
    if (targets.empty())
        return report;
    QEventLoop loop;
    size_t pending = targets.size();
    std::vector<std::unique_ptr<TargetProbe>> probes;
    probes.reserve(targets.size());
    for (const auto& t : targets) {
        probes.push_back(std::make_unique<TargetProbe>(t, options, [&] {
            if (--pending == 0)
                loop.quit();
        }));
    }
    for (auto& p : probes)
        QTimer::singleShot(0, p.get(), [probe = p.get()] { probe->start(); });
    loop.exec();
    for (auto& p : probes) {
        report.targets.push_back(p->result());
        const auto& r = report.targets.back();
        if (!report.clockSkewSeconds && r.serverDate && p->serverDateAt().isValid())
            report.clockSkewSeconds = r.serverDate->secsTo(p->serverDateAt());
    }
    return report;
}

} // namespace iotc
