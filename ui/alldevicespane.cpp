#include "alldevicespane.h"

#include "deviceactivitymodel.h"
#include "rawdatamodel.h"
#include "rawdatapane.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace iotc {

AllDevicesPane::AllDevicesPane(QWidget* parent)
    : QWidget(parent)
    , m_activity(new DeviceActivityModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_activityView(new QTableView(this))
    , m_raw(new RawDataPane(true, this))
{
    setObjectName(QStringLiteral("allDevicesPane"));
    m_sorted->setSourceModel(m_activity);
    m_sorted->setSortRole(Qt::EditRole);
    m_activityView->setObjectName(QStringLiteral("activityView"));
    m_activityView->setModel(m_sorted);
    m_activityView->setSortingEnabled(true);
    m_activityView->sortByColumn(DeviceActivityModel::ProblemsColumn, Qt::DescendingOrder);
    m_activityView->verticalHeader()->hide();
    m_activityView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_activityView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_activityView->setWordWrap(false);
    m_activityView->horizontalHeader()->setStretchLastSection(true);
    m_activityView->setColumnWidth(DeviceActivityModel::DeviceColumn, 220);
    m_activityView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_activityView->setAccessibleName(tr("Messages per device"));
    m_activityView->setToolTip(tr("Double-click a device to open it"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_activityView);
    split->addWidget(m_raw);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_activityView, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        const QString id = m_activity->deviceAt(m_sorted->mapToSource(i).row());
        if (!id.isEmpty())
            Q_EMIT deviceActivated(id);
    });
}

void AllDevicesPane::append(const ObservationBatch& batch)
{
    m_raw->append(batch);
    m_activity->append(batch);
}

void AllDevicesPane::clear()
{
    m_raw->model()->clear();
    m_activity->clear();
}

} // namespace iotc
