#pragma once

#include "monitor/livemonitor.h"

#include <QAbstractTableModel>
#include <QHash>

#include <map>
#include <vector>

namespace iotc {

// Whole-app view: per device, how many messages arrived and how many had problems, and the most
// frequent issue code, so a failing device stands out.
class DeviceActivityModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { DeviceColumn, MessagesColumn, ProblemsColumn, TopIssueColumn, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void append(const ObservationBatch& batch);
    void clear();
    QString deviceAt(int row) const;
    int rowOf(const QString& id) const { return m_index.value(id, -1); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString device;
        qint64 messages = 0;
        qint64 problems = 0;
        std::map<std::string, qint64> codes;
    };
    std::vector<Row> m_rows;
    QHash<QString, int> m_index;
};

} // namespace iotc
