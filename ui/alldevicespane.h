#pragma once

#include "monitor/livemonitor.h"

#include <QWidget>

class QSortFilterProxyModel;
class QTableView;

namespace iotc {

class DeviceActivityModel;
class RawDataPane;

// The "All devices" page: messages and problems per device (sortable, the worst first on a click)
// over the whole app's Raw data table. A double-click on a device asks to open it.
class AllDevicesPane : public QWidget {
    Q_OBJECT
public:
    explicit AllDevicesPane(QWidget* parent = nullptr);

    DeviceActivityModel* activity() const { return m_activity; }
    QTableView* activityView() const { return m_activityView; }
    RawDataPane* rawData() const { return m_raw; }

    void append(const ObservationBatch& batch);
    void clear();

Q_SIGNALS:
    void deviceActivated(const QString& id);

private:
    DeviceActivityModel* m_activity;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_activityView;
    RawDataPane* m_raw;
};

} // namespace iotc
