#pragma once

#include "central/device.h"
#include "monitor/observation.h"
#include "validate/issue.h"

#include <QHash>
#include <QList>
#include <QString>

#include <map>
#include <vector>

namespace iotc {

// One device's verdict in a fleet triage: the one cause that explains best why its data does not
// show up (the diagnosis's vocabulary, or "healthy"), from what is cheap to know for every device.
struct TriageDevice {
    QString deviceId;
    QString displayName;
    QString cause; // a cause code of diagnosis.h, or "healthy"
    Severity severity = Severity::Info;
    QString evidence; // one line
    QString mitigation; // the advice book's what-to-do; empty when healthy
    qint64 lastSeenMs = 0; // the newest enqueued time seen; 0 when none
    qint64 messages = 0; // telemetry messages seen in the look-back and the listen
};

struct TriageResult {
    std::vector<TriageDevice> devices; // every device, ranked: severity, then how many share the cause
    int healthy = 0;
    std::map<QString, int> byCause; // not healthy: cause -> devices
    qint64 messages = 0; // telemetry messages seen in all
    qint64 messagesFromUnlisted = 0; // from devices not in the list (deleted, or filtered out)
};

inline constexpr const char* HealthyCause = "healthy";

// A cause's devices, for a view: how many, the worst severity, what to do, and the first few (in
// rank order).
struct TriageGroup {
    QString cause;
    int devices = 0;
    Severity severity = Severity::Info;
    QString mitigation;
    std::vector<TriageDevice> first;
};

// The causes with problems in the devices' order (the worst first, then the most devices), each
// with at most maxPerGroup of its devices. One pass over the result.
std::vector<TriageGroup> triageGroups(const TriageResult& r, size_t maxPerGroup);

// Gathers the device list and the event stream's observations, then gives every listed device one
// cause. Bounded per device (the newest RecentTimes enqueued times, each issue code once with a
// count and one example), so 100,000 devices stay small. Not thread-safe: one owner feeds it.
//
// The rules, in order (the full diagnosis's, where the cheap data suffices):
//  1. the device's status: blocked, blocked or waiting for approval, unassigned, registered but
//     never connected (device-never-connected);
//  2. provisioned and nothing in the window: no-data;
//  3. what its messages show, the highest-ranked cause of causeRanking(): data-stopped (the
//     look-back shows its usual interval, nothing arrived while listening for StoppedFactor times
//     it), invalid-json, invalid-encoding, schema-mismatch, unmodeled-capability, unknown-component,
//     duplicate-capability, edge-unmodeled, content-type-or-encoding;
//  4. otherwise healthy.
class FleetTriage {
public:
    static constexpr size_t RecentTimes = 16;

    void addDevices(const QList<Device>& devices);
    void addObservations(const std::vector<Observation>& batch);

    // listenStartMs: when the live window began (look-back messages are older); listenSeconds: how
    // long it lasted; lookbackMinutes: for the words of no-data.
    TriageResult result(qint64 listenStartMs, double listenSeconds, double lookbackMinutes) const;

    int deviceCount() const { return static_cast<int>(m_devices.size()); }

private:
    struct IssueSeen {
        qint64 count = 0;
        Severity severity = Severity::Info;
        QString example;
    };
    struct Seen {
        qint64 messages = 0;
        qint64 lastMs = 0;
        std::vector<qint64> recent; // the newest enqueued times, at most RecentTimes
        std::map<QString, IssueSeen> byCause; // payload cause -> what showed it
    };

    // What one judgement of the fleet shares between devices.
    struct Context {
        qint64 listenStartMs = 0;
        double listenSeconds = 0;
        QString noDataEvidence;
        std::map<QString, QString> advice; // cause -> what to do
        QHash<QString, QString> texts; // one string for equal texts
        const QString& shared(const QString& text);
    };
    TriageDevice judge(const Device& d, const Seen* seen, Context& c) const;

    QHash<QString, Device> m_devices;
    QHash<QString, Seen> m_seen;
    qint64 m_messages = 0;
};

const char* triageSeverityName(Severity s); // error, warning, info

} // namespace iotc
