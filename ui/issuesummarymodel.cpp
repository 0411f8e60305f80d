#include "issuesummarymodel.h"

#include "screenshotsafe.h"

#include "knowledge/advice.h"
#include "knowledge/knowledgebase.h"

#include <QColor>
#include <QDateTime>

namespace iotc {

namespace {

QString when(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm:ss")) : QString();
}

} // namespace

void IssueSummaryModel::setDevice(const QString& deviceId)
{
    beginResetModel();
    m_device = deviceId;
    m_groups.clear();
    m_index.clear();
    endResetModel();
}

IssueSummaryModel::Group& IssueSummaryModel::groupFor(const QString& code, const QString& source, bool& inserted)
{
    const QString key = source + QLatin1Char('/') + code;
    if (auto it = m_index.constFind(key); it != m_index.cend()) {
        inserted = false;
        return m_groups[static_cast<size_t>(*it)];
    }
    inserted = true;
    const int row = static_cast<int>(m_groups.size());
    beginInsertRows({}, row, row);
    m_index.insert(key, row);
    Group g;
    g.code = code;
    g.source = source;
    g.advice = QString::fromStdString(issueAdviceText(code.toStdString()));
    m_groups.push_back(g);
    endInsertRows();
    return m_groups.back();
}

void IssueSummaryModel::append(const ObservationBatch& batch)
{
    if (!batch)
        return;
    bool changed = false;
    for (const auto& o : *batch) {
        if (o.event.deviceId != m_device)
            continue;
        for (const auto& i : o.issues) {
            bool inserted = false;
            groupFor(QString::fromStdString(i.code), tr("messages"), inserted).add(i, o.event.enqueuedMs);
            changed = true;
        }
    }
    if (changed && !m_groups.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void IssueSummaryModel::addDiagnosis(const Diagnosis& d)
{
    if (d.deviceId != m_device)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto& check : d.checks) {
        for (const auto& f : check.findings) {
            bool inserted = false;
            Group& g = groupFor(f.code, tr("diagnosis"), inserted);
            g.severity = f.severity;
            ++g.count;
            if (g.firstMs == 0)
                g.firstMs = now;
            g.lastMs = now;
            g.example = f.title + (f.evidence.isEmpty() ? QString() : QStringLiteral(" — ") + f.evidence.first());
            g.advice = f.explanation + (f.mitigation.isEmpty() ? QString() : tr(" What to do: ") + f.mitigation);
        }
    }
    if (!m_groups.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int IssueSummaryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_groups.size());
}

int IssueSummaryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IssueSummaryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Group& g = m_groups[static_cast<size_t>(index.row())];
    if (role == Qt::ToolTipRole)
        return displaySafe(g.example + QStringLiteral("\n\n") + g.advice);
    if (role == Qt::ForegroundRole && index.column() == SeverityColumn)
        return g.severity == Severity::Error  ? QColor(0xb42318)
            : g.severity == Severity::Warning ? QColor(0x9a6700)
                                              : QColor(0x0969da);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SeverityColumn:
        return QString((g.severity == Severity::Error            ? QStringLiteral("✖ ")
                               : g.severity == Severity::Warning ? QStringLiteral("⚠ ")
                                                                 : QStringLiteral("ℹ "))
            + QString::fromLatin1(severityName(g.severity)));
    case CodeColumn:
        return g.code;
    case CountColumn:
        return g.count;
    case FirstColumn:
        return when(g.firstMs);
    case LastColumn:
        return when(g.lastMs);
    case ExampleColumn:
        return displaySafe(g.example);
    case AdviceColumn:
        return g.advice;
    }
    return {};
}

QVariant IssueSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case CodeColumn:
        return tr("Code");
    case CountColumn:
        return tr("Count");
    case FirstColumn:
        return tr("First seen (UTC)");
    case LastColumn:
        return tr("Last seen (UTC)");
    case ExampleColumn:
        return tr("Example");
    case AdviceColumn:
        return tr("What it means / what to do");
    }
    return {};
}

} // namespace iotc
