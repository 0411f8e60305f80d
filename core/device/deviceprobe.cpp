#include "deviceprobe.h"

#include "devicemessage.h"

#include "central/centralclient.h"
#include "knowledge/knowledgebase.h"
#include "monitor/eventstream.h"
#include "monitor/templateresolver.h"
#include "net/netcheck.h"
#include "provisioning/dpsregister.h"
#include "provisioning/provisioningcheck.h"
#include "template/templateparser.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUrl>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

QJsonValue plausibleValue(const Schema& s)
{
    switch (s.kind) {
    case SchemaKind::Double:
    case SchemaKind::Float:
        return 21.5;
    case SchemaKind::Integer:
    case SchemaKind::Long:
    case SchemaKind::Byte:
        return 1;
    case SchemaKind::Boolean:
        return true;
    case SchemaKind::String:
        return QStringLiteral("iotc-probe");
    default:
        return QJsonValue(QJsonValue::Undefined);
    }
}

class Steps {
public:
    Steps(ProbeReport& report, const ProbeOptions& options)
        : m_report(report)
        , m_options(options)
    {
    }
    void add(ProbeStep step)
    {
        m_report.steps.push_back(step);
        if (m_options.stepDone)
            m_options.stepDone(step);
    }
    void skip(const QStringList& names, const QString& why)
    {
        for (const auto& n : names)
            add({ n, {}, QStringLiteral("skipped"), why, {}, {}, -1 });
    }

private:
    ProbeReport& m_report;
    const ProbeOptions& m_options;
};

const QStringList AfterDps { QStringLiteral("hub-connect"), QStringLiteral("send"), QStringLiteral("arrived"),
    QStringLiteral("validated") };

