#include "deviceprobe.h"

#include "mqttdevice.h"

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

    // Watch the application's event stream, then send as the device once it is read.
    auto resolver = std::make_shared<TemplateResolver>(client);
    EventStreamOptions streamOptions;
    streamOptions.consumer.start = ConsumerStart::minutesAgo(0.5);
    streamOptions.consumer.deviceFilter = options.deviceId;
    streamOptions.consumer.network = profile.network;
    EventStream stream(client, resolver, streamOptions);
    QEventLoop loop;
    QFutureWatcher<MqttDeviceResult> sending;
    std::optional<MqttDeviceResult> sent;
    std::optional<Observation> arrived;
    QString streamError;
    QElapsedTimer arrivalClock;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    MqttDeviceMessage m;
    m.hubHost = answer.assignedHub;
    m.port = options.mqttOverWebSockets ? options.websocketPort : options.mqttPort;
    m.webSocket = options.mqttOverWebSockets;
    m.deviceId = options.deviceId;
    m.deviceKeyBase64 = key;
    m.modelId = modelId;
    m.caFile = options.caFile;
    // The device's route: the proxy this network uses for the hub, which only MQTT over WebSockets
    // can go through (HTTP CONNECT); MQTT on 8883 is dialled directly, as a device would.
    const QNetworkProxy hubProxy = proxyFor(profile.network, m.hubHost, m.port);
    if (hubProxy.type() == QNetworkProxy::HttpProxy) {
        QUrl proxyUrl;
        proxyUrl.setScheme(QStringLiteral("http"));
        proxyUrl.setHost(hubProxy.hostName());
        proxyUrl.setPort(hubProxy.port());
        proxyUrl.setUserName(hubProxy.user());
        proxyUrl.setPassword(hubProxy.password());
        m.webSocketProxy = proxyUrl.toString(QUrl::FullyEncoded);
    }
    m.body = payload;
    m.component = options.component;
    m.properties = { { QStringLiteral("iotc-probe"), report.probeId } };
    m.timeoutMs = options.stepTimeoutMs;
    QObject::connect(&stream, &EventStream::started, &loop,
        [&] { sending.setFuture(QtConcurrent::run([m] { return sendAsDeviceOverMqtt(m); })); });
    QObject::connect(&sending, &QFutureWatcher<MqttDeviceResult>::finished, &loop, [&] {
        sent = sending.result();
        if (!sent->sent)
            return loop.quit();
        arrivalClock.start();
        deadline.start(options.arrivalTimeoutMs);
        if (arrived)
            loop.quit();
    });
    QObject::connect(&stream, &EventStream::observations, &loop, [&](const ObservationBatch& batch) {
        for (const auto& o : *batch) {
            for (const auto& [k, v] : o.event.applicationProperties) {
                if (k == QLatin1String("iotc-probe") && v == report.probeId)
                    arrived = o;
            }
        }
        if (arrived && sent)
            loop.quit();
    });
    QObject::connect(&stream, &EventStream::failed, &loop, [&](const QString& why) {
        streamError = why;
        if (!sending.isRunning())
            loop.quit();
    });
    deadline.start(options.stepTimeoutMs * 3); // to be read and to send
    stream.start();
    loop.exec();
    sending.waitForFinished();
    if (!sent && sending.future().isFinished() && sending.future().resultCount() > 0)
        sent = sending.result();
    stream.shutdown();

    const QString mqtt = options.mqttOverWebSockets ? QStringLiteral("mqtt-ws") : QStringLiteral("mqtt");
    if (!sent) {
        // The stream never started: the message was not sent (a device was not disconnected).
        steps.skip(AfterDps,
            QStringLiteral("the application's event stream could not be read, so nothing was sent: ")
                + (streamError.isEmpty() ? QStringLiteral("no answer in time") : streamError));
        return report;
    }
    if (!sent->connected) {
        QString why = sent->error;
        if (!m.webSocket && hubProxy.type() == QNetworkProxy::HttpProxy)
            why += QStringLiteral(" (this network names the proxy %1, which MQTT on %2 cannot go through: devices "
                                  "behind it use MQTT over WebSockets, --protocol mqtt-ws)")
                       .arg(proxyDisplay(hubProxy))
                       .arg(m.port);
        steps.add({ QStringLiteral("hub-connect"), mqtt, QStringLiteral("failed"), why,
            sent->connackCode > 0 ? QStringLiteral("connack-%1").arg(sent->connackCode)
                                  : QStringLiteral("mqtt-connect"),
            {}, -1 });
        steps.skip({ QStringLiteral("send"), QStringLiteral("arrived"), QStringLiteral("validated") },
            QStringLiteral("the device could not connect"));
        return report;
    }
    steps.add({ QStringLiteral("hub-connect"), mqtt, QStringLiteral("passed"),
        QStringLiteral("connected to %1:%2 as %3%4, then disconnected")
            .arg(m.hubHost)
            .arg(m.port)
            .arg(m.deviceId,
                m.webSocketProxy.isEmpty() ? QString()
                                           : QStringLiteral(" through the proxy ") + proxyDisplay(hubProxy)),
        {}, {}, sent->connectMs });
    if (!sent->sent) {
        steps.add({ QStringLiteral("send"), mqtt, QStringLiteral("failed"), sent->error, QStringLiteral("mqtt-publish"),
            {}, -1 });
        steps.skip({ QStringLiteral("arrived"), QStringLiteral("validated") }, QStringLiteral("nothing was sent"));
        return report;
    }
    steps.add({ QStringLiteral("send"), mqtt, QStringLiteral("passed"),
        QStringLiteral("%1 bytes, iotc-probe %2, acknowledged by the hub").arg(payload.size()).arg(report.probeId), {},
        {}, sent->sendMs });
    if (!arrived) {
        if (!streamError.isEmpty()) { // blind, not the device's fault
            steps.skip({ QStringLiteral("arrived"), QStringLiteral("validated") },
                QStringLiteral("the event stream could not be read: ") + streamError);
            return report;
        }
        steps.add({ QStringLiteral("arrived"), {}, QStringLiteral("failed"),
            QStringLiteral("the hub took the message, but it did not reach the application's event stream within %1 s")
                .arg(options.arrivalTimeoutMs / 1000),
            QStringLiteral("probe-not-arrived"),
            QStringLiteral("IoT Central did not route the message: check the device is assigned to this application "
                           "and not blocked, and look at the application's data export and message routing."),
            arrivalClock.isValid() ? arrivalClock.elapsed() : -1 });
        steps.skip({ QStringLiteral("validated") }, QStringLiteral("the message did not arrive"));
        return report;
    }
    steps.add({ QStringLiteral("arrived"), {}, QStringLiteral("passed"),
        QStringLiteral("in the application's event stream, enqueued %1")
            .arg(QDateTime::fromMSecsSinceEpoch(arrived->event.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs)),
        {}, {}, arrivalClock.isValid() ? arrivalClock.elapsed() : -1 });
    QStringList problems;
    for (const auto& issue : arrived->issues) {
        if (issue.severity == Severity::Error)
            problems << QString::fromStdString(issue.code + ": " + issue.message);
    }
    if (problems.isEmpty())
        steps.add({ QStringLiteral("validated"), {}, QStringLiteral("passed"),
            arrived->issues.empty()
                ? QStringLiteral("matches the device template")
                : QStringLiteral("matches the device template (%1 note(s))").arg(arrived->issues.size()),
            {}, {}, -1 });
    else
        steps.add({ QStringLiteral("validated"), {}, QStringLiteral("failed"), problems.join(QStringLiteral("; ")),
            QString::fromStdString(arrived->issues.front().code), {}, -1 });
    return report;
}

} // namespace iotc
