#include "diagnoser.h"

#include "listening.h"
#include "recency.h"

#include "central/centralclient.h"
#include "central/deviceidsuggest.h"
#include "central/edgeruntime.h"
#include "diagnose/sample.h"
#include "knowledge/advice.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/logscanner.h"
#include "monitor/templateresolver.h"
#include "properties/propertyvalidation.h"
#include "provisioning/devicestatus.h"
#include "provisioning/dpscheck.h"
#include "provisioning/provisioningcheck.h"
#include "util/redact.h"
#include "validate/edgeruntimerule.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <map>
#include <set>

namespace iotc {

namespace {

template <class T> T wait(QFuture<T> f)
{
    f.waitForFinished();
    return f.result();
}

DiagnosisFinding finding(const QString& code, Severity severity, const QString& title, const QString& explanation,
    const QString& mitigation, QStringList evidence = {})
{
    return { code, severity, title, explanation, mitigation, std::move(evidence) };
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

// A finding whose title and what-to-do are the advice book's (resources/knowledge/advice.json).
DiagnosisFinding adviceFinding(
    QLatin1String code, AdviceKind kind, Severity severity, const QString& explanation, QStringList evidence = {})
{
    const Advice* text = adviceFor(kind, std::string_view(code.data(), static_cast<size_t>(code.size())));
    return finding(code, severity, text ? q(text->title) : QString(code), explanation,
        text ? q(text->whatToDo) : QString(), std::move(evidence));
}

DiagnosisFinding adviceFinding(
    const char* code, Severity severity, const QString& explanation, QStringList evidence = {})
{
    return adviceFinding(QLatin1String(code), AdviceKind::Finding, severity, explanation, std::move(evidence));
}

// A finding for DPS's answer, in DPS's words (the knowledge base's dps entry for it).
DiagnosisFinding dpsFinding(const DpsAnswer& answer, const QString& dpsText)
{
    const KnowledgeEntry* kb = dpsKnowledge(answer);
    const QString code = kb ? q(kb->code)
        : answer.errorCode  ? QString::number(*answer.errorCode)
                            : QString::number(answer.httpStatus);
    return finding(code, kb ? kb->severity : Severity::Error, kb ? q(kb->title) : QStringLiteral("DPS error"),
        kb ? q(kb->description) : answer.errorMessage, kb ? q(kb->mitigation) : QString(), { dpsText });
}

const QString NotReadable = QStringLiteral("Not checked: the device could not be read.");

} // namespace

// What the checks share while a diagnosis runs.
struct Diagnoser::Context {
    Diagnosis d;
    std::shared_ptr<CentralClient> client;
    std::shared_ptr<TemplateResolver> resolver; // the device's template: for its data and its properties
    std::function<void(const QString&, const QString&)> progress;
    std::optional<Device> dev; // when the device could be read
    std::optional<DeviceStatus> status; // its provisioning status
    std::vector<Observation> observations; // its telemetry, as received and judged
    std::map<QString, QStringList> evidence; // cause -> evidence

