#include "devicelistmodel.h"

#include <QColor>
#include <QDateTime>
#include <QTimer>

namespace iotc {

QString statusText(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Provisioned:
        return QObject::tr("Provisioned");
    case DeviceStatus::Registered:
        return QObject::tr("Registered");
    case DeviceStatus::Blocked:
        return QObject::tr("Blocked");
    case DeviceStatus::BlockedOrWaitingForApproval:
        return QObject::tr("Blocked or waiting for approval");
    case DeviceStatus::Unassigned:
        return QObject::tr("Unassigned");
    }
    return {};
}

QString statusGlyph(DeviceStatus status)
{
    switch (status) {
    case DeviceStatus::Provisioned:
        return QStringLiteral("✔");
    case DeviceStatus::Registered:
        return QStringLiteral("◌");
    case DeviceStatus::Blocked:
        return QStringLiteral("✖");
    case DeviceStatus::BlockedOrWaitingForApproval:
        return QStringLiteral("⊘");
    case DeviceStatus::Unassigned:
        return QStringLiteral("?");
    }
    return {};
}

void DeviceListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    for (auto& shard : m_index)
        shard.clear();
    m_templates.clear();
    m_pendingProblems.clear();
    std::fill(std::begin(m_counts), std::end(m_counts), 0);
    endResetModel();
}

void DeviceListModel::appendDevices(const QList<Device>& devices)
{
    std::vector<Row> fresh;
    fresh.reserve(static_cast<size_t>(devices.size()));
    QHash<QString, size_t> freshIndex; // a device listed twice in one flush is one row
    for (const auto& d : devices) {
        if (auto f = freshIndex.constFind(d.id); f != freshIndex.cend()) {
            fresh[*f] = Row { d, deviceStatus(d) };
            continue;
        }
        const auto& shard = shardOf(d.id);
        if (auto it = shard.constFind(d.id); it != shard.cend()) {
            // Listed again (a re-list while paging): refresh in place.
            auto& row = m_rows[static_cast<size_t>(*it)];
            --m_counts[static_cast<int>(row.status)];
            if (--m_templates[row.device.templateId] <= 0)
                m_templates.remove(row.device.templateId);
            ++m_templates[d.templateId];
            row.device = d;
            row.status = deviceStatus(d);
            ++m_counts[static_cast<int>(row.status)];
            Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
            continue;
        }
        freshIndex.insert(d.id, fresh.size());
        fresh.push_back(Row { d, deviceStatus(d) });
    }
    if (fresh.empty())
        return;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    for (auto& r : fresh) {
        shardOf(r.device.id).insert(r.device.id, static_cast<int>(m_rows.size()));
        ++m_counts[static_cast<int>(r.status)];
        ++m_templates[r.device.templateId];
        m_rows.push_back(std::move(r));
    }
    endInsertRows();
}

void DeviceListModel::noteActivity(const QHash<QString, QPair<int, qint64>>& activity)
{
    for (auto it = activity.cbegin(); it != activity.cend(); ++it) {
        const int row = rowOf(it.key());
        if (row < 0)
            continue;
        auto& r = m_rows[static_cast<size_t>(row)];
        if (r.firstSeenMs == 0)
            r.firstSeenMs = it.value().second;
        r.messages += it.value().first;
        r.lastSeenMs = std::max(r.lastSeenMs, it.value().second);
        Q_EMIT dataChanged(index(row, LastSeenColumn), index(row, RateColumn));
    }
}

void DeviceListModel::applyProblems(const std::shared_ptr<const TriageSnapshot>& snapshot)
{
    if (!snapshot || snapshot->changes.empty())
        return;
    m_pendingProblems.emplace_back(snapshot, 0);
    applyPendingProblems();
}

