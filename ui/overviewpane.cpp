#include "overviewpane.h"

#include "causechart.h"

#include "triage/triagereport.h"
#include "util/redact.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>

namespace iotc {

namespace {

constexpr int DeviceRole = Qt::UserRole + 1;
constexpr int CauseRole = Qt::UserRole + 2;

QString glyph(Severity s)
{
    switch (s) {
    case Severity::Error:
        return QStringLiteral("✖");
    case Severity::Warning:
        return QStringLiteral("⚠");
    case Severity::Info:
        break;
    }
    return QStringLiteral("✔");
}

QString lastSeen(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                  : QObject::tr("never seen");
}

} // namespace

OverviewPane::OverviewPane(QWidget* parent)
    : QWidget(parent)
    , m_counts(new QLabel)
    , m_banner(new QLabel)
    , m_chart(new CauseChart)
    , m_groups(new QTreeWidget)
    , m_export(new QPushButton(tr("E&xport overview…")))
    , m_copy(new QPushButton(tr("Copy as screens&hot")))
{
    m_counts->setObjectName(QStringLiteral("overviewCounts"));
    m_counts->setWordWrap(true);
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bigger = m_counts->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.2);
    m_counts->setFont(bigger);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel{background:#fff4ce;color:#5c4400;padding:6px;}"));
    m_banner->hide();
    m_groups->setColumnCount(4);
    m_groups->setHeaderLabels(
        { tr("Cause / device"), tr("Devices / last data"), tr("What to do / evidence"), tr("Messages") });
    m_groups->setAccessibleName(tr("Devices with problems, by cause"));
    m_groups->setUniformRowHeights(true);
    m_groups->setWordWrap(false);
    m_groups->header()->setStretchLastSection(false);
    m_groups->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_groups->setColumnWidth(0, 300);
    m_groups->setColumnWidth(1, 170);
    m_export->setEnabled(false);
    m_copy->setToolTip(tr("Copies the overview as a picture (keys and tokens are never shown)"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_counts, 1);
    buttons->addWidget(m_export);
    buttons->addWidget(m_copy);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_chart);
    split->addWidget(m_groups);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);

    connect(m_groups, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item, int) { activated(item); });
    connect(m_groups, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item, int) {
        if (!item->parent() && !item->data(0, CauseRole).toString().isEmpty())
            activated(item); // a cause: the device list shows its devices
    });
    connect(m_chart, &CauseChart::causeClicked, this, [this](const QString& cause) {
        for (int i = 0; i < m_groups->topLevelItemCount(); ++i) {
            auto* group = m_groups->topLevelItem(i);
            if (group->data(0, CauseRole).toString() == cause) {
                m_groups->setCurrentItem(group);
                group->setExpanded(true);
                activated(group);
            }
        }
    });
    connect(m_export, &QPushButton::clicked, this, &OverviewPane::exportReport);
    connect(m_copy, &QPushButton::clicked, this, &OverviewPane::screenshotRequested);
    clear(tr("Connect to an application (or open the demo) to see its devices ranked by what is wrong."));
}

void OverviewPane::clear(const QString& message)
{
    m_snapshot.reset();
    m_counts->setText(message);
    m_chart->setBars({});
    m_groups->clear();
    m_export->setEnabled(false);
    setBlindness({});
}

void OverviewPane::setBlindness(const QString& why)
{
    m_banner->setText(why);
    m_banner->setVisible(!why.isEmpty());
}

QString OverviewPane::countsText() const
{
    return m_counts->text();
}

