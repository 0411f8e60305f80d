#include "deviceactivitymodel.h"

#include <QColor>
#include <QSet>

namespace iotc {

void DeviceActivityModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    endResetModel();
}

void DeviceActivityModel::append(const ObservationBatch& batch)
{
    if (!batch || batch->empty())
        return;
    std::vector<Row> fresh;
    QHash<QString, size_t> freshIndex;
    QSet<int> changed;
    for (const auto& o : *batch) {
        Row* row;
        if (auto it = m_index.constFind(o.event.deviceId); it != m_index.cend()) {
            row = &m_rows[static_cast<size_t>(*it)];
            changed.insert(*it);
        } else if (auto jt = freshIndex.constFind(o.event.deviceId); jt != freshIndex.cend()) {
            row = &fresh[*jt];
        } else {
            freshIndex.insert(o.event.deviceId, fresh.size());
            fresh.push_back(Row { o.event.deviceId, 0, 0, {} });
            row = &fresh.back();
        }
        ++row->messages;
        bool problem = false;
        for (const auto& i : o.issues) {
            problem = problem || i.severity >= Severity::Warning;
            ++row->codes[i.code];
        }
        row->problems += problem;
    }
    // Only the rows that changed: a sorted view re-sorts what it is told about.
    for (int row : changed)
        Q_EMIT dataChanged(index(row, MessagesColumn), index(row, TopIssueColumn));
    if (!fresh.empty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        for (auto& r : fresh) {
            m_index.insert(r.device, static_cast<int>(m_rows.size()));
            m_rows.push_back(std::move(r));
        }
        endInsertRows();
    }
}

QString DeviceActivityModel::deviceAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].device : QString();
}

int DeviceActivityModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DeviceActivityModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceActivityModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    if (role == Qt::ForegroundRole && index.column() == ProblemsColumn && r.problems > 0)
        return QColor(0xb42318);
    if (role == Qt::EditRole) { // what sorting compares: numbers as numbers
        if (index.column() == MessagesColumn)
            return r.messages;
        if (index.column() == ProblemsColumn)
            return r.problems;
        return data(index, Qt::DisplayRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case DeviceColumn:
        return r.device;
    case MessagesColumn:
        return r.messages;
    case ProblemsColumn:
        return r.problems > 0 ? QStringLiteral("✖ %1").arg(r.problems) : QStringLiteral("0");
    case TopIssueColumn: {
        const auto top = std::max_element(
            r.codes.begin(), r.codes.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        return top == r.codes.end()
            ? QString()
            : QStringLiteral("%1 (%2)").arg(QString::fromStdString(top->first)).arg(top->second);
    }
    }
    return {};
}

QVariant DeviceActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DeviceColumn:
        return tr("Device");
    case MessagesColumn:
        return tr("Messages");
    case ProblemsColumn:
        return tr("With problems");
    case TopIssueColumn:
        return tr("Most frequent issue");
    }
    return {};
}

} // namespace iotc
