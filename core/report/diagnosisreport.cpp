#include "diagnosisreport.h"

#include "util/redact.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace iotc {

namespace {

QString r(const QString& s)
{
    return redactSecrets(s);
}

QJsonArray strings(const QStringList& list)
{
    QJsonArray a;
    for (const auto& s : list)
        a.append(r(s));
    return a;
}

QString html(const QString& s)
{
    return r(s).toHtmlEscaped();
}

QString md(const QString& s)
{
    QString out = r(s);
    out.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    out.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return out;
}

const char* statusIcon(DiagnosisCheck::Status s)
{
    switch (s) {
    case DiagnosisCheck::Status::Passed:
        return "✔ passed";
    case DiagnosisCheck::Status::Warning:
        return "⚠ warning";
    case DiagnosisCheck::Status::Failed:
        return "✖ failed";
    case DiagnosisCheck::Status::Skipped:
        return "– skipped";
    }
    return "";
}

} // namespace

QJsonObject diagnosisToJson(const Diagnosis& d)
{
    QJsonArray causes;
    for (const auto& c : d.causes)
        causes.append(QJsonObject { { QStringLiteral("code"), c.code }, { QStringLiteral("title"), r(c.title) },
            { QStringLiteral("mitigation"), r(c.mitigation) }, { QStringLiteral("evidence"), strings(c.evidence) } });
    QJsonArray checks;
    for (const auto& check : d.checks) {
        QJsonArray findings;
        for (const auto& f : check.findings)
            findings.append(QJsonObject { { QStringLiteral("code"), f.code },
                { QStringLiteral("severity"), QString::fromLatin1(severityName(f.severity)) },
                { QStringLiteral("title"), r(f.title) }, { QStringLiteral("explanation"), r(f.explanation) },
                { QStringLiteral("mitigation"), r(f.mitigation) },
                { QStringLiteral("evidence"), strings(f.evidence) } });
        checks.append(QJsonObject { { QStringLiteral("id"), check.id }, { QStringLiteral("title"), check.title },
            { QStringLiteral("status"), QString::fromLatin1(checkStatusName(check.status)) },
            { QStringLiteral("summary"), r(check.summary) }, { QStringLiteral("findings"), findings } });
    }
    QJsonArray samples;
    for (const auto& s : d.samples)
        samples.append(QJsonObject { { QStringLiteral("enqueuedTime"), s.enqueuedTime },
            { QStringLiteral("component"), s.component }, { QStringLiteral("module"), s.module },
            { QStringLiteral("body"), r(s.body) },
            { QStringLiteral("issues"), QJsonArray::fromStringList(s.issues) } });
    QJsonObject verdict { { QStringLiteral("healthy"), d.healthy() }, { QStringLiteral("causes"), causes } };
    if (d.healthy())
        verdict.insert(QStringLiteral("summary"), d.healthySummary);
    return { { QStringLiteral("deviceId"), d.deviceId }, { QStringLiteral("application"), r(d.application) },
        { QStringLiteral("generatedAt"), d.generatedAt }, { QStringLiteral("toolVersion"), d.toolVersion },
        { QStringLiteral("verdict"), verdict }, { QStringLiteral("checks"), checks },
        { QStringLiteral("samples"), samples } };
}

QString diagnosisToMarkdown(const Diagnosis& d)
{
    QString out;
    out += QStringLiteral("# Diagnosis of device `%1`\n\n").arg(md(d.deviceId));
    out += QStringLiteral("Application: %1  \nGenerated: %2 (UTC) by iotc-workbench %3\n\n")
               .arg(md(d.application), d.generatedAt, d.toolVersion);
    out += QStringLiteral("## Verdict\n\n");
    if (d.healthy()) {
        out += QStringLiteral("**Healthy.** ") + md(d.healthySummary) + QStringLiteral("\n\n");
    } else {
        int n = 1;
        for (const auto& c : d.causes) {
            out += QStringLiteral("%1. **%2** (`%3`)  \n   What to do: %4\n")
                       .arg(n++)
                       .arg(md(c.title), c.code, md(c.mitigation));
            for (const auto& e : c.evidence)
                out += QStringLiteral("   - evidence: %1\n").arg(md(e));
        }
        out += QLatin1Char('\n');
    }
    out += QStringLiteral("## Checks\n\n| Check | Result | Summary |\n|---|---|---|\n");
    for (const auto& check : d.checks)
        out += QStringLiteral("| %1 | %2 | %3 |\n")
                   .arg(md(check.title), QString::fromUtf8(statusIcon(check.status)), md(check.summary));
    for (const auto& check : d.checks) {
        if (check.findings.empty())
            continue;
        out += QStringLiteral("\n### %1\n\n").arg(md(check.title));
        for (const auto& f : check.findings) {
            out += QStringLiteral("- **%1** `%2` (%3): %4")
                       .arg(md(f.title), f.code, QString::fromLatin1(severityName(f.severity)), md(f.explanation));
            if (!f.mitigation.isEmpty())
                out += QStringLiteral(" — %1").arg(md(f.mitigation));
            out += QLatin1Char('\n');
            for (const auto& e : f.evidence)
                out += QStringLiteral("  - %1\n").arg(md(e));
        }
    }
    if (!d.samples.empty()) {
        out += QStringLiteral("\n## Sample messages with problems\n\n");
        for (const auto& s : d.samples) {
            out += QStringLiteral("- %1 %2%3 — %4\n\n  ```\n  %5\n  ```\n")
                       .arg(s.enqueuedTime,
                           s.component.isEmpty() ? QString() : QStringLiteral("component ") + s.component,
                           s.module.isEmpty() ? QString() : QStringLiteral(" module ") + s.module,
                           s.issues.join(QStringLiteral(", ")), r(s.body));
        }
    }
    return out;
}

