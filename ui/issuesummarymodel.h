#pragma once

#include "diagnose/diagnosis.h"
#include "monitor/livemonitor.h"
#include "report/devicerecord.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace iotc {

// One device's findings grouped by code: how often, first and last seen, an example with its
// suggestion, what it means and what to do. Fed by live observations and by diagnoses.
class IssueSummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        CodeColumn,
        CountColumn,
        FirstColumn,
        LastColumn,
        ExampleColumn,
        AdviceColumn,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setDevice(const QString& deviceId);
    void append(const ObservationBatch& batch);
    void addDiagnosis(const Diagnosis& d);

    // An issue code as core groups it (report/devicerecord.h), with what the table adds.
    struct Group : IssueGroup {
        QString advice;
        QString source; // messages, diagnosis
    };
    const std::vector<Group>& groups() const { return m_groups; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Group& groupFor(const QString& code, const QString& source, bool& inserted);

    QString m_device;
    std::vector<Group> m_groups;
    QHash<QString, int> m_index;
};

} // namespace iotc