void DeviceListModel::applyPendingProblems()
{
    int first = -1, last = -1;
    size_t budget = ProblemChunk;
    while (budget > 0 && !m_pendingProblems.empty()) {
        auto& [snapshot, at] = m_pendingProblems.front();
        const auto& changes = snapshot->changes;
        for (; at < changes.size() && budget > 0; ++at, --budget) {
            const TriageChange& c = changes[at];
            const int row = rowOf(c.deviceId);
            if (row < 0)
                continue;
            auto& r = m_rows[static_cast<size_t>(row)];
            r.problem = c.cause;
            r.problemSeverity = static_cast<int>(c.severity);
            first = first < 0 ? row : std::min(first, row);
            last = std::max(last, row);
        }
        if (at >= changes.size())
            m_pendingProblems.pop_front();
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, ProblemColumn), index(last, ProblemColumn));
    if (!m_pendingProblems.empty() && !m_problemsQueued) {
        m_problemsQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_problemsQueued = false;
            applyPendingProblems();
        });
    }
}

const Device* DeviceListModel::deviceAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<size_t>(row)].device : nullptr;
}

int DeviceListModel::rowOf(const QString& id) const
{
    return shardOf(id).value(id, -1);
}

QStringList DeviceListModel::templates() const
{
    QStringList out = m_templates.keys();
    out.sort();
    return out;
}

int DeviceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DeviceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    if (role == StatusRole)
        return static_cast<int>(r.status);
    if (role == TemplateRole)
        return r.device.templateId;
    if (role == SortRole) {
        switch (index.column()) {
        case LastSeenColumn:
            return r.lastSeenMs;
        case RateColumn:
            return r.messages;
        case ProblemColumn:
            return r.problem.isEmpty() ? -1 : r.problem == QLatin1String(HealthyCause) ? 0 : r.problemSeverity;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case IdColumn:
            return r.device.id;
        case NameColumn:
            return r.device.displayName;
        case StatusColumn:
            return QString(statusGlyph(r.status) + QLatin1Char(' ') + statusText(r.status));
        case TemplateColumn:
            return r.device.templateId.isEmpty() ? tr("(none)") : r.device.templateId;
        case LastSeenColumn:
            return r.lastSeenMs
                ? QDateTime::fromMSecsSinceEpoch(r.lastSeenMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss"))
                : QString();
        case RateColumn: {
            const qint64 span = r.lastSeenMs - r.firstSeenMs;
            if (r.messages < 2 || span <= 0)
                return r.messages ? QStringLiteral("—") : QString();
            return QString::number(static_cast<double>(r.messages - 1) * 60000.0 / static_cast<double>(span), 'f', 1);
        }
        case ProblemColumn: {
            if (r.problem.isEmpty())
                return QString();
            if (r.problem == QLatin1String(HealthyCause))
                return QStringLiteral("✔ healthy");
            const QString glyph
                = r.problemSeverity >= static_cast<int>(Severity::Error) ? QStringLiteral("✖") : QStringLiteral("⚠");
            return glyph + QLatin1Char(' ') + QString(r.problem).replace(QLatin1Char('-'), QLatin1Char(' '));
        }
        }
    }
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        switch (r.status) {
        case DeviceStatus::Provisioned:
            return QColor(0x1a7f37);
        case DeviceStatus::Blocked:
        case DeviceStatus::BlockedOrWaitingForApproval:
            return QColor(0xb42318);
        default:
            return QColor(0x9a6700);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == ProblemColumn && !r.problem.isEmpty()
        && r.problem != QLatin1String(HealthyCause))
        return r.problemSeverity >= static_cast<int>(Severity::Error) ? QColor(0xb42318) : QColor(0x9a6700);
    if (role == Qt::AccessibleTextRole && index.column() == StatusColumn)
        return statusText(r.status);
    if (role == Qt::TextAlignmentRole && index.column() == RateColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant DeviceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Device ID");
    case NameColumn:
        return tr("Display name");
    case StatusColumn:
        return tr("Status");
    case TemplateColumn:
        return tr("Template");
    case LastSeenColumn:
        return tr("Last data (UTC)");
    case RateColumn:
        return tr("Msgs/min");
    case ProblemColumn:
        return tr("Problem");
    }
    return {};
}

} // namespace iotc
