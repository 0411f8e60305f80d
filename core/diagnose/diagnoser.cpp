#include "diagnoser.h"

#include "central/centralclient.h"
#include "central/edgeruntime.h"
#include "eventhub/eventhubconsumer.h"
#include "knowledge/logscanner.h"
#include "monitor/monitorpipeline.h"
#include "properties/propertyvalidation.h"
#include "provisioning/devicestatus.h"
#include "provisioning/dpscheck.h"
#include "provisioning/provisioningcheck.h"
#include "report/redact.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <map>
#include <set>

namespace iotc {

const char* checkStatusName(DiagnosisCheck::Status s)
{
    switch (s) {
    case DiagnosisCheck::Status::Passed:
        return "passed";
    case DiagnosisCheck::Status::Warning:
        return "warning";
    case DiagnosisCheck::Status::Failed:
        return "failed";
    case DiagnosisCheck::Status::Skipped:
        return "skipped";
    }
    return "skipped";
}

const QStringList& causeRanking()
{
    static const QStringList ranking { QStringLiteral("app-unreachable"), QStringLiteral("credentials-invalid"),
        QStringLiteral("device-not-found"), QStringLiteral("device-blocked"),
        QStringLiteral("device-blocked-or-waiting-for-approval"), QStringLiteral("dps-invalid-credentials"),
        QStringLiteral("dps-throttled"), QStringLiteral("device-unassigned"), QStringLiteral("device-never-connected"),
        QStringLiteral("no-data"), QStringLiteral("invalid-json"), QStringLiteral("invalid-encoding"),
        QStringLiteral("schema-mismatch"), QStringLiteral("unmodeled-capability"), QStringLiteral("unknown-component"),
        QStringLiteral("duplicate-capability"), QStringLiteral("edge-unmodeled"),
        QStringLiteral("writable-property-rejected"), QStringLiteral("writable-property-not-acknowledged"),
        QStringLiteral("content-type-or-encoding"), QStringLiteral("device-log-errors") };
    return ranking;
}

namespace {

struct CauseText {
    const char* title;
    const char* mitigation;
};

const std::map<QString, CauseText>& causeTexts()
{
    static const std::map<QString, CauseText> texts {
        { QStringLiteral("app-unreachable"),
            { "The application cannot be reached",
                "Check the application URL (subdomain and DNS suffix), the network path and any proxy." } },
        { QStringLiteral("credentials-invalid"),
            { "The credentials for the application are not accepted",
                "Create a new API token (Permissions > API tokens) or sign in again with az login, in the "
                "application's tenant, as a member of the app." } },
        { QStringLiteral("device-not-found"),
            { "IoT Central does not know this device",
                "Check the device ID; create the device in IoT Central or let it register through a device connection "
                "group." } },
        { QStringLiteral("device-blocked"),
            { "An operator has blocked the device",
                "Unblock the device in IoT Central (Devices > the device > Unblock) and let it connect again." } },
        { QStringLiteral("device-blocked-or-waiting-for-approval"),
            { "The device is blocked or waiting for approval",
                "Open the device in IoT Central: approve it if it waits for approval, unblock it if it is blocked. The "
                "REST API cannot tell the two apart." } },
        { QStringLiteral("dps-invalid-credentials"),
            { "DPS refuses the device's credentials (401002)",
                "Check the ID scope, device ID and key the device uses (derive the key from the group key for group "
                "enrollment); fix the device clock." } },
        { QStringLiteral("dps-throttled"),
            { "DPS is throttling the device's registrations (429)",
                "Register less often (keep the assigned hub between restarts) and back off on 429, honouring "
                "Retry-After." } },
        { QStringLiteral("device-unassigned"),
            { "The device is not assigned to a device template",
                "Assign the device to a device template so IoT Central can interpret its data." } },
        { QStringLiteral("device-never-connected"),
            { "The device has never connected",
                "The device is registered but has not completed provisioning: check its logs for connectivity and "
                "credential errors." } },
        { QStringLiteral("no-data"),
            { "No data arrived from the device",
                "The device is provisioned but sent nothing while we listened: check that it is running, connected and "
                "sending (its logs), and the network path." } },
        { QStringLiteral("invalid-json"),
            { "The device sends malformed JSON",
                "Fix the payload serialization on the device: IoT Central drops values it cannot parse." } },
        { QStringLiteral("invalid-encoding"),
            { "The device's payload is not UTF-8 JSON",
                "Encode payloads as UTF-8 and set the content encoding to utf-8." } },
        { QStringLiteral("schema-mismatch"),
            { "Values do not match the types the template defines",
                "Send values of the template's types (numbers without quotes, RFC 3339 dates ...), or change the "
                "template." } },
        { QStringLiteral("unmodeled-capability"),
            { "The device sends names the template does not define",
                "Send exactly the template's names (case-sensitive), or add the capabilities to the template and "
                "migrate the device." } },
        { QStringLiteral("unknown-component"),
            { "The device sends data for a component the template does not have",
                "Send the template's component names in dt-subject ($.sub), or fix the template." } },
        { QStringLiteral("duplicate-capability"),
            { "A name is defined in several interfaces and the device is not IoT Plug and Play",
                "Keep each name in one interface, or make the device IoT Plug and Play (model ID and components)." } },
        { QStringLiteral("edge-unmodeled"),
            { "IoT Edge module component telemetry shows as _unmodeleddata",
                "Update the IoT Edge runtime to 1.2.4 or later." } },
        { QStringLiteral("writable-property-rejected"),
            { "The device rejects a writable property",
                "Check the value set against what the device accepts (see the ack description), or fix the device." } },
        { QStringLiteral("writable-property-not-acknowledged"),
            { "The device does not acknowledge a writable property",
                "Make the device report {value, ac, av} for every desired version it receives." } },
        { QStringLiteral("content-type-or-encoding"),
            { "Messages lack the right content type or encoding",
                "Set content type application/json and content encoding utf-8 on every message." } },
        { QStringLiteral("device-log-errors"),
            { "The device's log reports errors",
                "Follow what each logged code says (the evidence has the line, the code and what to do); the "
                "Error codes view and `iotc-diag explain CODE` tell more." } },
    };
    return texts;
}

// Payload issue codes -> diagnosis cause codes.
QString causeForIssue(const std::string& code)
{
    static const std::map<std::string, const char*> map {
        { "invalid-json", "invalid-json" },
        { "not-an-object", "invalid-json" },
        { "invalid-encoding", "invalid-encoding" },
        { "schema-mismatch", "schema-mismatch" },
        { "invalid-field-name", "unmodeled-capability" },
        { "unmodeled-capability", "unmodeled-capability" },
        { "unknown-component", "unknown-component" },
        { "unknown-module", "unknown-component" },
        { "duplicate-capability", "duplicate-capability" },
        { "edge-unmodeled", "edge-unmodeled" },
        { "device-unassigned", "device-unassigned" },
        { "device-not-found", "device-not-found" },
        { "content-type-mismatch", "content-type-or-encoding" },
        { "missing-content-encoding", "content-type-or-encoding" },
        { "unsupported-content-encoding", "content-type-or-encoding" },
        { "writable-property-rejected", "writable-property-rejected" },
        { "writable-property-not-acknowledged", "writable-property-not-acknowledged" },
        { "missing-component-marker", "unknown-component" },
        { "invalid-ack", "writable-property-not-acknowledged" },
    };
    if (auto it = map.find(code); it != map.end())
        return QString::fromLatin1(it->second);
    return {};
}

QString logCause(const std::string& code)
{
    static const std::map<std::string, const char*> map { { "401002", "dps-invalid-credentials" },
        { "429", "dps-throttled" }, { "429001", "dps-throttled" }, { "DEVICE_BLOCKED", "device-blocked" },
        { "400209", "device-blocked-or-waiting-for-approval" } };
    if (auto it = map.find(code); it != map.end())
        return QString::fromLatin1(it->second);
    return {};
}

template <class T> T wait(QFuture<T> f)
{
    f.waitForFinished();
    return f.result();
}

DiagnosisFinding finding(const QString& code, const char* severity, const QString& title, const QString& explanation,
    const QString& mitigation, QStringList evidence = {})
{
    return { code, QString::fromLatin1(severity), title, explanation, mitigation, std::move(evidence) };
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

Diagnoser::Diagnoser(ConnectionProfile profile, DiagnoseOptions options)
    : m_profile(std::move(profile))
    , m_options(std::move(options))
{
}

Diagnosis Diagnoser::run(const std::function<void(const QString&, const QString&)>& progress)
{
    auto say = [&](const char* id, const QString& text) {
        if (progress)
            progress(QLatin1String(id), text);
    };
    Diagnosis d;
    d.deviceId = m_options.deviceId;
    d.application = m_profile.baseUrl;
    d.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    d.toolVersion = QStringLiteral(IOTC_VERSION);
    std::map<QString, QStringList> evidence; // cause -> evidence
    auto cause = [&](const QString& code, const QString& why) { evidence[code] << redactSecrets(why); };

    auto client = std::make_shared<CentralClient>(m_profile);

    // 1-2. App reachable, credentials valid, device known: one cheap call answers all three.
    say("app", QStringLiteral("Reaching the application"));
    DiagnosisCheck app { QStringLiteral("app"), QStringLiteral("Application reachable, credentials accepted"), {}, {},
        {} };
    DiagnosisCheck deviceCheck { QStringLiteral("device"), QStringLiteral("Device known to IoT Central"), {}, {}, {} };
    const auto device = wait(client->device(m_options.deviceId));
    std::optional<Device> dev;
    if (device.ok()) {
        dev = device.value;
        app.status = DiagnosisCheck::Status::Passed;
        app.summary = QStringLiteral("The application answered and accepted the credentials.");
        deviceCheck.status = DiagnosisCheck::Status::Passed;
        deviceCheck.summary
            = QStringLiteral("%1 \"%2\", template %3%4")
                  .arg(dev->id, dev->displayName, dev->templateId.isEmpty() ? QStringLiteral("none") : dev->templateId,
                      dev->simulated ? QStringLiteral(", simulated") : QString());
    } else if (device.error.httpStatus == 404) {
        app.status = DiagnosisCheck::Status::Passed;
        app.summary = QStringLiteral("The application answered and accepted the credentials.");
        deviceCheck.status = DiagnosisCheck::Status::Failed;
        deviceCheck.summary = QStringLiteral("No device %1 in this application.").arg(m_options.deviceId);
        cause(QStringLiteral("device-not-found"), device.error.summary());
    } else {
        app.status = DiagnosisCheck::Status::Failed;
        app.summary = device.error.summary();
        const bool creds = device.error.httpStatus == 401 || device.error.httpStatus == 403;
        cause(
            creds ? QStringLiteral("credentials-invalid") : QStringLiteral("app-unreachable"), device.error.summary());
        app.findings.push_back(
            finding(creds ? QStringLiteral("credentials-invalid") : QStringLiteral("app-unreachable"), "error",
                creds ? QStringLiteral("Credentials refused") : QStringLiteral("Application unreachable"),
                device.error.explanation, device.error.knowledge ? q(device.error.knowledge->mitigation) : QString()));
        deviceCheck.summary = QStringLiteral("Not checked: the application could not be asked.");
    }
    d.checks.push_back(app);
    d.checks.push_back(deviceCheck);

    // 3. Provisioning status and DPS.
    say("provisioning", QStringLiteral("Checking the provisioning status and DPS"));
    DiagnosisCheck prov { QStringLiteral("provisioning"), QStringLiteral("Provisioning status and DPS"), {}, {}, {} };
    std::optional<DeviceStatus> status;
    if (dev) {
        status = deviceStatus(*dev);
        const auto& meaning = statusKnowledge(*status);
        const QString flags = QStringLiteral("enabled=%1, provisioned=%2, template=%3")
                                  .arg(dev->enabled ? QStringLiteral("true") : QStringLiteral("false"),
                                      dev->provisioned ? QStringLiteral("true") : QStringLiteral("false"),
                                      dev->templateId.isEmpty() ? QStringLiteral("none") : dev->templateId);
        prov.summary = q(meaning.title) + QStringLiteral(" (") + flags + QLatin1Char(')');
        prov.status
            = *status == DeviceStatus::Provisioned ? DiagnosisCheck::Status::Passed : DiagnosisCheck::Status::Failed;
        if (*status != DeviceStatus::Provisioned)
            prov.findings.push_back(finding(QString::fromLatin1(statusName(*status)), severityName(meaning.severity),
                q(meaning.title), q(meaning.description), q(meaning.mitigation), { flags }));
        if (*status == DeviceStatus::Blocked)
            cause(QStringLiteral("device-blocked"), flags);
        else if (*status == DeviceStatus::BlockedOrWaitingForApproval)
            cause(QStringLiteral("device-blocked-or-waiting-for-approval"), flags);
        else if (*status == DeviceStatus::Unassigned)
            cause(QStringLiteral("device-unassigned"), flags);

        const ProvisioningReport report = checkProvisioning(*client, *dev);
        if (report.dps && !report.dps->reached()) {
            prov.findings.push_back(finding(QStringLiteral("dps-unreachable"), "warning",
                QStringLiteral("DPS not reached"), report.dps->transportError.summary(),
                QStringLiteral("Check the DPS endpoint and the network path.")));
        } else if (report.dps) {
            const DpsAnswer& answer = *report.dps;
            const QString dpsText = dpsAnswerText(answer);
            prov.summary += QStringLiteral("; ") + dpsText;
            if (answer.errorCode) {
                const auto* kb = KnowledgeBase::builtIn().byCode(std::to_string(*answer.errorCode));
                prov.findings.push_back(finding(QString::number(*answer.errorCode), "error",
                    kb ? q(kb->title) : QStringLiteral("DPS error"), kb ? q(kb->description) : answer.errorMessage,
                    kb ? q(kb->mitigation) : QString(), { dpsText }));
                if (*answer.errorCode == 401002)
                    cause(QStringLiteral("dps-invalid-credentials"), dpsText);
                else if (answer.httpStatus == 429)
                    cause(QStringLiteral("dps-throttled"), dpsText);
                else if (*answer.errorCode == 400209)
                    cause(*status == DeviceStatus::Blocked ? QStringLiteral("device-blocked")
                                                           : QStringLiteral("device-blocked-or-waiting-for-approval"),
                        dpsText);
            }
        } else {
            prov.findings.push_back(
                finding(QStringLiteral("dps-not-checked"), "info", QStringLiteral("DPS not checked"), report.dpsNote,
                    QStringLiteral("Check the device's logs for DPS errors.")));
        }
    } else {
        prov.summary = QStringLiteral("Not checked: the device could not be read.");
    }
    d.checks.push_back(prov);

    // 4. Is data arriving? Look back, then listen.
    say("data", QStringLiteral("Listening for the device's data (up to %1 s)").arg(m_options.listenSeconds));
    DiagnosisCheck data { QStringLiteral("data"), QStringLiteral("Data arriving"), {}, {}, {} };
    std::vector<Observation> observations;
    std::shared_ptr<TemplateResolver> resolver = std::make_shared<TemplateResolver>(client);
    if (dev || m_options.eventHub) {
        QList<EventHubTarget> targets;
        QString error;
        if (m_options.eventHub) {
            targets = { *m_options.eventHub };
        } else {
            const auto tokens = wait(client->eventSasTokens());
            if (tokens.ok())
                targets = EventHubTarget::fromEventSasTokens(*tokens.value, error);
            else
                error = tokens.error.summary();
        }
        if (targets.isEmpty()) {
            data.status = DiagnosisCheck::Status::Skipped;
            data.summary = QStringLiteral("Could not read the event stream: ") + error
                + QStringLiteral(
                    " (give an Event Hubs connection string, or use a bearer token with access to the app's data).");
        } else {
            ConsumerOptions options;
            options.start = ConsumerStart::minutesAgo(m_options.lookbackMinutes);
            options.deviceFilter = m_options.deviceId;
            std::vector<std::unique_ptr<EventHubConsumer>> consumers;
            for (const auto& t : targets) {
                consumers.push_back(std::make_unique<EventHubConsumer>(t, options));
                consumers.back()->start();
            }
            MonitorPipeline pipeline(resolver);
            QElapsedTimer clock;
            clock.start();
            QString streamError;
            auto stopped = [&] { return m_options.stopListening && m_options.stopListening->load(); };
            while (clock.elapsed() < m_options.listenSeconds * 1000LL
                && static_cast<int>(observations.size()) < m_options.enoughMessages && !stopped()) {
                bool allFailed = true;
                for (auto& c : consumers) {
                    auto batch = c->take(1000);
                    for (auto& o : pipeline.process(std::move(batch))) {
                        // Twin and lifecycle events say the device is alive, but not that data arrives.
                        if (o.event.messageSource.isEmpty() || o.event.messageSource == QLatin1String("Telemetry"))
                            observations.push_back(std::move(o));
                    }
                    if (c->fatalError().isEmpty())
                        allFailed = false;
                    else
                        streamError = c->fatalError();
                }
                if (allFailed)
                    break;
                QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
                QThread::msleep(20);
            }
            for (auto& c : consumers)
                c->stop();
            const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
            const QString early = stopped() ? QStringLiteral(" (listening stopped early by the user)") : QString();
            if (!streamError.isEmpty() && observations.empty()) {
                data.status = DiagnosisCheck::Status::Skipped;
                data.summary = QStringLiteral("The event stream could not be read: ") + streamError;
            } else if (observations.empty()) {
                data.status = DiagnosisCheck::Status::Failed;
                data.summary = QStringLiteral("No message from the device in the last %1 min and %2 s of listening%3.")
                                   .arg(m_options.lookbackMinutes)
                                   .arg(seconds, 0, 'f', 0)
                                   .arg(early);
                if (status == DeviceStatus::Registered)
                    cause(QStringLiteral("device-never-connected"),
                        QStringLiteral("registered (provisioned=false) and no data"));
                else if (status == DeviceStatus::Provisioned)
                    cause(QStringLiteral("no-data"), data.summary);
            } else {
                data.status = DiagnosisCheck::Status::Passed;
                data.summary = QStringLiteral("%1 message(s) received (looking back %2 min, listening %3 s%4).")
                                   .arg(observations.size())
                                   .arg(m_options.lookbackMinutes)
                                   .arg(seconds, 0, 'f', 0)
                                   .arg(early);
            }
        }
    } else {
        data.summary = QStringLiteral("Not checked: the device could not be read.");
    }
    d.checks.push_back(data);

    // 5. Device log.
    DiagnosisCheck log { QStringLiteral("device-log"), QStringLiteral("Device log"), {}, {}, {} };
    if (m_options.deviceLog) {
        say("device-log", QStringLiteral("Scanning the device log"));
        // Redacted before the scan cuts long lines, so no cut can part a key from its value (the codes
        // the scan looks for are not secrets).
        const auto scan = scanLog(redactSecrets(*m_options.deviceLog).toStdString());
        log.status = scan.findings.empty() ? DiagnosisCheck::Status::Passed : DiagnosisCheck::Status::Failed;
        log.summary
            = QStringLiteral("%1 known error(s) in %2 line(s)%3.")
                  .arg(scan.findings.size() + scan.dropped)
                  .arg(scan.lines)
                  .arg(scan.dropped ? QStringLiteral("; %1 over the limit are counted, not listed").arg(scan.dropped)
                                    : QString());
        for (const auto& f : scan.findings) {
            const QString line = QStringLiteral("log line %1: %2").arg(f.line).arg(redactSecrets(q(f.text)));
            log.findings.push_back(finding(q(f.entry->code), severityName(f.entry->severity), q(f.entry->title),
                q(f.entry->description), q(f.entry->mitigation), { line }));
            const QString c = logCause(f.entry->code);
            if (!c.isEmpty())
                cause(c, line);
            else if (f.entry->severity == Severity::Error)
                // Not one of the guide's connection causes (file upload, MQTT, TLS ...), still the device's
                // own word that something fails: a cause, with what to do for that code.
                cause(QStringLiteral("device-log-errors"),
                    line + QStringLiteral(" — ") + q(f.entry->code) + QStringLiteral(": ") + q(f.entry->title)
                        + QStringLiteral(". What to do: ") + q(f.entry->mitigation));
        }
    } else {
        log.summary = QStringLiteral("No device log given (--device-log).");
    }
    d.checks.push_back(log);

    // 6. Payload shape.
    DiagnosisCheck payload { QStringLiteral("payload"), QStringLiteral("Payload shape"), {}, {}, {} };
    std::map<std::string, std::pair<int, Issue>> byCode;
    size_t modeled = 0;
    for (const auto& o : observations) {
        bool clean = true;
        for (const auto& i : o.issues) {
            auto& entry = byCode[i.code];
            if (entry.first++ == 0)
                entry.second = i;
            clean = clean && i.severity == Severity::Info;
        }
        modeled += clean;
        if (!o.issues.empty() && d.samples.size() < 5) {
            SampleMessage s;
            s.enqueuedTime = QDateTime::fromMSecsSinceEpoch(o.event.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs);
            s.component = o.event.component;
            s.module = o.event.moduleId;
            s.body = redactedSample(QString::fromUtf8(o.event.body), 2000);
            for (const auto& i : o.issues)
                s.issues << q(i.code);
            d.samples.push_back(s);
        }
    }
    if (observations.empty()) {
        payload.summary = QStringLiteral("No message to check.");
    } else {
        payload.status = byCode.empty() ? DiagnosisCheck::Status::Passed : DiagnosisCheck::Status::Failed;
        payload.summary = QStringLiteral("%1 of %2 message(s) fully modeled.").arg(modeled).arg(observations.size());
        for (const auto& [code, entry] : byCode) {
            const Issue& i = entry.second;
            const QString ev
                = QStringLiteral("%1 message(s); e.g. %2%3")
                      .arg(entry.first)
                      .arg(q(i.message))
                      .arg(i.suggestion ? QStringLiteral(" (") + q(*i.suggestion) + QLatin1Char(')') : QString());
            payload.findings.push_back(finding(q(code), severityName(i.severity), q(code), q(i.message),
                i.suggestion ? q(*i.suggestion) : QString(), { ev }));
            const QString c = causeForIssue(code);
            if (!c.isEmpty())
                cause(c, ev);
        }
        if (!byCode.empty() && payload.status == DiagnosisCheck::Status::Failed) {
            bool anyError = false;
            for (const auto& [code, entry] : byCode)
                anyError = anyError || entry.second.severity == Severity::Error;
            if (!anyError)
                payload.status = DiagnosisCheck::Status::Warning;
        }
    }
    d.checks.push_back(payload);

    // 7. Properties.
    say("properties", QStringLiteral("Checking properties"));
    DiagnosisCheck props { QStringLiteral("properties"), QStringLiteral("Properties"), {}, {}, {} };
    if (dev) {
        const auto r = wait(client->properties(dev->id));
        if (!r.ok()) {
            props.summary = QStringLiteral("Could not read properties: ") + r.error.summary();
        } else {
            auto resolution = resolver->forDevice(dev->id);
            const auto snapshot = PropertySnapshot::fromRest(*r.value, componentNamesOf(resolution.validator.get()));
            std::vector<Issue> issues;
            if (resolution.validator)
                issues = validateReportedProperties(snapshot, *resolution.validator);
            int writable = 0;
            for (const auto& p : snapshot.properties) {
                writable += p.sync != SyncState::None;
                if (auto i = writableSyncIssue(p))
                    issues.push_back(std::move(*i));
            }
            bool anyError = false;
            for (const auto& i : issues) {
                if (i.severity == Severity::Info)
                    continue;
                anyError = anyError || i.severity == Severity::Error;
                const QString ev = q(i.path) + QStringLiteral(": ") + q(i.message);
                props.findings.push_back(finding(q(i.code), severityName(i.severity), q(i.code), q(i.message),
                    i.suggestion ? q(*i.suggestion) : QString(), { ev }));
                const QString c = causeForIssue(i.code);
                if (!c.isEmpty())
                    cause(c, ev);
            }
            props.status = props.findings.empty() ? DiagnosisCheck::Status::Passed
                : anyError                        ? DiagnosisCheck::Status::Failed
                                                  : DiagnosisCheck::Status::Warning;
            props.summary
                = QStringLiteral("%1 propert(ies), %2 writable.").arg(snapshot.properties.size()).arg(writable);
        }
    } else {
        props.summary = QStringLiteral("Not checked: the device could not be read.");
    }
    d.checks.push_back(props);

    // 8. IoT Edge: modules, and the runtime version from the system modules' images.
    DiagnosisCheck edge { QStringLiteral("edge"), QStringLiteral("IoT Edge"), {}, {}, {} };
    if (dev) {
        const auto modules = wait(client->getJson(QStringLiteral("/devices/")
                + QString::fromLatin1(QUrl::toPercentEncoding(dev->id)) + QStringLiteral("/modules"),
            QStringLiteral("List modules")));
        const int count
            = modules.ok() ? static_cast<int>(modules.value->value(QStringLiteral("value")).toArray().size()) : 0;
        if (count == 0) {
            edge.summary = QStringLiteral("Not an IoT Edge device (no modules).");
        } else {
            const auto system = wait(client->edgeModules(dev->id));
            const auto runtime = system.ok() ? edgeRuntimeFromModules(*system.value) : std::nullopt;
            const bool unmodeled = evidence.count(QStringLiteral("edge-unmodeled")) > 0;
            const bool older = runtime && runtime->verdict == EdgeRuntime::Verdict::Older;
            edge.status = older || unmodeled ? DiagnosisCheck::Status::Warning : DiagnosisCheck::Status::Passed;
            edge.summary = QStringLiteral("%1 module(s); %2")
                               .arg(count)
                               .arg(runtime ? runtime->explanation
                                            : QStringLiteral("runtime version not readable (%1)")
                                                  .arg(system.ok() ? QStringLiteral("no $edgeAgent listed")
                                                                   : system.error.summary()));
            if (older) {
                edge.status = DiagnosisCheck::Status::Failed;
                edge.findings.push_back(finding(QStringLiteral("edge-runtime-old"), "error",
                    QStringLiteral("IoT Edge runtime older than 1.2.4"), runtime->explanation,
                    QStringLiteral("Update the IoT Edge runtime (edgeAgent and edgeHub) to 1.2.4 or later."),
                    { QStringLiteral("$edgeAgent image: ") + runtime->agentImage,
                        QStringLiteral("$edgeHub image: ") + runtime->hubImage }));
                cause(QStringLiteral("edge-unmodeled"), runtime->explanation);
            } else if (unmodeled) {
                edge.summary += QStringLiteral("; module component telemetry arrives, which IoT Edge before 1.2.4 "
                                               "shows as _unmodeleddata");
            }
        }
    }
    d.checks.push_back(edge);

    // 9. Verdict: the causes seen, most fundamental first.
    for (const auto& code : causeRanking()) {
        auto it = evidence.find(code);
        if (it == evidence.end())
            continue;
        const auto& text = causeTexts().at(code);
        DiagnosisCause c { code, QString::fromLatin1(text.title), QString::fromLatin1(text.mitigation), it->second };
        c.evidence.removeDuplicates();
        d.causes.push_back(c);
    }
    if (d.causes.empty())
        d.healthySummary = QStringLiteral("%1 message(s) received, all modeled; provisioned; properties in sync.")
                               .arg(observations.size());
    say("verdict", d.causes.empty() ? QStringLiteral("Healthy") : d.causes.front().title);
    return d;
}

} // namespace iotc
