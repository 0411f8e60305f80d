#include "issuemodel.h"

#include <QApplication>
#include <QStyle>

namespace iotc {

namespace {
QString text(const std::string& s)
{
    return QString::fromStdString(s);
}
QString text(const std::optional<std::string>& s)
{
    return s ? QString::fromStdString(*s) : QString();
}
} // namespace

void IssueModel::setIssues(std::vector<Issue> issues)
{
    // A new validation replaces the whole list: a reset is the honest signal here.
    beginResetModel();
    m_issues = std::move(issues);
    endResetModel();
}

const Issue* IssueModel::issueAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_issues.size()) ? &m_issues[static_cast<size_t>(row)] : nullptr;
}

int IssueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_issues.size());
}

int IssueModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IssueModel::data(const QModelIndex& index, int role) const
{
    const Issue* issue = issueAt(index.row());
    if (!issue || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case SeverityColumn:
            return QString::fromLatin1(severityName(issue->severity));
        case CodeColumn:
            return text(issue->code);
        case PathColumn:
            return issue->path.empty() ? tr("(body)") : text(issue->path);
        case MessageColumn:
            return text(issue->message);
        case ExpectedColumn:
            return text(issue->expected);
        case ActualColumn:
            return text(issue->actual);
        case SuggestionColumn:
            return text(issue->suggestion);
        }
    }
    if (role == Qt::DecorationRole && index.column() == SeverityColumn) {
        const auto* style = QApplication::style();
        switch (issue->severity) {
        case Severity::Error:
            return style->standardIcon(QStyle::SP_MessageBoxCritical);
        case Severity::Warning:
            return style->standardIcon(QStyle::SP_MessageBoxWarning);
        case Severity::Info:
            return style->standardIcon(QStyle::SP_MessageBoxInformation);
        }
    }
    return {};
}

QVariant IssueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case CodeColumn:
        return tr("Code");
    case PathColumn:
        return tr("Field");
    case MessageColumn:
        return tr("What is wrong");
    case ExpectedColumn:
        return tr("Expected");
    case ActualColumn:
        return tr("Sent");
    case SuggestionColumn:
        return tr("Suggestion");
    }
    return {};
}

} // namespace iotc
