#include "latestvaluesmodel.h"

#include "screenshotsafe.h"

#include <QColor>
#include <QDateTime>
#include <climits>

namespace iotc {

LatestValuesModel::LatestValuesModel(size_t historyPerField, QObject* parent)
    : QAbstractTableModel(parent)
    , m_history(std::max<size_t>(2, historyPerField))
{
}

void LatestValuesModel::setDevice(const QString& deviceId)
{
    beginResetModel();
    m_device = deviceId;
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

void LatestValuesModel::append(const ObservationBatch& batch)
{
    if (!batch)
        return;
    int minChanged = INT_MAX;
    int maxChanged = -1;
    std::vector<Row> fresh;
    QHash<QString, size_t> freshIndex;
    for (const auto& o : *batch) {
        if (o.event.deviceId != m_device || o.fields.empty())
            continue;
        for (const auto& f : o.fields) {
            const QString key = o.event.component.isEmpty() ? f.name : o.event.component + QLatin1Char('/') + f.name;
            Row* row = nullptr;
            if (auto it = m_index.constFind(key); it != m_index.cend()) {
                row = &m_rows[static_cast<size_t>(*it)];
                minChanged = std::min(minChanged, *it);
                maxChanged = std::max(maxChanged, *it);
            } else if (auto jt = freshIndex.constFind(key); jt != freshIndex.cend()) {
                row = &fresh[*jt];
            } else {
                freshIndex.insert(key, fresh.size());
                Row r;
                r.key = key;
                r.component = o.event.component;
                r.name = f.name;
                fresh.push_back(std::move(r));
                row = &fresh.back();
            }
            row->value = f.text;
            row->updatedMs = o.event.enqueuedMs;
            row->state.clear();
            row->note.clear();
            for (const auto& i : o.issues) {
                if (QString::fromStdString(i.path) != f.name)
                    continue;
                row->state
                    = i.code == codes::UnmodeledCapability ? QStringLiteral("unmodeled") : QStringLiteral("mismatch");
                row->note = QString::fromStdString(i.message)
                    + (i.suggestion ? QStringLiteral(" — ") + QString::fromStdString(*i.suggestion) : QString());
            }
            if (f.number) {
                row->numeric = true;
                row->history.emplace_back(static_cast<double>(o.event.enqueuedMs), *f.number);
                while (row->history.size() > m_history)
                    row->history.pop_front();
            }
        }
    }
    if (maxChanged >= 0)
        Q_EMIT dataChanged(index(minChanged, 0), index(maxChanged, ColumnCount - 1));
    if (!fresh.empty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        for (auto& r : fresh) {
            m_index.insert(r.key, static_cast<int>(m_rows.size()));
            m_rows.push_back(std::move(r));
        }
        endInsertRows();
    }
}

QString LatestValuesModel::keyAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].key : QString();
}

int LatestValuesModel::rowOfKey(const QString& key) const
{
    return m_index.value(key, -1);
}

const std::deque<QPointF>* LatestValuesModel::history(const QString& key) const
{
    const int row = rowOfKey(key);
    return row < 0 ? nullptr : &m_rows[static_cast<size_t>(row)].history;
}

QString LatestValuesModel::firstNumericKey() const
{
    for (const auto& r : m_rows)
        if (r.numeric && r.state.isEmpty())
            return r.key;
    for (const auto& r : m_rows)
        if (r.numeric)
            return r.key;
    return {};
}

int LatestValuesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LatestValuesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LatestValuesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    if (role == KeyRole)
        return r.key;
    if (role == NumericRole)
        return r.numeric;
    if (role == Qt::ToolTipRole)
        return r.note.isEmpty() ? (r.numeric ? tr("Click to plot %1").arg(r.key) : QString()) : r.note;
    if (role == Qt::ForegroundRole && index.column() == StateColumn)
        return r.state.isEmpty()                    ? QColor(0x1a7f37)
            : r.state == QLatin1String("unmodeled") ? QColor(0x9a6700)
                                                    : QColor(0xb42318);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case FieldColumn:
        return r.name;
    case ComponentColumn:
        return r.component;
    case ValueColumn:
        return displaySafe(r.value);
    case UpdatedColumn:
        return QDateTime::fromMSecsSinceEpoch(r.updatedMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
    case StateColumn:
        return r.state.isEmpty()                    ? tr("✔ modeled")
            : r.state == QLatin1String("unmodeled") ? tr("⚠ unmodeled")
                                                    : tr("✖ mismatch");
    }
    return {};
}

QVariant LatestValuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FieldColumn:
        return tr("Field");
    case ComponentColumn:
        return tr("Component");
    case ValueColumn:
        return tr("Latest value");
    case UpdatedColumn:
        return tr("Updated (UTC)");
    case StateColumn:
        return tr("Template");
    }
    return {};
}

} // namespace iotc
