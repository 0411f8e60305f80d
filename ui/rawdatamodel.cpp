#include "rawdatamodel.h"

#include "screenshotsafe.h"

#include <QColor>
#include <QDateTime>

namespace iotc {

namespace {

bool isProblem(const Issue& i)
{
    return i.severity >= Severity::Warning;
}

QString lastSegment(const std::string& path)
{
    QString p = QString::fromStdString(path);
    const int dot = p.lastIndexOf(QLatin1Char('.'));
    if (dot >= 0)
        p = p.mid(dot + 1);
    const int bracket = p.indexOf(QLatin1Char('['));
    return bracket >= 0 ? p.left(bracket) : p;
}

} // namespace

QString messageType(const Observation& o)
{
    return o.event.messageSource.isEmpty() ? QStringLiteral("Telemetry") : o.event.messageSource;
}

QString payloadText(const Observation& o, int maxChars)
{
    // Masked before the cut, so the cut cannot part a key from its value. The byte cut ahead of it
    // only bounds the work per row; a quoted or key=value secret running into it is still hidden.
    QString text = displaySafe(QString::fromUtf8(o.event.body.left(qsizetype(maxChars) * 4)));
    if (text.size() > maxChars)
        text = text.left(maxChars) + QStringLiteral("…");
    return text;
}

QStringList unmodeledNames(const Observation& o)
{
    QStringList out;
    for (const auto& i : o.issues)
        if (i.code == codes::UnmodeledCapability || i.code == codes::EdgeUnmodeled)
            out << QString::fromStdString(i.path.empty() ? i.actual.value_or(std::string()) : i.path);
    out.removeAll(QString());
    return out;
}

QString issuesTooltip(const Observation& o)
{
    QStringList lines;
    for (const auto& i : o.issues) {
        QString line = QStringLiteral("%1 [%2]%3: %4")
                           .arg(QString::fromLatin1(severityName(i.severity)), QString::fromStdString(i.code),
                               i.path.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(i.path),
                               QString::fromStdString(i.message));
        if (i.suggestion)
            line += QStringLiteral(" — ") + QString::fromStdString(*i.suggestion);
        if (i.expected)
            line += QStringLiteral(" (expected %1").arg(QString::fromStdString(*i.expected))
                + (i.actual ? QStringLiteral(", got %1)").arg(QString::fromStdString(*i.actual)) : QStringLiteral(")"));
        lines << line;
    }
    return displaySafe(lines.join(QLatin1Char('\n')));
}

QString payloadHtml(const Observation& o, int maxChars)
{
    // Where the body stops being JSON, in characters (the validator counts bytes).
    int errorAt = -1;
    for (const auto& i : o.issues)
        if (i.code == codes::InvalidJson && i.position)
            errorAt = static_cast<int>(
                QString::fromUtf8(o.event.body.left(static_cast<qsizetype>(i.position->offset))).size());
    const QString text = payloadText(o, maxChars);
    QString html;
    if (errorAt >= 0 && errorAt <= text.size()) {
        html = text.left(errorAt).toHtmlEscaped()
            + QStringLiteral("<span style=\"background-color:#ffd7d5;color:#8c1d18\">▲ JSON error here</span>")
            + text.mid(errorAt).toHtmlEscaped();
        return html;
    }
    html = text.toHtmlEscaped();
    // Mark each named field the validator complained about, where it appears as a JSON key.
    for (const auto& i : o.issues) {
        const bool unmodeled = i.code == codes::UnmodeledCapability || i.code == codes::EdgeUnmodeled;
        const bool mismatch = i.code == codes::SchemaMismatch || i.code == codes::DuplicateCapability
            || i.code == codes::UnknownComponent;
        if ((!unmodeled && !mismatch) || i.path.empty())
            continue;
        const QString key = QStringLiteral("&quot;") + lastSegment(i.path).toHtmlEscaped() + QStringLiteral("&quot;");
        const int at = html.indexOf(key);
        if (at < 0)
            continue;
        const QString mark = unmodeled ? QStringLiteral("<span style=\"background-color:#fff1b8;color:#6b4500\">⚠ ")
                                       : QStringLiteral("<span style=\"background-color:#ffd7d5;color:#8c1d18\">✖ ");
        html.replace(at, key.size(), mark + key + QStringLiteral("</span>"));
    }
    return html;
}

RawDataModel::RawDataModel(size_t cap, QObject* parent)
    : QAbstractTableModel(parent)
    , m_cap(std::max<size_t>(1, cap))
{
}

void RawDataModel::setDeviceFilter(const QString& deviceId)
{
    m_device = deviceId;
    clear();
}

void RawDataModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_evicted = 0;
    m_total = 0;
    endResetModel();
    Q_EMIT countsChanged();
}

