#pragma once

#include "central/device.h"
#include "provisioning/devicestatus.h"
#include "triage/livetriage.h"

#include <QAbstractTableModel>
#include <QHash>

#include <array>
#include <deque>
#include <vector>

namespace iotc {

// The application's devices, appended page by page as the REST client streams them, with the
// live activity (last seen, message rate) the monitor reports.
class DeviceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        NameColumn,
        StatusColumn,
        TemplateColumn,
        LastSeenColumn,
        RateColumn,
        ProblemColumn,
        ColumnCount
    };
    // SortRole: what a column sorts by (times and rates as numbers; the problem by severity, the
    // worst highest).
    enum Role { StatusRole = Qt::UserRole + 1, TemplateRole, SortRole };

    using QAbstractTableModel::QAbstractTableModel;

    void clear();
    void appendDevices(const QList<Device>& devices);
    // Activity per device from one batch of observations: (device, messages, last enqueued ms).
    void noteActivity(const QHash<QString, QPair<int, qint64>>& activity);
    // The overview's verdicts that changed (fleet triage): the Problem column. Applied ProblemChunk
    // at a time, the first at once and the rest on later turns of the event loop, so a first
    // snapshot of 100,000 devices never holds the GUI thread.
    void applyProblems(const std::shared_ptr<const TriageSnapshot>& snapshot);
    static constexpr size_t ProblemChunk = 4000;

    const Device* deviceAt(int row) const;
    int rowOf(const QString& id) const;
    int count(DeviceStatus status) const { return m_counts[static_cast<int>(status)]; }
    QStringList templates() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        Device device;
        DeviceStatus status;
        qint64 lastSeenMs = 0;
        qint64 firstSeenMs = 0;
        qint64 messages = 0;
        QString problem {}; // a triage cause, or "healthy"; empty until judged
        int problemSeverity = 0;
    };
    std::deque<Row> m_rows; // never reallocated: growing past 65,536 rows costs nothing extra
    // Device id -> row, in shards: growing one large hash rehashes every key at once (a 30 ms
    // freeze at 65,536 devices); shards grow one small step at a time.
    static constexpr size_t IndexShards = 64;
    QHash<QString, int>& shardOf(const QString& id) { return m_index[qHash(id) % IndexShards]; }
    const QHash<QString, int>& shardOf(const QString& id) const { return m_index[qHash(id) % IndexShards]; }
    std::array<QHash<QString, int>, IndexShards> m_index;
    void applyPendingProblems();
    std::deque<std::pair<std::shared_ptr<const TriageSnapshot>, size_t>> m_pendingProblems; // and how far applied
    bool m_problemsQueued = false;
    int m_counts[5] = {};
    QHash<QString, int> m_templates;
};

QString statusText(DeviceStatus status);
QString statusGlyph(DeviceStatus status); // a shape per status, so colour is never the only cue

} // namespace iotc
