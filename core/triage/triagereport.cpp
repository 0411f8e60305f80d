#include "triagereport.h"

#include "knowledge/advice.h"
#include "report/csvtext.h"
#include "util/redact.h"

#include <QDateTime>
#include <QFile>
#include <QLocale>

#include <algorithm>

namespace iotc {

namespace {

QString md(const QString& s)
{
    QString out = redactSecrets(s);
    out.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    out.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return out;
}

QString html(const QString& s)
{
    return redactSecrets(s).toHtmlEscaped();
}

QString iso(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QStringLiteral("never");
}

QString whatToDo(const QString& cause)
{
    const Advice* a = adviceFor(AdviceKind::Cause, cause.toStdString());
    return a ? QString::fromStdString(a->whatToDo) : QString();
}

// Causes by how many devices they hit, most first.
std::vector<std::pair<QString, int>> causesByCount(const TriageResult& r)
{
    std::vector<std::pair<QString, int>> causes(r.byCause.begin(), r.byCause.end());
    std::stable_sort(causes.begin(), causes.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return causes;
}

} // namespace

QString triageCauseTitle(const QString& cause)
{
    if (cause == QLatin1String(HealthyCause))
        return QStringLiteral("Healthy");
    const Advice* a = adviceFor(AdviceKind::Cause, cause.toStdString());
    return a ? QString::fromStdString(a->title) : cause;
}

QString triageCountsLine(const TriageResult& r)
{
    const QLocale locale(QLocale::English);
    QString line = QStringLiteral("%1 device%2: %3 healthy")
                       .arg(locale.toString(static_cast<qlonglong>(r.devices.size())),
                           r.devices.size() == 1 ? QString() : QStringLiteral("s"), locale.toString(r.healthy));
    for (const auto& [cause, n] : causesByCount(r))
        line += QStringLiteral(", %1 %2").arg(
            locale.toString(n), QString(cause).replace(QLatin1Char('-'), QLatin1Char(' ')));
    return line;
}

QString triageToMarkdown(const TriageResult& r, const QString& application, int maxDevices)
{
    QString out = QStringLiteral("# Fleet triage: %1\n\n%2\n\n").arg(md(application), md(triageCountsLine(r)));
    if (!r.byCause.empty()) {
        out += QStringLiteral("| Cause | Devices | What to do |\n|---|---:|---|\n");
        for (const auto& [cause, n] : causesByCount(r))
            out += QStringLiteral("| %1 (`%2`) | %3 | %4 |\n")
                       .arg(md(triageCauseTitle(cause)), cause)
                       .arg(n)
                       .arg(md(whatToDo(cause)));
        out += QStringLiteral(
            "\n| Device | Cause | Severity | Last seen | Messages | Evidence |\n|---|---|---|---|---:|---|\n");
        int shown = 0;
        for (const auto& d : r.devices) {
            if (d.cause == QLatin1String(HealthyCause))
                continue;
            if (shown++ >= maxDevices)
                break;
            out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                       .arg(md(d.deviceId), d.cause, QLatin1String(triageSeverityName(d.severity)), iso(d.lastSeenMs))
                       .arg(d.messages)
                       .arg(md(d.evidence));
        }
        const int problems = static_cast<int>(r.devices.size()) - r.healthy;
        if (problems > maxDevices)
            out += QStringLiteral("\n… and %1 more device(s) with problems (export CSV for all).\n")
                       .arg(problems - maxDevices);
    }
    return out;
}

QString triageToHtml(const TriageResult& r, const QString& application, int maxDevices)
{
    QString out = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Fleet triage</title>"
                                 "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
                                 "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>\n");
    out += QStringLiteral("<h1>Fleet triage: %1</h1>\n<p>%2</p>\n").arg(html(application), html(triageCountsLine(r)));
    if (!r.byCause.empty()) {
        out += QStringLiteral("<table><tr><th>Cause</th><th>Devices</th><th>What to do</th></tr>\n");
        for (const auto& [cause, n] : causesByCount(r))
            out += QStringLiteral("<tr><td>%1 (<code>%2</code>)</td><td>%3</td><td>%4</td></tr>\n")
                       .arg(html(triageCauseTitle(cause)), html(cause))
                       .arg(n)
                       .arg(html(whatToDo(cause)));
        out += QStringLiteral("</table>\n<h2>Devices with problems</h2>\n<table><tr><th>Device</th><th>Cause</th>"
                              "<th>Severity</th><th>Last seen</th><th>Messages</th><th>Evidence</th></tr>\n");
        int shown = 0;
        for (const auto& d : r.devices) {
            if (d.cause == QLatin1String(HealthyCause))
                continue;
            if (shown++ >= maxDevices)
                break;
            out += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>\n")
                       .arg(html(d.deviceId), html(d.cause), QLatin1String(triageSeverityName(d.severity)),
                           iso(d.lastSeenMs))
                       .arg(d.messages)
                       .arg(html(d.evidence));
        }
        out += QStringLiteral("</table>\n");
    }
    return out + QStringLiteral("</body></html>\n");
}

QString triageToCsv(const TriageResult& r, bool includeHealthy)
{
    QString out = csvRecord({ QStringLiteral("deviceId"), QStringLiteral("displayName"), QStringLiteral("cause"),
        QStringLiteral("severity"), QStringLiteral("lastSeen"), QStringLiteral("messages"), QStringLiteral("evidence"),
        QStringLiteral("mitigation") });
    for (const auto& d : r.devices) {
        if (!includeHealthy && d.cause == QLatin1String(HealthyCause))
            continue;
        out += csvRecord({ redactSecrets(d.deviceId), redactSecrets(d.displayName), d.cause,
            QLatin1String(triageSeverityName(d.severity)), d.lastSeenMs > 0 ? iso(d.lastSeenMs) : QString(),
            QString::number(d.messages), redactSecrets(d.evidence), d.mitigation });
    }
    return out;
}

bool writeTriageReport(const TriageResult& r, const QString& application, const QString& path, QString& error)
{
    QString text;
    if (path.endsWith(QLatin1String(".md")))
        text = triageToMarkdown(r, application);
    else if (path.endsWith(QLatin1String(".html")) || path.endsWith(QLatin1String(".htm")))
        text = triageToHtml(r, application);
    else if (path.endsWith(QLatin1String(".csv")))
        text = triageToCsv(r, true);
    else {
        error = QStringLiteral("the file must end in .md, .html or .csv");
        return false;
    }
    QFile f(path);
    const QByteArray bytes = text.toUtf8();
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size() || !f.flush()) {
        error = QStringLiteral("%1 could not be written: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace iotc
