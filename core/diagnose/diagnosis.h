#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace iotc {

// What one check of the guided diagnosis found.
struct DiagnosisFinding {
    QString code; // cause code (device-blocked ...) or knowledge-base / issue code
    QString severity; // info, warning, error
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
};

const char* checkStatusName(DiagnosisCheck::Status s);

// The cause codes in the order they are ranked (most fundamental first).
const QStringList& causeRanking();

} // namespace iotc
