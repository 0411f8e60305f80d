#pragma once

#include "central/device.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace iotc {

class CentralClient;
class DeviceListModel;
class DeviceFilter;

// The left dock: every device of the application (streamed page by page, so the first page shows
// at once), searchable by id and name, filtered by status and template, with per-status counts and
// "open by ID" for apps too large to scroll.
class DevicePicker : public QWidget {
    Q_OBJECT
public:
    explicit DevicePicker(QWidget* parent = nullptr);
    ~DevicePicker() override;

    void load(const std::shared_ptr<CentralClient>& client);
    void clear();
    DeviceListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QLineEdit* searchBox() const { return m_search; }
    bool loading() const { return m_loading; }
    // Selects the device when it is listed; false when it is not (yet).
    bool select(const QString& id);

public Q_SLOTS:
    void focusSearch();
    void cancelLoading();
    // Only these devices (an overview cause, named by label) until the user clears it; an empty
    // label shows every device again.
    void showOnly(const QString& label, const QStringList& ids);

Q_SIGNALS:
    void deviceChosen(const QString& id);
    void loadFinished(qint64 devices, const QString& error);
    // Devices just added to the list (GUI thread), as they are listed.
    void devicesAppended(const QList<iotc::Device>& devices);

private:
    void applyFilter();
    void updateCounts();

    DeviceListModel* m_model;
    DeviceFilter* m_filter;
    QLineEdit* m_search;
    QComboBox* m_status;
    QComboBox* m_template;
    QLabel* m_counts;
    QTableView* m_view;
    QLineEdit* m_openId;
    QPushButton* m_cancel;
    QPushButton* m_only;
    QTimer m_debounce;
    QTimer m_countsTimer;
    bool m_loading = false;
    bool m_refiltering = false;
    std::shared_ptr<std::atomic<bool>> m_stop;
    int m_generation = 0;
};

} // namespace iotc