// The hub-connect, send, arrived and validated steps of one protocol.
void addProtocolSteps(Steps& steps, const DeviceMessage& m, const QNetworkProxy& hubProxy,
    const std::optional<DeviceSendResult>& sent, const std::optional<Observation>& arrived, qint64 arrivalMs,
    const QString& streamError, int arrivalTimeoutMs)
{
    const QString protocol = deviceProtocolName(m.protocol);
    const bool mqtt = m.protocol == DeviceProtocol::Mqtt || m.protocol == DeviceProtocol::MqttWebSocket;
    auto step = [&](const QString& name, const QString& status, const QString& detail, const QString& code = {},
                    const QString& mitigation = {}, qint64 ms = -1) {
        steps.add({ name, protocol, status, detail, code, mitigation, ms });
    };
    auto skipRest = [&](const QStringList& names, const QString& why) {
        for (const auto& n : names)
            step(n, QStringLiteral("skipped"), why);
    };
    const QString passed = QStringLiteral("passed");
    const QString failed = QStringLiteral("failed");
    if (!sent) {
        // The stream never started: the message was not sent (a device was not disconnected).
        skipRest(AfterDps,
            QStringLiteral("the application's event stream could not be read, so nothing was sent: ")
                + (streamError.isEmpty() ? QStringLiteral("no answer in time") : streamError));
        return;
    }
    if (!sent->connected) {
        QString why = sent->error;
        if (!overWebSockets(m.protocol) && hubProxy.type() == QNetworkProxy::HttpProxy)
            why += QStringLiteral(" (this network names the proxy %1, which %2 on %3 cannot go through: devices "
                                  "behind it use %2 over WebSockets, --protocol %4-ws)")
                       .arg(proxyDisplay(hubProxy), mqtt ? QStringLiteral("MQTT") : QStringLiteral("AMQP"))
                       .arg(m.port)
                       .arg(protocol);
        const QString code = !sent->refusalCode.isEmpty() ? sent->refusalCode
            : mqtt                                        ? QStringLiteral("mqtt-connect")
                                                          : QStringLiteral("amqp-connect");
        // Not refused by the hub (no CONNACK, no CBS answer): the network did not let the device through.
        QString mitigation;
        if (sent->refusalCode.isEmpty()) {
            const QString name = mqtt ? QStringLiteral("MQTT") : QStringLiteral("AMQP");
            mitigation = overWebSockets(m.protocol)
                ? QStringLiteral("Check that this network lets HTTPS (%1) out to %2, through its proxy if it has one "
                                 "(`iotc-diag netcheck --hub %2`).")
                      .arg(m.port)
                      .arg(m.hubHost)
                : QStringLiteral("If %1 (%2) is blocked on this network, devices using it cannot connect here: use %1 "
                                 "over WebSockets (443) or open %2 outbound to *.azure-devices.net "
                                 "(`iotc-diag netcheck --hub %3` checks every port).")
                      .arg(name)
                      .arg(m.port)
                      .arg(m.hubHost);
        }
        step(QStringLiteral("hub-connect"), failed, why, code, mitigation);
        skipRest({ QStringLiteral("send"), QStringLiteral("arrived"), QStringLiteral("validated") },
            QStringLiteral("the device could not connect"));
        return;
    }
    step(QStringLiteral("hub-connect"), passed,
        QStringLiteral("connected to %1:%2 over %3 as %4%5, then disconnected")
            .arg(m.hubHost)
            .arg(m.port)
            .arg(deviceProtocolText(m.protocol), m.deviceId,
                m.proxy.type() == QNetworkProxy::HttpProxy && overWebSockets(m.protocol)
                    ? QStringLiteral(" through the proxy ") + proxyDisplay(hubProxy)
                    : QString()),
        {}, {}, sent->connectMs);
    if (!sent->sent) {
        step(QStringLiteral("send"), failed, sent->error,
            !sent->refusalCode.isEmpty() ? sent->refusalCode
                : mqtt                   ? QStringLiteral("mqtt-publish")
                                         : QStringLiteral("amqp-send"));
        skipRest({ QStringLiteral("arrived"), QStringLiteral("validated") }, QStringLiteral("nothing was sent"));
        return;
    }
    step(QStringLiteral("send"), passed,
        QStringLiteral("%1 bytes, iotc-probe %2, acknowledged by the hub").arg(m.body.size()).arg(m.messageId), {}, {},
        sent->sendMs);
    if (!arrived) {
        if (!streamError.isEmpty()) { // blind, not the device's fault
            skipRest({ QStringLiteral("arrived"), QStringLiteral("validated") },
                QStringLiteral("the event stream could not be read: ") + streamError);
            return;
        }
        step(QStringLiteral("arrived"), failed,
            QStringLiteral("the hub took the message, but it did not reach the application's event stream within %1 s")
                .arg(arrivalTimeoutMs / 1000),
            QStringLiteral("probe-not-arrived"),
            QStringLiteral("IoT Central did not route the message: check the device is assigned to this application "
                           "and not blocked, and look at the application's data export and message routing."),
            arrivalMs);
        skipRest({ QStringLiteral("validated") }, QStringLiteral("the message did not arrive"));
        return;
    }
    step(QStringLiteral("arrived"), passed,
        QStringLiteral("in the application's event stream, enqueued %1")
            .arg(QDateTime::fromMSecsSinceEpoch(arrived->event.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs)),
        {}, {}, arrivalMs);
    QStringList problems;
    QString firstCode;
    for (const auto& issue : arrived->issues) {
        if (issue.severity != Severity::Error)
            continue;
        problems << QString::fromStdString(issue.code + ": " + issue.message);
        if (firstCode.isEmpty())
            firstCode = QString::fromStdString(issue.code);
    }
    if (problems.isEmpty())
        step(QStringLiteral("validated"), passed,
            arrived->issues.empty()
                ? QStringLiteral("matches the device template")
                : QStringLiteral("matches the device template (%1 note(s))").arg(arrived->issues.size()));
    else
        step(QStringLiteral("validated"), failed, problems.join(QStringLiteral("; ")), firstCode);
}

} // namespace

bool ProbeReport::ok() const
{
    return !couldNotRun && !steps.empty()
        && std::none_of(steps.begin(), steps.end(), [](const ProbeStep& s) { return s.status != "passed"; });
}

QString ProbeReport::failedStep() const
{
    for (const auto& s : steps) {
        if (s.status == QLatin1String("failed"))
            return s.name;
    }
    return {};
}