void OverviewPane::setSnapshot(const std::shared_ptr<const TriageSnapshot>& snapshot)
{
    if (!snapshot || !snapshot->result)
        return;
    m_snapshot = snapshot;
    const TriageResult& result = *snapshot->result;
    m_counts->setText(triageCountsLine(result));
    m_export->setEnabled(true);

    // The causes in the devices' order (the worst first, then the most devices), as bars and as
    // groups. The healthy are in the counts line: a bar of them would dwarf the problems.
    std::vector<CauseChart::Bar> bars;
    for (const auto& g : snapshot->groups)
        bars.push_back({ g.cause, triageCauseTitle(g.cause), g.devices });
    if (bars.empty() && result.healthy > 0)
        bars.push_back({ QLatin1String(HealthyCause), tr("Healthy"), result.healthy });
    m_chart->setBars(bars);

    // Keep what the user opened and where they were.
    QSet<QString> expanded;
    QString current;
    for (int i = 0; i < m_groups->topLevelItemCount(); ++i) {
        auto* g = m_groups->topLevelItem(i);
        if (g->isExpanded())
            expanded.insert(g->data(0, CauseRole).toString());
    }
    if (auto* c = m_groups->currentItem())
        current = c->data(0, DeviceRole).toString() + QLatin1Char('|') + c->data(0, CauseRole).toString();
    m_groups->setUpdatesEnabled(false);
    m_groups->clear();
    QTreeWidgetItem* currentItem = nullptr;
    for (const auto& group : snapshot->groups) {
        auto* g = new QTreeWidgetItem(m_groups);
        g->setText(0, glyph(group.severity) + QLatin1Char(' ') + triageCauseTitle(group.cause));
        g->setToolTip(0, group.cause);
        g->setText(1, tr("%n device(s)", nullptr, group.devices));
        g->setText(2, group.mitigation);
        g->setToolTip(2, group.mitigation);
        g->setData(0, CauseRole, group.cause);
        for (const auto& d : group.first) {
            auto* item = new QTreeWidgetItem(g);
            item->setText(0,
                redactSecrets(d.displayName.isEmpty() || d.displayName == d.deviceId
                        ? d.deviceId
                        : QStringLiteral("%1 (%2)").arg(d.deviceId, d.displayName)));
            item->setText(1, lastSeen(d.lastSeenMs));
            item->setText(2, redactSecrets(d.evidence));
            item->setToolTip(2, item->text(2));
            item->setText(3, QString::number(d.messages));
            item->setData(0, DeviceRole, d.deviceId);
            item->setData(0, CauseRole, d.cause);
            if (!current.isEmpty() && d.deviceId + QLatin1Char('|') + d.cause == current)
                currentItem = item;
        }
        if (group.devices > static_cast<int>(group.first.size())) {
            auto* more = new QTreeWidgetItem(g);
            more->setText(
                0, tr("… and %1 more (export CSV for all)").arg(group.devices - static_cast<int>(group.first.size())));
            more->setFlags(Qt::ItemIsEnabled);
        }
        g->setExpanded(expanded.contains(group.cause) || (expanded.isEmpty() && snapshot->groups.size() <= 3));
        if (!current.isEmpty() && QLatin1Char('|') + group.cause == current)
            currentItem = g;
    }
    if (currentItem)
        m_groups->setCurrentItem(currentItem);
    m_groups->setUpdatesEnabled(true);
}

void OverviewPane::activated(QTreeWidgetItem* item)
{
    const auto result = this->result();
    if (!item || !result)
        return;
    const QString device = item->data(0, DeviceRole).toString();
    const QString cause = item->data(0, CauseRole).toString();
    if (!device.isEmpty()) {
        for (const auto& d : result->devices) {
            if (d.deviceId == device) {
                Q_EMIT deviceActivated(device, d);
                return;
            }
        }
        return;
    }
    if (cause.isEmpty())
        return;
    QStringList ids;
    for (const auto& d : result->devices) {
        if (d.cause == cause)
            ids << d.deviceId;
    }
    Q_EMIT causeActivated(cause, ids);
}

void OverviewPane::exportReport()
{
    const auto result = this->result();
    if (!result)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export overview"), QStringLiteral("fleet-triage.md"),
        tr("Markdown (*.md);;HTML (*.html);;CSV (*.csv)"));
    if (path.isEmpty())
        return;
    // Rendering 100,000 devices and writing the file is not the GUI thread's work.
    m_export->setEnabled(false);
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        const QString error = watcher->result();
        watcher->deleteLater();
        m_export->setEnabled(m_snapshot != nullptr);
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Overview not exported"), error);
    });
    watcher->setFuture(QtConcurrent::run([result, application = m_application, path] {
        QString error;
        return writeTriageReport(*result, application, path, error) ? QString() : error;
    }));
}

} // namespace iotc
