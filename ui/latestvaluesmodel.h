#pragma once

#include "monitor/livemonitor.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointF>

#include <deque>
#include <vector>

namespace iotc {

// The newest value of every telemetry field one device sends (component-aware), when it last
// changed, and whether the template models it; numeric fields keep a history for the chart.
class LatestValuesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { FieldColumn, ComponentColumn, ValueColumn, UpdatedColumn, StateColumn, ColumnCount };
    enum Role { KeyRole = Qt::UserRole + 1, NumericRole };

    explicit LatestValuesModel(size_t historyPerField = 2000, QObject* parent = nullptr);

    void setDevice(const QString& deviceId);
    void append(const ObservationBatch& batch);

    QString keyAt(int row) const;
    int rowOfKey(const QString& key) const;
    const std::deque<QPointF>* history(const QString& key) const; // (ms since epoch, value)
    QString firstNumericKey() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString key;
        QString component;
        QString name;
        QString value;
        qint64 updatedMs = 0;
        QString state; // "", unmodeled, mismatch
        QString note; // the message and suggestion
        bool numeric = false;
        std::deque<QPointF> history;
    };
    std::vector<Row> m_rows;
    QHash<QString, int> m_index;
    QString m_device;
    size_t m_history;
};

} // namespace iotc