void RawDataModel::append(const ObservationBatch& batch)
{
    if (!batch || batch->empty())
        return;
    std::vector<quint32> keep;
    keep.reserve(m_device.isEmpty() ? batch->size() : 16);
    for (size_t i = 0; i < batch->size(); ++i)
        if (m_device.isEmpty() || (*batch)[i].event.deviceId == m_device)
            keep.push_back(static_cast<quint32>(i));
    if (keep.empty())
        return;
    m_total += keep.size();
    // A batch larger than the cap only keeps its newest rows.
    size_t skip = keep.size() > m_cap ? keep.size() - m_cap : 0;
    m_evicted += skip;
    const size_t incoming = keep.size() - skip;
    const size_t overflow = m_rows.size() + incoming > m_cap ? m_rows.size() + incoming - m_cap : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(overflow));
        m_evicted += overflow;
        endRemoveRows();
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(incoming) - 1);
    if (m_device.isEmpty()) {
        for (size_t k = skip; k < keep.size(); ++k)
            m_rows.push_back(RowRef { batch, keep[k] });
    } else {
        // A device's few rows get their own copy: sharing would keep the whole app's batch alive
        // for as long as one of its rows is shown here.
        auto own = std::make_shared<std::vector<Observation>>();
        own->reserve(keep.size() - skip);
        for (size_t k = skip; k < keep.size(); ++k)
            own->push_back((*batch)[keep[k]]);
        for (size_t k = 0; k < own->size(); ++k)
            m_rows.push_back(RowRef { own, static_cast<quint32>(k) });
    }
    endInsertRows();
    Q_EMIT countsChanged();
}

const Observation* RawDataModel::observationAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<size_t>(row)].get() : nullptr;
}

int RawDataModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RawDataModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RawDataModel::data(const QModelIndex& index, int role) const
{
    const Observation* o = index.isValid() ? observationAt(index.row()) : nullptr;
    if (!o)
        return {};
    switch (role) {
    case PayloadHtmlRole:
        return payloadHtml(*o);
    case IssueCodesRole: {
        QStringList codes;
        for (const auto& i : o->issues)
            codes << QString::fromStdString(i.code);
        codes.removeDuplicates();
        return codes;
    }
    case HasProblemsRole:
        return std::any_of(o->issues.begin(), o->issues.end(), isProblem);
    case SearchTextRole:
        return QString(o->event.deviceId + QLatin1Char('\n') + QString::fromUtf8(o->event.body.left(4096)));
    case Qt::ToolTipRole:
        if (index.column() == PayloadColumn || index.column() == UnmodeledColumn || index.column() == IssuesColumn)
            return o->issues.empty() ? tr("No issues: every field is modeled and matches its schema.")
                                     : issuesTooltip(*o);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(o->event.enqueuedMs, Qt::UTC)
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case DeviceColumn:
            return o->event.deviceId;
        case TypeColumn:
            return messageType(*o);
        case ComponentColumn:
            return o->event.component;
        case ModuleColumn:
            return o->event.moduleId;
        case PayloadColumn:
            return payloadText(*o, 200);
        case UnmodeledColumn: {
            const QStringList names = unmodeledNames(*o);
            return names.isEmpty() ? QString() : QString(QStringLiteral("⚠ ") + names.join(QStringLiteral(", ")));
        }
        case IssuesColumn: {
            QStringList codes;
            for (const auto& i : o->issues) {
                QString c = QString::fromStdString(i.code);
                if (i.position)
                    c += QStringLiteral(" (line %1, column %2)").arg(i.position->line).arg(i.position->column);
                codes << c;
            }
            codes.removeDuplicates();
            return codes.join(QStringLiteral(", "));
        }
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == UnmodeledColumn)
            return QColor(0x9a6700);
        if (index.column() == IssuesColumn && std::any_of(o->issues.begin(), o->issues.end(), isProblem))
            return QColor(0xb42318);
        return {};
    default:
        return {};
    }
}

QVariant RawDataModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Enqueued (UTC)");
    case DeviceColumn:
        return tr("Device");
    case TypeColumn:
        return tr("Type");
    case ComponentColumn:
        return tr("Component");
    case ModuleColumn:
        return tr("Module");
    case PayloadColumn:
        return tr("Payload");
    case UnmodeledColumn:
        return tr("Unmodeled data");
    case IssuesColumn:
        return tr("Issues");
    }
    return {};
}

} // namespace iotc
