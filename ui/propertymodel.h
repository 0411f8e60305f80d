#pragma once

#include "properties/propertywatch.h"

#include <QAbstractTableModel>

namespace iotc {

// A device's reported and desired properties per component, with versions, acknowledgements,
// the writable sync state and what validation says about each.
class PropertyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ComponentColumn,
        NameColumn,
        ReportedColumn,
        DesiredColumn,
        VersionColumn,
        AckColumn,
        SyncColumn,
        UpdatedColumn,
        ValidationColumn,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setView(const PropertyView& view);
    void clear();
    int rowOfKey(const QString& key) const;
    SyncState syncOf(const QString& key) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString validationOf(const PropertyState& p) const;
    PropertyView m_view;
};

QString syncText(SyncState s); // with a glyph: ⏳ Pending, ✔ Accepted, ✖ Rejected, ⌛ Stale

} // namespace iotc
