#include "telemetrypane.h"

#include "latestvaluesmodel.h"
#include "timeserieschart.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace iotc {

namespace {
constexpr qint64 MaxHeld = 20000; // observations kept while paused; more are counted and skipped
}

TelemetryPane::TelemetryPane(QWidget* parent)
    : QWidget(parent)
    , m_model(new LatestValuesModel(2000, this))
    , m_view(new QTableView(this))
    , m_chart(new TimeSeriesChart(this))
    , m_pause(new QPushButton(tr("&Pause"), this))
    , m_summary(new QLabel(this))
{
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(LatestValuesModel::FieldColumn, 160);
    m_view->setColumnWidth(LatestValuesModel::ValueColumn, 200);
    m_view->setAccessibleName(tr("Latest telemetry values"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the table and chart; messages keep being received (Ctrl+P)"));
    m_pause->setShortcut(QKeySequence(QStringLiteral("Ctrl+P")));
    m_summary->setObjectName(QStringLiteral("telemetrySummary"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_pause);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (index.data(LatestValuesModel::NumericRole).toBool())
            plotField(index.data(LatestValuesModel::KeyRole).toString());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        if (i.isValid() && i.data(LatestValuesModel::NumericRole).toBool())
            plotField(i.data(LatestValuesModel::KeyRole).toString());
    });
    connect(m_pause, &QPushButton::toggled, this, &TelemetryPane::setPaused);
    // The chart redraws at most four times a second, however fast messages come.
    m_chartTimer.setInterval(250);
    connect(&m_chartTimer, &QTimer::timeout, this, &TelemetryPane::refreshChart);
    m_chartTimer.start();
    setDevice({});
}

void TelemetryPane::setDevice(const QString& deviceId)
{
    m_device = deviceId;
    m_model->setDevice(deviceId);
    m_field.clear();
    m_held.clear();
    m_heldCount = 0;
    m_skipped = 0;
    m_messages = 0;
    m_chart->clear(deviceId.isEmpty() ? tr("Pick a device") : tr("Waiting for telemetry from %1…").arg(deviceId));
    m_summary->setText(
        deviceId.isEmpty() ? tr("No device selected.") : tr("Waiting for telemetry from %1…").arg(deviceId));
}

void TelemetryPane::append(const ObservationBatch& batch)
{
    if (!batch)
        return;
    qint64 mine = 0;
    for (const auto& o : *batch)
        mine += o.event.deviceId == m_device;
    if (mine == 0)
        return;
    m_messages += mine;
    if (m_paused) {
        // Only this device's observations are kept (copies: holding the app's batches would keep
        // every device's messages alive for as long as the pause lasts).
        for (const auto& o : *batch) {
            if (o.event.deviceId != m_device)
                continue;
            if (static_cast<qint64>(m_held.size()) < MaxHeld)
                m_held.push_back(o);
            else
                ++m_skipped;
        }
        m_heldCount += mine;
        m_summary->setText(tr("Paused — %1 message(s) arrived since").arg(m_heldCount));
        return;
    }
    m_model->append(batch);
    if (m_field.isEmpty())
        m_field = m_model->firstNumericKey();
    m_chartDirty = true;
    m_summary->setText(tr("%n message(s) from %1, %2 field(s)", nullptr, static_cast<int>(m_messages))
                           .arg(m_device)
                           .arg(m_model->rowCount()));
}

void TelemetryPane::plotField(const QString& key)
{
    m_field = key;
    m_chartDirty = true;
    refreshChart();
}

void TelemetryPane::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (m_paused == paused)
        return;
    m_paused = paused;
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    if (!paused) {
        auto held = std::make_shared<std::vector<Observation>>(std::move(m_held));
        const qint64 skipped = m_skipped;
        m_held.clear();
        m_heldCount = 0;
        m_skipped = 0;
        m_messages -= static_cast<qint64>(held->size()); // counted again as they are shown
        append(held);
        if (skipped > 0)
            m_summary->setText(m_summary->text() + tr(" (%1 message(s) from the pause not shown)").arg(skipped));
    }
}

void TelemetryPane::refreshChart()
{
    if (!m_chartDirty || m_field.isEmpty() || m_paused)
        return;
    m_chartDirty = false;
    if (const auto* points = m_model->history(m_field))
        m_chart->plot(m_field, *points);
}

} // namespace iotc
