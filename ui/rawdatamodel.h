#pragma once

#include "monitor/livemonitor.h"

#include <QAbstractTableModel>

#include <deque>

namespace iotc {

// One row per message, like IoT Central's Raw data view, but every row knows what validation
// found: the payload with unmodeled fields and mismatches marked, an Unmodeled data column, the
// issue codes. Rows share the monitor's batches (no copies); past the cap the oldest rows go and
// are counted.
class RawDataModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        DeviceColumn,
        TypeColumn,
        ComponentColumn,
        ModuleColumn,
        PayloadColumn,
        UnmodeledColumn,
        IssuesColumn,
        ColumnCount
    };
    enum Role {
        PayloadHtmlRole = Qt::UserRole + 1, // the payload with its marks, as rich text
        IssueCodesRole, // QStringList
        HasProblemsRole, // bool: warnings or errors
        SearchTextRole, // what the text filter looks in
    };

    explicit RawDataModel(size_t cap = 20000, QObject* parent = nullptr);

    // Only this device's messages (empty: every device).
    void setDeviceFilter(const QString& deviceId);
    const QString& deviceFilter() const { return m_device; }
    void append(const ObservationBatch& batch);
    void clear();

    const Observation* observationAt(int row) const;
    quint64 evicted() const { return m_evicted; }
    quint64 total() const { return m_total; }
    size_t cap() const { return m_cap; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void countsChanged();

private:
    struct RowRef {
        ObservationBatch batch;
        quint32 index;
        const Observation& get() const { return (*batch)[index]; }
    };
    std::deque<RowRef> m_rows;
    size_t m_cap;
    QString m_device;
    quint64 m_evicted = 0;
    quint64 m_total = 0;
};

// Helpers shared by the table, the detail view and exports.
QString payloadText(const Observation& o, int maxChars = 400); // body as text, secrets masked when safe
QString payloadHtml(const Observation& o, int maxChars = 400); // with unmodeled/mismatch/JSON-error marks
QStringList unmodeledNames(const Observation& o);
QString issuesTooltip(const Observation& o);
QString messageType(const Observation& o);

} // namespace iotc