QString diagnosisToHtml(const Diagnosis& d)
{
    QString out = QStringLiteral(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Diagnosis of %1</title><style>"
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid "
        "#999;padding:.3em;text-align:left;vertical-align:top}"
        ".failed{color:#a00}.warning{color:#850}.passed{color:#070}pre{background:#f4f4f4;padding:.5em;white-space:pre-"
        "wrap}"
        "@media print{body{margin:0}}</style></head><body>")
                      .arg(html(d.deviceId));
    out += QStringLiteral("<h1>Diagnosis of device <code>%1</code></h1><p>Application: %2<br>Generated: %3 (UTC) by "
                          "iotc-workbench %4</p>")
               .arg(html(d.deviceId), html(d.application), d.generatedAt, d.toolVersion);
    out += QStringLiteral("<h2>Verdict</h2>");
    if (d.healthy()) {
        out += QStringLiteral("<p class=\"passed\"><strong>✔ Healthy.</strong> %1</p>").arg(html(d.healthySummary));
    } else {
        out += QStringLiteral("<ol>");
        for (const auto& c : d.causes) {
            out += QStringLiteral("<li><strong class=\"failed\">✖ %1</strong> (<code>%2</code>)<br>What to do: %3<ul>")
                       .arg(html(c.title), c.code, html(c.mitigation));
            for (const auto& e : c.evidence)
                out += QStringLiteral("<li>%1</li>").arg(html(e));
            out += QStringLiteral("</ul></li>");
        }
        out += QStringLiteral("</ol>");
    }
    out += QStringLiteral("<h2>Checks</h2><table><tr><th>Check</th><th>Result</th><th>Summary</th></tr>");
    for (const auto& check : d.checks)
        out += QStringLiteral("<tr><td>%1</td><td class=\"%2\">%3</td><td>%4</td></tr>")
                   .arg(html(check.title), QString::fromLatin1(checkStatusName(check.status)),
                       QString::fromUtf8(statusIcon(check.status)), html(check.summary));
    out += QStringLiteral("</table>");
    for (const auto& check : d.checks) {
        if (check.findings.empty())
            continue;
        out += QStringLiteral("<h3>%1</h3><ul>").arg(html(check.title));
        for (const auto& f : check.findings)
            out += QStringLiteral("<li><strong>%1</strong> <code>%2</code> (%3): %4 %5</li>")
                       .arg(html(f.title), f.code, QString::fromLatin1(severityName(f.severity)), html(f.explanation),
                           html(f.mitigation));
        out += QStringLiteral("</ul>");
    }
    if (!d.samples.empty()) {
        out += QStringLiteral("<h2>Sample messages with problems</h2>");
        for (const auto& s : d.samples)
            out += QStringLiteral("<p>%1 %2 — %3</p><pre>%4</pre>")
                       .arg(s.enqueuedTime, html(s.component), s.issues.join(QStringLiteral(", ")), html(s.body));
    }
    out += QStringLiteral("</body></html>\n");
    return out;
}

QString diagnosisToText(const Diagnosis& d)
{
    QString out = QStringLiteral("Device %1: ").arg(d.deviceId);
    if (d.healthy())
        out += QStringLiteral("healthy. ") + d.healthySummary + QLatin1Char('\n');
    else
        out += QStringLiteral("%1 likely cause(s)\n").arg(d.causes.size());
    int n = 1;
    for (const auto& c : d.causes) {
        out += QStringLiteral("  %1. %2 [%3]\n     what to do: %4\n").arg(n++).arg(r(c.title), c.code, r(c.mitigation));
        for (const auto& e : c.evidence)
            out += QStringLiteral("     - %1\n").arg(r(e));
    }
    out += QStringLiteral("Checks:\n");
    for (const auto& check : d.checks)
        out += QStringLiteral("  %1  %2: %3\n")
                   .arg(QString::fromUtf8(statusIcon(check.status)), check.title, r(check.summary));
    return out;
}

bool writeDiagnosisReport(const Diagnosis& d, const QString& path, QString& error)
{
    QByteArray bytes;
    if (path.endsWith(QStringLiteral(".md")))
        bytes = diagnosisToMarkdown(d).toUtf8();
    else if (path.endsWith(QStringLiteral(".html")) || path.endsWith(QStringLiteral(".htm")))
        bytes = diagnosisToHtml(d).toUtf8();
    else if (path.endsWith(QStringLiteral(".json")))
        bytes = QJsonDocument(diagnosisToJson(d)).toJson(QJsonDocument::Indented);
    else {
        error = QStringLiteral("the report file must end in .md, .html or .json");
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) {
        error = QStringLiteral("cannot write ") + path + QStringLiteral(": ") + f.errorString();
        return false;
    }
    return true;
}

} // namespace iotc
