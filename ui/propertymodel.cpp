#include "propertymodel.h"

#include "screenshotsafe.h"

#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>

namespace iotc {

namespace {

QString jsonText(const QJsonValue& v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isString())
        return QLatin1Char('"') + v.toString() + QLatin1Char('"');
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 12);
    return v.isNull() ? QStringLiteral("null") : QString();
}

} // namespace

QString syncText(SyncState s)
{
    switch (s) {
    case SyncState::None:
        return {};
    case SyncState::Pending:
        return QObject::tr("⏳ Pending");
    case SyncState::Accepted:
        return QObject::tr("✔ Accepted");
    case SyncState::Rejected:
        return QObject::tr("✖ Rejected");
    case SyncState::Stale:
        return QObject::tr("⌛ Stale (no acknowledgement)");
    }
    return {};
}

void PropertyModel::setView(const PropertyView& view)
{
    const bool sameShape = view.snapshot.properties.size() == m_view.snapshot.properties.size()
        && std::equal(view.snapshot.properties.begin(), view.snapshot.properties.end(),
            m_view.snapshot.properties.begin(),
            [](const PropertyState& a, const PropertyState& b) { return a.key() == b.key(); });
    if (sameShape) {
        m_view = view;
        if (!m_view.snapshot.properties.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_view = view;
    endResetModel();
}

void PropertyModel::clear()
{
    beginResetModel();
    m_view = {};
    endResetModel();
}

int PropertyModel::rowOfKey(const QString& key) const
{
    for (int i = 0; i < m_view.snapshot.properties.size(); ++i)
        if (m_view.snapshot.properties[i].key() == key)
            return i;
    return -1;
}

SyncState PropertyModel::syncOf(const QString& key) const
{
    const auto* p = m_view.snapshot.find(key);
    return p ? p->sync : SyncState::None;
}

QString PropertyModel::validationOf(const PropertyState& p) const
{
    QStringList out;
    for (const auto& i : m_view.issues) {
        const QString path = QString::fromStdString(i.path);
        if (path == p.name || path == p.key() || path == p.component + QLatin1Char('.') + p.name
            || path.startsWith(p.name + QLatin1Char('.'))) {
            QString text
                = QStringLiteral("%1: %2").arg(QString::fromStdString(i.code), QString::fromStdString(i.message));
            if (i.suggestion)
                text += QStringLiteral(" — ") + QString::fromStdString(*i.suggestion);
            out << text;
        }
    }
    return out.join(QLatin1Char('\n'));
}

int PropertyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_view.snapshot.properties.size());
}

int PropertyModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PropertyModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const PropertyState& p = m_view.snapshot.properties[index.row()];
    if (role == Qt::ForegroundRole) {
        if (index.column() == SyncColumn)
            return p.sync == SyncState::Accepted                              ? QColor(0x1a7f37)
                : p.sync == SyncState::Rejected || p.sync == SyncState::Stale ? QColor(0xb42318)
                                                                              : QColor(0x9a6700);
        if (index.column() == ValidationColumn)
            return QColor(0xb42318);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == ValidationColumn || index.column() == NameColumn)
            return validationOf(p);
        if (index.column() == AckColumn)
            return p.ackDescription;
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ComponentColumn:
        return p.component.isEmpty() ? tr("(root)") : p.component;
    case NameColumn:
        return p.name;
    case ReportedColumn:
        return p.hasReported ? displaySafe(jsonText(p.reported)) : tr("(not reported)");
    case DesiredColumn:
        return p.desired ? displaySafe(jsonText(*p.desired)) : QString();
    case VersionColumn:
        if (!p.desiredVersion)
            return QString();
        return tr("desired v%1 / ack v%2")
            .arg(*p.desiredVersion)
            .arg(p.ackVersion ? QString::number(*p.ackVersion) : QStringLiteral("—"));
    case AckColumn:
        if (!p.ackCode)
            return QString();
        return QString(QString::number(*p.ackCode)
            + (p.ackDescription.isEmpty() ? QString() : QString(QStringLiteral(" ") + p.ackDescription)));
    case SyncColumn:
        return syncText(p.sync);
    case UpdatedColumn:
        return p.lastUpdateTime;
    case ValidationColumn: {
        const QString v = validationOf(p);
        return v.isEmpty() ? QString() : QString(QStringLiteral("⚠ ") + v.section(QLatin1Char('\n'), 0, 0));
    }
    }
    return {};
}

QVariant PropertyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ComponentColumn:
        return tr("Component");
    case NameColumn:
        return tr("Property");
    case ReportedColumn:
        return tr("Reported");
    case DesiredColumn:
        return tr("Desired");
    case VersionColumn:
        return tr("Versions");
    case AckColumn:
        return tr("Ack");
    case SyncColumn:
        return tr("Sync state");
    case UpdatedColumn:
        return tr("Last update");
    case ValidationColumn:
        return tr("Validation");
    }
    return {};
}

} // namespace iotc
