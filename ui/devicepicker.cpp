#include "devicepicker.h"

#include "devicelistmodel.h"

#include "central/centralclient.h"
#include "central/devicefilter.h"
#include "central/queuedcontinuation.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <mutex>

namespace iotc {

// The device list's filter: the one rule of core/central/devicefilter (status, template, text).
class DeviceFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    DeviceListFilter rule;
    std::shared_ptr<const QSet<QString>> only; // these devices only (the overview's cause), or all

    void refresh() { invalidateRowsFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex&) const override
    {
        const Device* d = static_cast<const DeviceListModel*>(sourceModel())->deviceAt(row);
        return d && matches(*d, rule) && (!only || only->contains(d->id));
    }
};

DevicePicker::DevicePicker(QWidget* parent)
    : QWidget(parent)
    , m_model(new DeviceListModel(this))
    , m_filter(new DeviceFilter(this))
    , m_search(new QLineEdit(this))
    , m_status(new QComboBox(this))
    , m_template(new QComboBox(this))
    , m_counts(new QLabel(this))
    , m_view(new QTableView(this))
    , m_openId(new QLineEdit(this))
    , m_cancel(new QPushButton(tr("Stop loading"), this))
    , m_only(new QPushButton(this))
{
    setObjectName(QStringLiteral("devicePicker"));
    m_filter->setSourceModel(m_model);
    // Sorted when a header is clicked (by what the column means: times, rates, the problem's
    // severity), not re-sorted as activity comes in; listing order until then.
    m_filter->setSortRole(DeviceListModel::SortRole);
    m_filter->setDynamicSortFilter(false);
    m_search->setPlaceholderText(tr("Search id or name (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search devices"));
    m_status->setAccessibleName(tr("Status filter"));
    m_status->addItem(tr("All statuses"), -1);
    for (auto s : { DeviceStatus::Provisioned, DeviceStatus::Registered, DeviceStatus::Blocked,
             DeviceStatus::BlockedOrWaitingForApproval, DeviceStatus::Unassigned })
        m_status->addItem(statusGlyph(s) + QLatin1Char(' ') + statusText(s), static_cast<int>(s));
    m_template->setAccessibleName(tr("Template filter"));
    m_template->addItem(tr("All templates"));
    m_counts->setWordWrap(true);
    m_counts->setObjectName(QStringLiteral("statusCounts"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    // Uniform rows: the view never measures 100,000 rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Devices"));
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // listing order until a click
    m_view->setSortingEnabled(true);
    m_view->setColumnWidth(DeviceListModel::IdColumn, 170);
    m_view->setColumnWidth(DeviceListModel::NameColumn, 150);
    // Wide enough for the longest status ("Blocked or waiting for approval"), never cut.
    m_view->setColumnWidth(DeviceListModel::StatusColumn,
        m_view->fontMetrics().horizontalAdvance(statusGlyph(DeviceStatus::BlockedOrWaitingForApproval)
            + QStringLiteral("  ") + statusText(DeviceStatus::BlockedOrWaitingForApproval))
            + 24);
    m_openId->setPlaceholderText(tr("Open by ID…"));
    m_openId->setAccessibleName(tr("Open device by ID"));
    m_cancel->hide();
    m_only->hide();
    m_only->setToolTip(tr("The list shows the devices of one cause of the overview; click to show them all"));

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_status);
    filters->addWidget(m_template);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_openId);
    bottom->addWidget(m_cancel);
    bottom->addWidget(m_only);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addLayout(filters);
    layout->addWidget(m_counts);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(m_search, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(&m_debounce, &QTimer::timeout, this, &DevicePicker::applyFilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, &DevicePicker::applyFilter);
    connect(m_template, &QComboBox::currentIndexChanged, this, &DevicePicker::applyFilter);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        // Enter in the search box opens the first match.
        if (m_filter->rowCount() > 0) {
            m_debounce.stop();
            applyFilter();
            m_view->setFocus();
            m_view->selectRow(0);
        }
    });
    connect(
        m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            if (!current.isValid() || m_refiltering)
                return; // the filter moved the cursor, not the user
            if (const Device* d = m_model->deviceAt(m_filter->mapToSource(current).row()))
                Q_EMIT deviceChosen(d->id);
        });
    connect(m_openId, &QLineEdit::returnPressed, this, [this] {
        const QString id = m_openId->text().trimmed();
        if (id.isEmpty())
            return;
        if (!select(id))
            Q_EMIT deviceChosen(id); // not listed (yet): the device view asks the app itself
    });
    connect(m_cancel, &QPushButton::clicked, this, &DevicePicker::cancelLoading);
    connect(m_only, &QPushButton::clicked, this, [this] { showOnly({}, {}); });
    m_countsTimer.setInterval(250);
    m_countsTimer.setSingleShot(true);
    connect(&m_countsTimer, &QTimer::timeout, this, &DevicePicker::updateCounts);
    connect(m_model, &QAbstractItemModel::rowsInserted, &m_countsTimer, qOverload<>(&QTimer::start));
    updateCounts();
}

