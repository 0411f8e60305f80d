#pragma once

#include "validate/issue.h"

#include <QAbstractTableModel>

#include <vector>

namespace iotc {

// The issues of one validation, one row each: severity (icon + word), code, path, message,
// expected, actual, suggestion.
class IssueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        CodeColumn,
        PathColumn,
        MessageColumn,
        ExpectedColumn,
        ActualColumn,
        SuggestionColumn,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setIssues(std::vector<Issue> issues);
    const Issue* issueAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<Issue> m_issues;
};

} // namespace iotc