QByteArray modelledTelemetry(const DeviceTemplate& t, const QString& component)
{
    const CapabilityScope* scope = &t.model.root;
    if (!component.isEmpty()) {
        if (const auto* c = t.model.component(component.toStdString()))
            scope = c;
    }
    QJsonObject body;
    for (const auto& cap : scope->capabilities()) {
        if (cap.kind != CapabilityKind::Telemetry || !cap.schema || body.size() >= 3)
            continue;
        const QJsonValue v = plausibleValue(*cap.schema);
        if (!v.isUndefined())
            body.insert(QString::fromStdString(cap.name), v);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

ProbeReport runDeviceProbe(const std::shared_ptr<CentralClient>& client, const ProbeOptions& options)
{
    ProbeReport report;
    report.deviceId = options.deviceId;
    report.probeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Steps steps(report, options);
    const ConnectionProfile& profile = client->profile();

    // The device, its template and its credentials, from the application.
    auto deviceResult = client->device(options.deviceId).result();
    if (!deviceResult.ok()) {
        report.couldNotRun = true;
        report.whyNot = QStringLiteral("the device could not be read: ") + deviceResult.error.summary();
        return report;
    }
    const Device device = *deviceResult.value;
    auto credentials = client->credentials(options.deviceId).result();
    if (!credentials.ok()) {
        report.couldNotRun = true;
        report.whyNot = QStringLiteral("the device's credentials could not be read (") + credentials.error.summary()
            + QStringLiteral("); a token with the Administrator or Builder role can read them");
        return report;
    }
    const QJsonObject& c = *credentials.value;
    const QString idScope = c.value(QStringLiteral("idScope")).toString();
    const QByteArray key
        = c.value(QStringLiteral("symmetricKey")).toObject().value(QStringLiteral("primaryKey")).toString().toLatin1();
    if (key.isEmpty()) {
        report.couldNotRun = true;
        report.whyNot = c.contains(QStringLiteral("x509"))
            ? QStringLiteral("the device authenticates with an X.509 certificate: the probe needs the device's own "
                             "certificate and private key, which IoT Central does not hold")
            : QStringLiteral("the device has no shared access key the probe could use");
        return report;
    }
    QString modelId;
    QByteArray payload = options.payload.value_or(QByteArray());
    if (!device.templateId.isEmpty()) {
        auto t = client->deviceTemplate(device.templateId).result();
        if (t.ok()) {
            try {
                const DeviceTemplate parsed = parseTemplateText(
                    QJsonDocument(*t.value).toJson(QJsonDocument::Compact).toStdString(), "the device's template");
                modelId = QString::fromStdString(parsed.modelId);
                if (!options.payload)
                    payload = modelledTelemetry(parsed, options.component);
            } catch (const std::exception&) {
                // (no model id and no modelled values: the payload below)
            }
        }
    }
    if (payload.isEmpty() || payload == "{}")
        payload = R"({"iotcProbe":true})";
    report.payload = payload;

    // The device's network to DPS: DNS, TCP, TLS and the clock, on 443 as the device registers.
    NetCheckOptions netOptions;
    netOptions.network = profile.network;
    netOptions.timeoutMs = options.stepTimeoutMs;
    const QString dpsHost = QUrl(profile.dpsEndpoint).host();
    const int dpsPort = QUrl(profile.dpsEndpoint).port(443);
    const auto net
        = runNetCheck({ NetTarget { QStringLiteral("dps"), dpsHost, dpsPort, NetProtocol::Https } }, netOptions);
    const NetTargetResult& dps = net.targets.front();
    const QString https = QStringLiteral("https");
    auto networkStep = [&](const QString& name, bool reached, bool failedHere, qint64 ms, const QString& okText) {
        if (failedHere)
            steps.add({ name, https, QStringLiteral("failed"), dps.detail, dps.code, dps.mitigation, ms });
        else if (reached)
            steps.add({ name, https, QStringLiteral("passed"), okText, {}, {}, ms });
        else
            steps.add({ name, https, QStringLiteral("skipped"), QStringLiteral("an earlier step failed"), {}, {}, -1 });
    };
    const bool dnsFailed = dps.code == QLatin1String("netcheck-dns");
    const bool tcpFailed = !dps.passed && !dps.tls.attempted && !dnsFailed;
    const bool tlsFailed = !dps.passed && dps.tls.attempted;
    networkStep(QStringLiteral("dns"), !dnsFailed, dnsFailed, dps.dnsMs,
        QStringLiteral("%1 resolves to %2").arg(dpsHost, dps.addresses.join(QStringLiteral(", "))));
    networkStep(QStringLiteral("tcp"), !dnsFailed && !tcpFailed, tcpFailed, dps.tcpMs,
        QStringLiteral("%1:%2 accepts connections%3")
            .arg(dpsHost)
            .arg(dpsPort)
            .arg(dps.proxy.isEmpty() ? QString() : QStringLiteral(" through ") + dps.proxy));
    networkStep(QStringLiteral("tls"), dps.passed, tlsFailed, -1,
        QStringLiteral("%1, certificate issued by %2, trusted").arg(dps.tls.protocol, dps.tls.issuer));
    if (net.clockSkewSeconds) {
        const QString problem = clockSkewProblem(*net.clockSkewSeconds, ClockSkewBoundSeconds);
        steps.add(
            { QStringLiteral("clock"), https, problem.isEmpty() ? QStringLiteral("passed") : QStringLiteral("failed"),
                QStringLiteral("this clock is %1 s off DPS's").arg(*net.clockSkewSeconds),
                problem.isEmpty() ? QString() : QStringLiteral("clock-skew"), problem, -1 });
    } else {
        steps.add({ QStringLiteral("clock"), https, QStringLiteral("skipped"),
            QStringLiteral("DPS's Date header could not be read"), {}, {}, -1 });
    }
    if (!dps.passed) {
        steps.skip(QStringList { QStringLiteral("dps-register") } + AfterDps,
            QStringLiteral("DPS cannot be reached from here"));
        return report;
    }

    // DPS registration, as the device does it.
    QElapsedTimer clock;
    clock.start();
    const DpsAnswer answer = registerWithDps(client->http(), profile.dpsEndpoint, idScope, options.deviceId, key,
        modelId, options.stepTimeoutMs * 2, profile.network);
    if (!answer.reached() || answer.errorCode || answer.status != QLatin1String("assigned")
        || answer.assignedHub.isEmpty()) {
        const KnowledgeEntry* k = dpsKnowledge(answer);
        steps.add({ QStringLiteral("dps-register"), https, QStringLiteral("failed"),
            answer.reached() ? dpsAnswerText(answer) : answer.transportError.summary(),
            answer.errorCode ? QString::number(*answer.errorCode) : QString(),
            k ? QString::fromStdString(k->mitigation) : QString(), clock.elapsed() });
        steps.skip(AfterDps, QStringLiteral("DPS did not assign the device a hub"));
        return report;
    }
    report.assignedHub = answer.assignedHub;
    steps.add({ QStringLiteral("dps-register"), https, QStringLiteral("passed"),
        QStringLiteral("assigned to %1").arg(answer.assignedHub), {}, {}, clock.elapsed() });

    // Watch the application's event stream, then send as the device over each protocol in turn once
    // it is read, each message with its own iotc-probe id.
    auto resolver = std::make_shared<TemplateResolver>(client);
    EventStreamOptions streamOptions;
    streamOptions.consumer.start = ConsumerStart::minutesAgo(0.5);
    streamOptions.consumer.deviceFilter = options.deviceId;
    streamOptions.consumer.network = profile.network;
    EventStream stream(client, resolver, streamOptions);

    struct Attempt {
        DeviceMessage message;
        QNetworkProxy hubProxy;
        std::optional<DeviceSendResult> sent;
        std::optional<Observation> arrived;
        QElapsedTimer sendClock; // from the send's start
        qint64 arrivalMs = -1; // when it arrived (even before the hub's acknowledgement), or was given up
    };
    std::vector<Attempt> attempts;
    for (const DeviceProtocol protocol : options.protocols) {
        Attempt a;
        DeviceMessage& m = a.message;
        m.protocol = protocol;
        m.hubHost = answer.assignedHub;
        m.port = overWebSockets(protocol)      ? options.websocketPort
            : protocol == DeviceProtocol::Amqp ? options.amqpPort
                                               : options.mqttPort;
        m.deviceId = options.deviceId;
        m.deviceKeyBase64 = key;
        m.modelId = modelId;
        m.caFile = options.caFile;
        // The device's route: the proxy this network uses for the hub, which only WebSockets can go
        // through (HTTP CONNECT); 8883 and 5671 are dialled directly, as a device would.
        a.hubProxy = proxyFor(profile.network, m.hubHost, m.port);
        if (a.hubProxy.type() == QNetworkProxy::HttpProxy)
            m.proxy = a.hubProxy;
        m.body = payload;
        m.component = options.component;
        m.messageId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m.properties = { { QStringLiteral("iotc-probe"), m.messageId } };
        m.timeoutMs = options.stepTimeoutMs;
        attempts.push_back(std::move(a));
    }
    if (!attempts.empty())
        report.probeId = attempts.front().message.messageId;

    QEventLoop loop;
    QFutureWatcher<DeviceSendResult> sending;
    size_t current = 0; // the attempt being sent or awaited
    bool started = false;
    QString streamError;
    QTimer deadline;
    deadline.setSingleShot(true);
    std::function<void()> next = [&] {
        deadline.stop();
        if (current >= attempts.size())
            return loop.quit();
        const DeviceMessage m = attempts[current].message;
        attempts[current].sendClock.start();
        sending.setFuture(QtConcurrent::run([m] { return sendAsDevice(m); }));
    };
    auto advance = [&] {
        ++current;
        next();
    };
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        if (!started)
            return loop.quit(); // the stream was not read in time: nothing is sent
        attempts[current].arrivalMs = attempts[current].sendClock.elapsed();
        advance(); // this message did not arrive in time
    });
    QObject::connect(&stream, &EventStream::started, &loop, [&] {
        if (started)
            return;
        started = true;
        next();
    });
    QObject::connect(&sending, &QFutureWatcher<DeviceSendResult>::finished, &loop, [&] {
        Attempt& a = attempts[current];
        a.sent = sending.result();
        if (!a.sent->sent || a.arrived || !streamError.isEmpty())
            return advance();
        deadline.start(options.arrivalTimeoutMs);
    });
    QObject::connect(&stream, &EventStream::observations, &loop, [&](const ObservationBatch& batch) {
        for (const auto& o : *batch) {
            for (const auto& [k, v] : o.event.applicationProperties) {
                if (k != QLatin1String("iotc-probe"))
                    continue;
                for (auto& a : attempts) {
                    if (v == a.message.messageId && !a.arrived) {
                        a.arrived = o;
                        a.arrivalMs = a.sendClock.isValid() ? a.sendClock.elapsed() : -1;
                    }
                }
            }
        }
        if (current < attempts.size() && attempts[current].arrived && attempts[current].sent && !sending.isRunning())
            advance();
    });
    QObject::connect(&stream, &EventStream::failed, &loop, [&](const QString& why) {
        streamError = why;
        if (!started)
            return loop.quit();
        if (!sending.isRunning() && current < attempts.size() && attempts[current].sent)
            advance(); // blind now: the rest are sent without waiting for them
    });
    deadline.start(options.stepTimeoutMs * 3); // to be read
    stream.start();
    loop.exec();
    sending.waitForFinished();
    if (current < attempts.size() && !attempts[current].sent && sending.future().isFinished()
        && sending.future().resultCount() > 0)
        attempts[current].sent = sending.result();
    stream.shutdown();

    for (const Attempt& a : attempts)
        addProtocolSteps(
            steps, a.message, a.hubProxy, a.sent, a.arrived, a.arrivalMs, streamError, options.arrivalTimeoutMs);
    return report;
}

} // namespace iotc