DevicePicker::~DevicePicker()
{
    cancelLoading();
}

void DevicePicker::clear()
{
    cancelLoading();
    m_model->clear();
    updateCounts();
}

void DevicePicker::cancelLoading()
{
    if (m_stop)
        *m_stop = true;
}

void DevicePicker::load(const std::shared_ptr<CentralClient>& client)
{
    clear();
    const int generation = ++m_generation;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    m_loading = true;
    m_cancel->show();
    updateCounts();
    auto stop = m_stop;
    QPointer<DevicePicker> self(this);
    // Pages arrive on the HTTP thread faster than one each paint: they collect in a buffer and the
    // GUI thread takes whatever is there in one insertion (one flush queued at a time).
    struct Pending {
        std::mutex mutex;
        QList<Device> devices;
        bool queued = false;
    };
    auto pending = std::make_shared<Pending>();
    // The end arrives on a later turn, never inside load() (thenQueued): callers connect afterwards.
    thenQueued(client->listDevices([self, stop, generation, pending](const QList<Device>& page) {
        if (*stop)
            return false;
        std::lock_guard lock(pending->mutex);
        pending->devices.append(page);
        if (!pending->queued) {
            pending->queued = true;
            // Posted to the application object: the picker itself is only looked at on the GUI thread.
            // Always queued: a page that was already there when listing began arrives on the GUI
            // thread itself, and a direct call would take the lock held here (a deadlock).
            QMetaObject::invokeMethod(
                qApp,
                [self, generation, pending] {
                    QList<Device> devices;
                    {
                        std::lock_guard lock(pending->mutex);
                        devices.swap(pending->devices);
                        pending->queued = false;
                    }
                    if (self && self->m_generation == generation) {
                        self->m_model->appendDevices(devices);
                        Q_EMIT self->devicesAppended(devices);
                    }
                },
                Qt::QueuedConnection);
        }
        return true;
    }),
        this, [this, generation](const Result<qint64>& r) {
            if (generation != m_generation)
                return;
            m_loading = false;
            m_cancel->hide();
            updateCounts();
            const QString error = r.ok() ? QString() : r.error.summary();
            Q_EMIT loadFinished(r.ok() ? *r.value : m_model->rowCount(), error);
        });
}

bool DevicePicker::select(const QString& id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    QModelIndex index = m_filter->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) {
        // Hidden by a filter: clear the filters rather than fail.
        m_search->clear();
        m_status->setCurrentIndex(0);
        m_template->setCurrentIndex(0);
        applyFilter();
        index = m_filter->mapFromSource(m_model->index(row, 0));
    }
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void DevicePicker::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void DevicePicker::showOnly(const QString& label, const QStringList& ids)
{
    if (label.isEmpty()) {
        m_filter->only.reset();
        m_only->hide();
    } else {
        m_filter->only = std::make_shared<const QSet<QString>>(ids.cbegin(), ids.cend());
        m_only->setText(tr("Only %1 (%2) ✕").arg(label).arg(ids.size()));
        m_only->show();
    }
    applyFilter();
}

void DevicePicker::applyFilter()
{
    m_filter->rule.text = m_search->text().trimmed();
    const int status = m_status->currentData().toInt();
    m_filter->rule.status = status < 0 ? std::nullopt : std::optional(static_cast<DeviceStatus>(status));
    m_filter->rule.templateId
        = m_template->currentIndex() <= 0 ? std::nullopt : std::optional(m_template->currentData().toString());
    m_refiltering = true;
    m_filter->refresh();
    m_refiltering = false;
    updateCounts();
}

void DevicePicker::updateCounts()
{
    QStringList parts;
    for (auto s : { DeviceStatus::Provisioned, DeviceStatus::Registered, DeviceStatus::Blocked,
             DeviceStatus::BlockedOrWaitingForApproval, DeviceStatus::Unassigned })
        if (m_model->count(s) > 0)
            parts << QStringLiteral("%1 %2 %3").arg(statusGlyph(s)).arg(m_model->count(s)).arg(statusText(s).toLower());
    QString text = tr("%n device(s)", nullptr, m_model->rowCount());
    if (m_filter->rowCount() != m_model->rowCount())
        text += tr(", %1 shown").arg(m_filter->rowCount());
    if (m_loading)
        text += tr(" — loading…");
    if (!parts.isEmpty())
        text += QStringLiteral("\n") + parts.join(QStringLiteral(" · "));
    m_counts->setText(text);
    // Templates seen so far, for the filter (kept selected across refreshes).
    const QStringList templates = m_model->templates();
    if (templates.size() != m_template->count() - 1) {
        const QString current = m_template->currentIndex() > 0 ? m_template->currentData().toString() : QString();
        QSignalBlocker block(m_template);
        m_template->clear();
        m_template->addItem(tr("All templates"));
        for (const auto& t : templates)
            m_template->addItem(t.isEmpty() ? tr("(unassigned)") : t, t);
        if (!current.isNull())
            m_template->setCurrentIndex(std::max(0, m_template->findData(current)));
    }
}

} // namespace iotc
