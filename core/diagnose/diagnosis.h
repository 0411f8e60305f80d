#pragma once

#include <string_view>

#include "validate/issue.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace iotc {

// What one check of the guided diagnosis found.
struct DiagnosisFinding {
    QString code; // cause code (device-blocked ...) or knowledge-base / issue code
    Severity severity = Severity::Info;
    QString title;
    QString explanation;
    QString mitigation;
    QStringList evidence; // what was seen: status flags, DPS answers, message excerpts, log lines
};

struct DiagnosisCheck {
    enum class Status { Skipped, Passed, Warning, Failed }; // Skipped first: a check not run says so
    QString id; // app, device, provisioning, dps, data, device-log, payload, properties, edge
    QString title;
    Status status = Status::Skipped;
    QString summary;
    std::vector<DiagnosisFinding> findings;
};

struct DiagnosisCause {
    QString code; // stable: app-unreachable, credentials-invalid, device-not-found, device-blocked, ...
    QString title;
    QString mitigation;
    QStringList evidence;
};

struct SampleMessage {
    QString enqueuedTime;
    QString component;
    QString module;
    QString body; // as text, secrets redacted
    QStringList issues; // codes
};

struct Diagnosis {
    QString deviceId;
    QString application; // base URL (no credentials)
    QString generatedAt; // UTC ISO time
    QString toolVersion;
    std::vector<DiagnosisCheck> checks;
    std::vector<DiagnosisCause> causes; // ranked, most likely first; empty = healthy
    QString healthySummary; // "12 messages in 60 s, all modeled"
    std::vector<SampleMessage> samples;

    bool healthy() const { return causes.empty(); }
    // The diagnosis could not do its job: the application could not be asked (unreachable,
    // credentials refused), or the only thing found is that the data check could not run (the
    // event stream unreadable). Neither healthy nor a problem of the device's.
    bool couldNotRun() const;
};

// The causes a diagnosis can conclude (DiagnosisCause::code), most fundamental first.
namespace causes {
inline constexpr QLatin1String AppUnreachable("app-unreachable");
inline constexpr QLatin1String CredentialsInvalid("credentials-invalid");
inline constexpr QLatin1String DeviceNotFound("device-not-found");
inline constexpr QLatin1String DeviceBlocked("device-blocked");
inline constexpr QLatin1String DeviceBlockedOrWaitingForApproval("device-blocked-or-waiting-for-approval");
inline constexpr QLatin1String DpsInvalidCredentials("dps-invalid-credentials");
inline constexpr QLatin1String DpsThrottled("dps-throttled");
inline constexpr QLatin1String DeviceUnassigned("device-unassigned");
inline constexpr QLatin1String TemplateNotFound("template-not-found"); // assigned to a template the app lacks
inline constexpr QLatin1String DeviceNeverConnected("device-never-connected");
inline constexpr QLatin1String HubThrottled("hub-throttled"); // IoT Hub's 429001, from the device's log
inline constexpr QLatin1String EventStreamUnreachable("event-stream-unreachable"); // the data check could not run
inline constexpr QLatin1String NoData("no-data");
inline constexpr QLatin1String DataStopped("data-stopped"); // it sent in the look-back, not while listening
inline constexpr QLatin1String InvalidJson("invalid-json");
inline constexpr QLatin1String InvalidEncoding("invalid-encoding");
inline constexpr QLatin1String SchemaMismatch("schema-mismatch");
inline constexpr QLatin1String UnmodeledCapability("unmodeled-capability");
inline constexpr QLatin1String UnknownComponent("unknown-component");
inline constexpr QLatin1String DuplicateCapability("duplicate-capability");
inline constexpr QLatin1String EdgeUnmodeled("edge-unmodeled");
inline constexpr QLatin1String WritablePropertyRejected("writable-property-rejected");
inline constexpr QLatin1String WritablePropertyNotAcknowledged("writable-property-not-acknowledged");
inline constexpr QLatin1String ContentTypeOrEncoding("content-type-or-encoding");
inline constexpr QLatin1String FileUploadLimitExceeded("file-upload-limit-exceeded");
inline constexpr QLatin1String DeviceLogErrors("device-log-errors");
} // namespace causes

const char* checkStatusName(DiagnosisCheck::Status s);

// The cause codes in the order they are ranked (most fundamental first).
const QStringList& causeRanking();

// True when cause, found by REST or DPS, already explains why no data arrives, so the data check
// need not listen: the device is unknown, blocked, waiting for approval or has never completed
// provisioning; DPS refusing (401002) or throttling (429) it only while it is not provisioned (a
// provisioned device may still send through the hub it was assigned before).
bool settlesNoData(const QString& cause, bool deviceProvisioned);

// The cause a payload issue code (validate/issue.h) points to; empty when none (reserved-field ...).
QString causeForIssue(std::string_view issueCode);

} // namespace iotc