    void cause(const QString& code, const QString& why) { evidence[code] << redactSecrets(why); }
    void say(const char* id, const QString& text) const
    {
        if (progress)
            progress(QLatin1String(id), text);
    }
};

Diagnoser::Diagnoser(ConnectionProfile profile, DiagnoseOptions options)
    : m_profile(std::move(profile))
    , m_options(std::move(options))
{
}

Diagnosis Diagnoser::run(const std::function<void(const QString&, const QString&)>& progress)
{
    Context c;
    c.d.deviceId = m_options.deviceId;
    c.d.application = m_profile.baseUrl;
    c.d.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    c.d.toolVersion = QStringLiteral(IOTC_VERSION);
    c.client = std::make_shared<CentralClient>(m_profile);
    c.resolver = std::make_shared<TemplateResolver>(c.client);
    c.progress = progress;

    auto [app, device] = checkApplicationAndDevice(c);
    c.d.checks.push_back(std::move(app));
    c.d.checks.push_back(std::move(device));
    c.d.checks.push_back(checkProvisioning(c));
    c.d.checks.push_back(checkData(c));
    c.d.checks.push_back(checkDeviceLog(c));
    c.d.checks.push_back(checkPayload(c));
    c.d.checks.push_back(checkProperties(c));
    c.d.checks.push_back(checkEdge(c));
    rankCauses(c);
    return std::move(c.d);
}

// 1-2. App reachable, credentials valid, device known: one cheap call answers all three.
std::pair<DiagnosisCheck, DiagnosisCheck> Diagnoser::checkApplicationAndDevice(Context& c) const
{
    c.say("app", QStringLiteral("Reaching the application"));
    DiagnosisCheck app { QStringLiteral("app"), QStringLiteral("Application reachable, credentials accepted"), {}, {},
        {} };
    DiagnosisCheck deviceCheck { QStringLiteral("device"), QStringLiteral("Device known to IoT Central"), {}, {}, {} };
    const auto device = wait(c.client->device(m_options.deviceId));
    if (device.ok()) {
        c.dev = device.value;
        const Device& dev = *c.dev;
        app.status = DiagnosisCheck::Status::Passed;
        app.summary = QStringLiteral("The application answered and accepted the credentials.");
        deviceCheck.status = DiagnosisCheck::Status::Passed;
        deviceCheck.summary
            = QStringLiteral("%1 \"%2\", template %3%4")
                  .arg(dev.id, dev.displayName, dev.templateId.isEmpty() ? QStringLiteral("none") : dev.templateId,
                      dev.simulated ? QStringLiteral(", simulated") : QString());
        checkTemplateExists(c, deviceCheck);
    } else if (device.error.httpStatus == 404) {
        app.status = DiagnosisCheck::Status::Passed;
        app.summary = QStringLiteral("The application answered and accepted the credentials.");
        deviceCheck.status = DiagnosisCheck::Status::Failed;
        // IoT Central's answer, and the application's own ids that look like it (never DPS's words).
        const QString text
            = unknownDeviceText(m_options.deviceId, similarDeviceIdsInApp(*c.client, m_options.deviceId));
        deviceCheck.summary = text.left(1).toUpper() + text.mid(1)
            + (text.endsWith(QLatin1Char('?')) ? QString() : QStringLiteral("."));
        deviceCheck.findings.push_back(adviceFinding(
            causes::DeviceNotFound, AdviceKind::Cause, Severity::Error, device.error.summary(), { text }));
        c.cause(causes::DeviceNotFound, text);
    } else {
        app.status = DiagnosisCheck::Status::Failed;
        app.summary = device.error.summary();
        const bool creds = device.error.httpStatus == 401 || device.error.httpStatus == 403;
        c.cause(creds ? causes::CredentialsInvalid : causes::AppUnreachable, device.error.summary());
        app.findings.push_back(finding(creds ? causes::CredentialsInvalid : causes::AppUnreachable, Severity::Error,
            creds ? QStringLiteral("Credentials refused") : QStringLiteral("Application unreachable"),
            device.error.explanation, device.error.knowledge ? q(device.error.knowledge->mitigation) : QString()));
        deviceCheck.summary = QStringLiteral("Not checked: the application could not be asked.");
    }
    return { std::move(app), std::move(deviceCheck) };
}

// 2b. The template the device is assigned to exists in this application. Read through the client's
// template cache, which the data and property checks use after it.
void Diagnoser::checkTemplateExists(Context& c, DiagnosisCheck& deviceCheck) const
{
    if (c.dev->templateId.isEmpty())
        return; // unassigned: the provisioning check says so
    const auto tpl = wait(c.client->deviceTemplate(c.dev->templateId));
    if (tpl.ok() || tpl.error.httpStatus != 404)
        return; // other failures: the checks that need the template say they could not read it
    const QString text = unknownTemplateText(c.dev->templateId, similarTemplateIdsInApp(*c.client, c.dev->templateId));
    deviceCheck.status = DiagnosisCheck::Status::Failed;
    deviceCheck.summary += QStringLiteral("; ") + text;
    deviceCheck.findings.push_back(
        adviceFinding(causes::TemplateNotFound, AdviceKind::Cause, Severity::Error, tpl.error.summary(), { text }));
    c.cause(causes::TemplateNotFound, text);
}

// 3. Provisioning status and DPS.
DiagnosisCheck Diagnoser::checkProvisioning(Context& c) const
{
    c.say("provisioning", QStringLiteral("Checking the provisioning status and DPS"));
    DiagnosisCheck prov { QStringLiteral("provisioning"), QStringLiteral("Provisioning status and DPS"), {}, {}, {} };
    if (!c.dev) {
        prov.summary = NotReadable;
        return prov;
    }
    const Device& dev = *c.dev;
    const DeviceStatus status = deviceStatus(dev);
    c.status = status;
    const auto& meaning = statusKnowledge(status);
    const QString flags = QStringLiteral("enabled=%1, provisioned=%2, template=%3")
                              .arg(dev.enabled ? QStringLiteral("true") : QStringLiteral("false"),
                                  dev.provisioned ? QStringLiteral("true") : QStringLiteral("false"),
                                  dev.templateId.isEmpty() ? QStringLiteral("none") : dev.templateId);
    prov.summary = q(meaning.title) + QStringLiteral(" (") + flags + QLatin1Char(')');
    prov.status = status == DeviceStatus::Provisioned ? DiagnosisCheck::Status::Passed : DiagnosisCheck::Status::Failed;
    if (status != DeviceStatus::Provisioned)
        prov.findings.push_back(finding(QString::fromLatin1(statusName(status)), meaning.severity, q(meaning.title),
            q(meaning.description), q(meaning.mitigation), { flags }));
    if (status == DeviceStatus::Blocked)
        c.cause(causes::DeviceBlocked, flags);
    else if (status == DeviceStatus::BlockedOrWaitingForApproval)
        c.cause(causes::DeviceBlockedOrWaitingForApproval, flags);
    else if (status == DeviceStatus::Unassigned)
        c.cause(causes::DeviceUnassigned, flags);
    else if (status == DeviceStatus::Registered) // REST alone says it never completed provisioning
        c.cause(causes::DeviceNeverConnected,
            flags + QStringLiteral(": the device has not completed provisioning, so it cannot send yet"));

    const ProvisioningReport report = iotc::checkProvisioning(*c.client, dev); // the provisioning module's
    if (report.dps && !report.dps->reached()) {
        prov.findings.push_back(
            adviceFinding("dps-unreachable", Severity::Warning, report.dps->transportError.summary()));
    } else if (report.dps) {
        const DpsAnswer& answer = *report.dps;
        const QString dpsText = dpsAnswerText(answer);
        prov.summary += QStringLiteral("; ") + dpsText;
        if (answer.errorCode || answer.httpStatus >= 400)
            prov.findings.push_back(dpsFinding(answer, dpsText));
        // DPS's own status first: a 429 is DPS throttling whatever code its body carries.
        if (dpsThrottled(answer))
            c.cause(causes::DpsThrottled, dpsText);
        else if (answer.errorCode == 401002)
            c.cause(causes::DpsInvalidCredentials, dpsText);
        else if (answer.errorCode == 400209)
            c.cause(status == DeviceStatus::Blocked ? causes::DeviceBlocked : causes::DeviceBlockedOrWaitingForApproval,
                dpsText);
    } else {
        prov.findings.push_back(adviceFinding("dps-not-checked", Severity::Info, report.dpsNote));
    }
    return prov;
}

// 4. Is data arriving? Look back, then listen.
DiagnosisCheck Diagnoser::checkData(Context& c) const
{
    DiagnosisCheck data { QStringLiteral("data"), QStringLiteral("Data arriving"), {}, {}, {} };
    // What REST and DPS have settled is not waited for: listening could only confirm it.
    for (const auto& code : causeRanking()) {
        if (c.evidence.count(code) && settlesNoData(code, c.dev && c.dev->provisioned)) {
            const Advice* text = adviceFor(AdviceKind::Cause, code.toStdString());
            data.summary = QStringLiteral("Not listened: %1 already explains why no data arrives%2.")
                               .arg(code, text ? QStringLiteral(" (") + q(text->title) + QLatin1Char(')') : QString());
            c.say("data", data.summary);
            return data; // Skipped
        }
    }
    if (!c.dev && !m_options.eventHub) {
        data.summary = NotReadable;
        return data;
    }
    c.say("data", QStringLiteral("Listening for the device's data (up to %1 s)").arg(m_options.listenSeconds));
    Listening heard = listenToDevice(c.client, c.resolver, m_options);
    c.observations = std::move(heard.observations);
    const QString early = heard.stoppedEarly ? QStringLiteral(" (listening stopped early by the user)") : QString();
    const QString unread = !heard.hubsError.isEmpty() ? heard.hubsError
        : heard.streamFailed || !heard.streamError.isEmpty()
        ? (heard.streamError.isEmpty() ? QStringLiteral("the stream gave up") : heard.streamError)
        : QString();
    if (!unread.isEmpty() && c.observations.empty()) {
        // The check could not run: nothing is known about the device's data (never "no data").
        data.status = DiagnosisCheck::Status::Skipped;
        data.summary = QStringLiteral("Not checked: the event stream could not be read: ") + unread;
        c.cause(causes::EventStreamUnreachable, unread);
        return data;
    }
    if (c.observations.empty()) {
        data.status = DiagnosisCheck::Status::Failed;
        data.summary = QStringLiteral("No message from the device in the last %1 min and %2 s of listening%3.")
                           .arg(m_options.lookbackMinutes)
                           .arg(heard.seconds, 0, 'f', 0)
                           .arg(early);
        if (c.status == DeviceStatus::Provisioned)
            c.cause(causes::NoData, data.summary);
        return data;
    }
    const DataRecency recency = dataRecency(c.observations, heard.listenStartMs, heard.seconds);
    const QString interval = recency.usualIntervalSeconds
        ? QStringLiteral(", usual interval about %1 s").arg(*recency.usualIntervalSeconds, 0, 'g', 3)
        : QString();
    const QString last
        = recency.lastMs > 0 ? QStringLiteral("last message at %1%2").arg(recency.lastText(), interval) : QString();
    if (recency.stopped) {
        data.status = DiagnosisCheck::Status::Failed;
        data.summary = QStringLiteral("%1 message(s) in the last %2 min, none in %3 s of listening%4: %5.")
                           .arg(recency.lookback)
                           .arg(m_options.lookbackMinutes)
                           .arg(heard.seconds, 0, 'f', 0)
                           .arg(early, last);
        c.cause(
            causes::DataStopped, last + QStringLiteral("; nothing in %1 s of listening").arg(heard.seconds, 0, 'f', 0));
        return data;
    }
    data.status = DiagnosisCheck::Status::Passed;
    data.summary = QStringLiteral("%1 message(s) received (looking back %2 min, listening %3 s%4; %5 while "
                                  "listening)%6.")
                       .arg(c.observations.size())
                       .arg(m_options.lookbackMinutes)
                       .arg(heard.seconds, 0, 'f', 0)
                       .arg(early)
                       .arg(recency.live)
                       .arg(last.isEmpty() ? QString() : QStringLiteral("; ") + last);
    return data;
}

// 5. Device log.
DiagnosisCheck Diagnoser::checkDeviceLog(Context& c) const
{
    DiagnosisCheck log { QStringLiteral("device-log"), QStringLiteral("Device log"), {}, {}, {} };
    if (!m_options.deviceLog) {
        log.summary = QStringLiteral("No device log given (--device-log).");
        return log;
    }
    c.say("device-log", QStringLiteral("Scanning the device log"));
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
        log.findings.push_back(finding(q(f.entry->code), f.entry->severity, q(f.entry->title), q(f.entry->description),
            q(f.entry->mitigation), { line }));
        // The code's own cause (codes.json "cause": 401002, 429, DEVICE_BLOCKED, 403006 ...); an
        // error without one (MQTT, TLS, network ...) is still the device's own word that something
        // fails: device-log-errors, with what to do for that code.
        const std::string_view cause = logCause(*f.entry);
        if (cause.empty())
            continue;
        if (cause != GenericLogCause)
            c.cause(QString::fromUtf8(cause.data(), static_cast<qsizetype>(cause.size())), line);
        else
            c.cause(causes::DeviceLogErrors,
                line + QStringLiteral(" — ") + q(f.entry->code) + QStringLiteral(": ") + q(f.entry->title)
                    + QStringLiteral(". What to do: ") + q(f.entry->mitigation));
    }
    return log;
}

// 6. Payload shape.
DiagnosisCheck Diagnoser::checkPayload(Context& c) const
{
    DiagnosisCheck payload { QStringLiteral("payload"), QStringLiteral("Payload shape"), {}, {}, {} };
    std::map<std::string, std::pair<int, Issue>> byCode;
    size_t modeled = 0;
    for (const auto& o : c.observations) {
        bool clean = true;
        for (const auto& i : o.issues) {
            auto& entry = byCode[i.code];
            if (entry.first++ == 0)
                entry.second = i;
            clean = clean && i.severity == Severity::Info;
        }
        modeled += clean;
        if (!o.issues.empty() && c.d.samples.size() < 5) {
            c.d.samples.push_back(reportSample(o, DiagnosisSampleChars));
        }
    }
    if (c.observations.empty()) {
        payload.summary = QStringLiteral("No message to check.");
        return payload;
    }
    payload.status = byCode.empty() ? DiagnosisCheck::Status::Passed : DiagnosisCheck::Status::Failed;
    payload.summary = QStringLiteral("%1 of %2 message(s) fully modeled.").arg(modeled).arg(c.observations.size());
    bool anyError = false;
    for (const auto& [code, entry] : byCode) {
        const Issue& i = entry.second;
        anyError = anyError || i.severity == Severity::Error;
        const QString ev
            = QStringLiteral("%1 message(s); e.g. %2%3")
                  .arg(entry.first)
                  .arg(q(i.message))
                  .arg(i.suggestion ? QStringLiteral(" (") + q(*i.suggestion) + QLatin1Char(')') : QString());
        payload.findings.push_back(
            finding(q(code), i.severity, q(code), q(i.message), i.suggestion ? q(*i.suggestion) : QString(), { ev }));
        const QString cause = causeForIssue(code);
        if (!cause.isEmpty())
            c.cause(cause, ev);
    }
    if (!byCode.empty() && !anyError)
        payload.status = DiagnosisCheck::Status::Warning;
    return payload;
}

// 7. Properties.
DiagnosisCheck Diagnoser::checkProperties(Context& c) const
{
    c.say("properties", QStringLiteral("Checking properties"));
    DiagnosisCheck props { QStringLiteral("properties"), QStringLiteral("Properties"), {}, {}, {} };
    if (!c.dev) {
        props.summary = NotReadable;
        return props;
    }
    const auto r = wait(c.client->properties(c.dev->id));
    if (!r.ok()) {
        props.summary = QStringLiteral("Could not read properties: ") + r.error.summary();
        return props;
    }
    auto resolution = c.resolver->forDevice(c.dev->id);
    const auto snapshot = PropertySnapshot::fromRest(*r.value, componentNamesOf(resolution.validator.get()));
    const std::vector<Issue> issues = propertyIssues(snapshot, resolution.validator.get());
    int writable = 0;
    for (const auto& p : snapshot.properties)
        writable += p.sync != SyncState::None;
    bool anyError = false;
    for (const auto& i : issues) {
        if (i.severity == Severity::Info)
            continue;
        anyError = anyError || i.severity == Severity::Error;
        const QString ev = q(i.path) + QStringLiteral(": ") + q(i.message);
        props.findings.push_back(finding(
            q(i.code), i.severity, q(i.code), q(i.message), i.suggestion ? q(*i.suggestion) : QString(), { ev }));
        const QString cause = causeForIssue(i.code);
        if (!cause.isEmpty())
            c.cause(cause, ev);
    }
    props.status = props.findings.empty() ? DiagnosisCheck::Status::Passed
        : anyError                        ? DiagnosisCheck::Status::Failed
                                          : DiagnosisCheck::Status::Warning;
    props.summary = QStringLiteral("%1 propert(ies), %2 writable.").arg(snapshot.properties.size()).arg(writable);
    return props;
}

// 8. IoT Edge: modules, and the runtime version from the system modules' images.
DiagnosisCheck Diagnoser::checkEdge(Context& c) const
{
    DiagnosisCheck edge { QStringLiteral("edge"), QStringLiteral("IoT Edge"), {}, {}, {} };
    if (!c.dev)
        return edge;
    const auto modules = wait(c.client->getJson(QStringLiteral("/devices/")
            + QString::fromLatin1(QUrl::toPercentEncoding(c.dev->id)) + QStringLiteral("/modules"),
        QStringLiteral("List modules")));
    const int count
        = modules.ok() ? static_cast<int>(modules.value->value(QStringLiteral("value")).toArray().size()) : 0;
    if (count == 0) {
        edge.summary = QStringLiteral("Not an IoT Edge device (no modules).");
        return edge;
    }
    const auto system = wait(c.client->edgeModules(c.dev->id));
    const auto runtime = system.ok() ? edgeRuntimeFromModules(*system.value) : std::nullopt;
    const bool unmodeled = c.evidence.count(causes::EdgeUnmodeled) > 0;
    const bool older = runtime && runtime->verdict == EdgeRuntime::Verdict::Older;
    edge.status = older || unmodeled ? DiagnosisCheck::Status::Warning : DiagnosisCheck::Status::Passed;
    edge.summary
        = QStringLiteral("%1 module(s); %2")
              .arg(count)
              .arg(runtime ? runtime->explanation
                           : QStringLiteral("runtime version not readable (%1)")
                                 .arg(system.ok() ? QStringLiteral("no $edgeAgent listed") : system.error.summary()));
    if (older) {
        edge.status = DiagnosisCheck::Status::Failed;
        edge.findings.push_back(adviceFinding("edge-runtime-old", Severity::Error, runtime->explanation,
            { QStringLiteral("$edgeAgent image: ") + runtime->agentImage,
                QStringLiteral("$edgeHub image: ") + runtime->hubImage }));
        c.cause(causes::EdgeUnmodeled, runtime->explanation);
    } else if (unmodeled) {
        edge.summary += QStringLiteral("; module component telemetry arrives, which IoT Edge before %1 shows as "
                                       "_unmodeleddata")
                            .arg(QString::fromUtf8(MinimumEdgeRuntime.data(), qsizetype(MinimumEdgeRuntime.size())));
    }
    return edge;
}

// 9. Verdict: the causes seen, most fundamental first.
void Diagnoser::rankCauses(Context& c)
{
    // A blocked device appears once: "blocked" (the status, IoT Hub's DEVICE_BLOCKED) is more specific
    // than "blocked or waiting for approval" (DPS's 400209, enabled=false before provisioning), and
    // takes its evidence.
    if (auto either = c.evidence.find(causes::DeviceBlockedOrWaitingForApproval);
        either != c.evidence.end() && c.evidence.count(causes::DeviceBlocked)) {
        c.evidence[causes::DeviceBlocked] << either->second;
        c.evidence.erase(either);
    }
    for (const auto& code : causeRanking()) {
        auto it = c.evidence.find(code);
        if (it == c.evidence.end())
            continue;
        const Advice* text = adviceFor(AdviceKind::Cause, code.toStdString());
        DiagnosisCause cause { code, text ? q(text->title) : code, text ? q(text->whatToDo) : QString(), it->second };
        cause.evidence.removeDuplicates();
        c.d.causes.push_back(cause);
    }
    if (c.d.causes.empty())
        c.d.healthySummary = QStringLiteral("%1 message(s) received, all modeled; provisioned; properties in sync.")
                                 .arg(c.observations.size());
    c.say("verdict", c.d.causes.empty() ? QStringLiteral("Healthy") : c.d.causes.front().title);
}

} // namespace iotc
