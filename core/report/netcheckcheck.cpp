#include "netcheckcheck.h"

namespace iotc {

namespace {

QString protocolWords(NetProtocol p)
{
    switch (p) {
    case NetProtocol::Mqtt:
        return QStringLiteral("MQTT");
    case NetProtocol::Amqp:
        return QStringLiteral("AMQP");
    case NetProtocol::Https:
        break;
    }
    return QStringLiteral("HTTPS/WebSockets");
}

} // namespace

DiagnosisCheck netCheckCheck(const NetCheckReport& report)
{
    DiagnosisCheck check;
    check.id = QStringLiteral("netcheck");
    check.title = QStringLiteral("This network (DPS and the hubs from here)");
    QStringList evidence;
    for (const auto& t : report.targets) {
        QString line = QStringLiteral("%1 %2:%3 (%4): %5")
                           .arg(t.target.role, t.target.host)
                           .arg(t.target.port)
                           .arg(protocolWords(t.target.protocol),
                               t.passed ? QStringLiteral("passed") : QStringLiteral("failed"));
        if (t.tcpMs >= 0)
            line += QStringLiteral(", TCP %1 ms").arg(t.tcpMs);
        if (t.tls.ok)
            line += QStringLiteral(", %1 issued by %2").arg(t.tls.protocol, t.tls.issuer);
        if (!t.proxy.isEmpty())
            line += QStringLiteral(", through %1").arg(t.proxy);
        evidence << line;
    }
    if (report.clockSkewSeconds)
        evidence << QStringLiteral("this clock is %1 s off the servers'").arg(*report.clockSkewSeconds);

    for (const auto& t : report.targets) {
        if (t.passed)
            continue;
        DiagnosisFinding f;
        f.code = t.code.isEmpty() ? QStringLiteral("netcheck-failed") : t.code;
        f.severity = Severity::Error;
        f.title = QStringLiteral("%1:%2 (%3) not reachable from this network")
                      .arg(t.target.host)
                      .arg(t.target.port)
                      .arg(protocolWords(t.target.protocol));
        f.explanation = t.detail;
        f.mitigation = t.mitigation;
        check.findings.push_back(f);
    }
    if (report.clockSkewSeconds) {
        const QString problem = clockSkewProblem(*report.clockSkewSeconds, ClockSkewBoundSeconds);
        if (!problem.isEmpty()) {
            DiagnosisFinding f;
            f.code = QStringLiteral("clock-skew");
            f.severity = Severity::Error;
            f.title = QStringLiteral("This clock is %1 s off").arg(*report.clockSkewSeconds);
            f.mitigation = problem;
            check.findings.push_back(f);
        }
    }
    if (check.findings.empty()) {
        check.status = DiagnosisCheck::Status::Passed;
        check.summary = QStringLiteral("Every target was reachable from this network, with a trusted TLS chain.");
        DiagnosisFinding f;
        f.code = QStringLiteral("netcheck-passed");
        f.severity = Severity::Info;
        f.title = QStringLiteral("All reachable");
        f.evidence = evidence;
        check.findings.push_back(f);
    } else {
        check.status = DiagnosisCheck::Status::Failed;
        check.summary = report.verdictLines().join(QLatin1Char(' '));
        check.findings.front().evidence = evidence;
    }
    return check;
}

} // namespace iotc
