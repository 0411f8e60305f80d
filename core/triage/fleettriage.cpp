#include "fleettriage.h"

#include "diagnose/diagnosis.h"
#include "diagnose/recency.h"
#include "knowledge/advice.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/devicestatus.h"

#include <QDateTime>

#include <algorithm>

namespace iotc {

namespace {

// The payload causes a fleet triage gives (the full diagnosis's others need a device's properties,
// DPS or a log).
bool triageCause(const QString& cause)
{
    static const QStringList set { causes::InvalidJson, causes::InvalidEncoding, causes::SchemaMismatch,
        causes::UnmodeledCapability, causes::UnknownComponent, causes::DuplicateCapability, causes::EdgeUnmodeled,
        causes::ContentTypeOrEncoding };
    return set.contains(cause);
}

int rankOf(const QString& cause)
{
    const qsizetype i = causeRanking().indexOf(cause);
    return i < 0 ? int(causeRanking().size()) : int(i);
}

QString whatToDo(const QString& cause)
{
    const Advice* a = adviceFor(AdviceKind::Cause, cause.toStdString());
    return a ? QString::fromStdString(a->whatToDo) : QString();
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

std::vector<TriageGroup> triageGroups(const TriageResult& r, size_t maxPerGroup)
{
    std::vector<TriageGroup> groups;
    QHash<QString, size_t> index;
    for (const auto& d : r.devices) {
        if (d.cause == QLatin1String(HealthyCause))
            continue;
        auto it = index.constFind(d.cause);
        if (it == index.cend()) {
            it = index.insert(d.cause, groups.size());
            TriageGroup g;
            g.cause = d.cause;
            g.severity = d.severity;
            g.mitigation = d.mitigation;
            groups.push_back(std::move(g));
        }
        TriageGroup& g = groups[it.value()];
        ++g.devices;
        g.severity = std::max(g.severity, d.severity);
        if (g.first.size() < maxPerGroup)
            g.first.push_back(d);
    }
    return groups;
}

const char* triageSeverityName(Severity s)
{
    return severityName(s);
}

void FleetTriage::addDevices(const QList<Device>& devices)
{
    for (const auto& d : devices)
        m_devices.insert(d.id, d);
}

void FleetTriage::addObservations(const std::vector<Observation>& batch)
{
    for (const auto& o : batch) {
        const TelemetryEvent& e = o.event;
        if (!e.messageSource.isEmpty() && e.messageSource != QLatin1String("Telemetry"))
            continue; // twin changes and lifecycle events are not the device's data
        ++m_messages;
        Seen& s = m_seen[e.deviceId];
        ++s.messages;
        s.lastMs = std::max(s.lastMs, e.enqueuedMs);
        if (s.recent.size() < RecentTimes) {
            s.recent.push_back(e.enqueuedMs);
        } else {
            auto oldest = std::min_element(s.recent.begin(), s.recent.end());
            if (*oldest < e.enqueuedMs)
                *oldest = e.enqueuedMs;
        }
        // Each message counts once per cause, however many of its fields show it.
        QString counted[8];
        int causesOfMessage = 0;
        for (const auto& issue : o.issues) {
            const QString cause = causeForIssue(issue.code);
            if (cause.isEmpty() || !triageCause(cause))
                continue;
            IssueSeen& seen = s.byCause[cause];
            if (std::find(counted, counted + causesOfMessage, cause) == counted + causesOfMessage
                && causesOfMessage < 8) {
                counted[causesOfMessage++] = cause;
                ++seen.count;
            }
            if (issue.severity > seen.severity || seen.example.isEmpty()) {
                seen.severity = std::max(seen.severity, issue.severity);
                seen.example = QString::fromStdString(issue.message).left(200);
            }
        }
    }
}

TriageDevice FleetTriage::judge(const Device& d, const Seen* seen, Context& c) const
{
    TriageDevice t;
    t.deviceId = d.id;
    t.displayName = d.displayName;
    if (seen) {
        t.messages = seen->messages;
        t.lastSeenMs = seen->lastMs;
    }
    // Texts that many devices share are one string (100,000 devices, a result a second).
    auto verdict = [&](const QString& cause, Severity severity, const QString& evidence) {
        t.cause = c.shared(cause);
        t.severity = severity;
        t.evidence = c.shared(evidence);
        auto advice = c.advice.find(t.cause);
        if (advice == c.advice.end())
            advice = c.advice.emplace(t.cause, whatToDo(t.cause)).first;
        t.mitigation = advice->second;
        return t;
    };

    // 1. What the application says of the device.
    const DeviceStatus status = deviceStatus(d);
    if (status != DeviceStatus::Provisioned) {
        const QString statusEvidence = QStringLiteral("enabled=%1, provisioned=%2, template=%3")
                                           .arg(d.enabled ? QStringLiteral("true") : QStringLiteral("false"),
                                               d.provisioned ? QStringLiteral("true") : QStringLiteral("false"),
                                               d.templateId.isEmpty() ? QStringLiteral("none") : d.templateId);
        const Severity statusSeverity = statusKnowledge(status).severity;
        switch (status) {
        case DeviceStatus::Blocked:
            return verdict(causes::DeviceBlocked, statusSeverity, statusEvidence);
        case DeviceStatus::BlockedOrWaitingForApproval:
            return verdict(causes::DeviceBlockedOrWaitingForApproval, statusSeverity, statusEvidence);
        case DeviceStatus::Unassigned:
            return verdict(causes::DeviceUnassigned, statusSeverity, statusEvidence);
        case DeviceStatus::Registered:
        case DeviceStatus::Provisioned:
            return verdict(causes::DeviceNeverConnected, statusSeverity, statusEvidence);
        }
    }

    // 2. Nothing from it.
    if (!seen || seen->messages == 0)
        return verdict(causes::NoData, Severity::Error, c.noDataEvidence);

    // 3. What its messages show, the highest-ranked cause first.
    QString best;
    const DataRecency recency = dataRecency(seen->recent, c.listenStartMs, c.listenSeconds);
    if (recency.stopped)
        best = causes::DataStopped;
    for (const auto& [cause, _] : seen->byCause) {
        if (best.isEmpty() || rankOf(cause) < rankOf(best))
            best = cause;
    }
    if (best == causes::DataStopped)
        return verdict(causes::DataStopped, Severity::Error,
            QStringLiteral("last message at %1, usual interval about %2 s; nothing in %3 s of listening")
                .arg(recency.lastText())
                .arg(recency.usualIntervalSeconds.value_or(0.0), 0, 'f', 1)
                .arg(qRound(c.listenSeconds)));
    if (!best.isEmpty()) {
        const IssueSeen& i = seen->byCause.at(best);
        return verdict(best, i.severity,
            QStringLiteral("%1 of %2 message(s); e.g. %3").arg(i.count).arg(seen->messages).arg(i.example));
    }

    // 4. Nothing wrong seen.
    t.cause = c.shared(QLatin1String(HealthyCause));
    t.severity = Severity::Info;
    t.evidence
        = QStringLiteral("%1 message(s), the last at %2, all valid").arg(seen->messages).arg(isoTime(seen->lastMs));
    return t;
}

const QString& FleetTriage::Context::shared(const QString& text)
{
    auto it = texts.constFind(text);
    if (it == texts.cend())
        it = texts.insert(text, text);
    return it.value();
}

TriageResult FleetTriage::result(qint64 listenStartMs, double listenSeconds, double lookbackMinutes) const
{
    TriageResult r;
    r.messages = m_messages;
    r.devices.reserve(static_cast<size_t>(m_devices.size()));
    Context c;
    c.listenStartMs = listenStartMs;
    c.listenSeconds = listenSeconds;
    c.noDataEvidence = QStringLiteral("No message from the device in the last %1 min and %2 s of listening.")
                           .arg(lookbackMinutes)
                           .arg(qRound(listenSeconds));
    for (auto it = m_devices.cbegin(); it != m_devices.cend(); ++it) {
        const auto seen = m_seen.constFind(it.key());
        r.devices.push_back(judge(it.value(), seen == m_seen.cend() ? nullptr : &seen.value(), c));
    }
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it) {
        if (!m_devices.contains(it.key()))
            r.messagesFromUnlisted += it.value().messages;
    }
    for (const auto& d : r.devices) {
        if (d.cause == QLatin1String(HealthyCause))
            ++r.healthy;
        else
            ++r.byCause[d.cause];
    }
    // Severity first, then the causes that hit most devices, then the diagnosis's order, then the
    // id; the healthy last. Keys computed once per device (a cause's count and rank once per cause).
    struct Key {
        int healthy;
        int severity;
        int devices;
        int rank;
        size_t index;
    };
    std::map<QString, std::pair<int, int>> causeKeys; // cause -> (devices, rank)
    for (const auto& [cause, n] : r.byCause)
        causeKeys[cause] = { n, rankOf(cause) };
    std::vector<Key> keys;
    keys.reserve(r.devices.size());
    for (size_t i = 0; i < r.devices.size(); ++i) {
        const TriageDevice& d = r.devices[i];
        const bool healthy = d.cause == QLatin1String(HealthyCause);
        const auto ck = healthy ? std::pair { 0, 0 } : causeKeys.at(d.cause);
        keys.push_back({ healthy ? 1 : 0, static_cast<int>(d.severity), ck.first, ck.second, i });
    }
    std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
        if (a.healthy != b.healthy)
            return a.healthy < b.healthy;
        if (a.severity != b.severity)
            return a.severity > b.severity;
        if (a.devices != b.devices)
            return a.devices > b.devices;
        if (a.rank != b.rank)
            return a.rank < b.rank;
        return r.devices[a.index].deviceId < r.devices[b.index].deviceId;
    });
    std::vector<TriageDevice> sorted;
    sorted.reserve(r.devices.size());
    for (const Key& k : keys)
        sorted.push_back(std::move(r.devices[k.index]));
    r.devices = std::move(sorted);
    return r;
}

} // namespace iotc
