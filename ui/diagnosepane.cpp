#include "diagnosepane.h"

#include "devicelogfile.h"

#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

QString glyph(DiagnosisCheck::Status s)
{
    switch (s) {
    case DiagnosisCheck::Status::Passed:
        return QStringLiteral("✔");
    case DiagnosisCheck::Status::Warning:
        return QStringLiteral("⚠");
    case DiagnosisCheck::Status::Failed:
        return QStringLiteral("✖");
    case DiagnosisCheck::Status::Skipped:
        return QStringLiteral("–");
    }
    return {};
}

} // namespace

DiagnosePane::DiagnosePane(QWidget* parent)
    : QWidget(parent)
    , m_listen(new QSpinBox(this))
    , m_lookback(new QSpinBox(this))
    , m_run(new QPushButton(tr("&Diagnose"), this))
    , m_logButton(new QPushButton(tr("Add device &log…"), this))
    , m_export(new QPushButton(tr("&Export report…"), this))
    , m_copy(new QPushButton(tr("Copy &screenshot"), this))
    , m_verdict(new QLabel(this))
    , m_checks(new QTreeWidget(this))
    , m_stopButton(new QPushButton(tr("S&top listening"), this))
{
    m_stopButton->setToolTip(tr("Finish the diagnosis now with the data that arrived so far (Esc)"));
    m_stopButton->setShortcut(QKeySequence(Qt::Key_Escape));
    m_stopButton->hide();
    m_listen->setRange(5, 600);
    m_listen->setValue(60);
    m_listen->setSuffix(tr(" s"));
    m_listen->setAccessibleName(tr("Listen for live data"));
    m_lookback->setRange(0, 1440);
    m_lookback->setValue(10);
    m_lookback->setSuffix(tr(" min"));
    m_lookback->setAccessibleName(tr("Look back"));
    m_run->setToolTip(tr("Walk the troubleshooting guide for this device (Ctrl+D)"));
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_checks->setColumnCount(2);
    m_checks->setHeaderLabels({ tr("Check"), tr("Result") });
    m_checks->header()->setStretchLastSection(true);
    m_checks->setColumnWidth(0, 300);
    m_checks->setWordWrap(true);
    m_checks->setAccessibleName(tr("Diagnosis checks"));
    m_export->setEnabled(false);

    auto* form = new QFormLayout;
    form->addRow(tr("Listen for live data"), m_listen);
    form->addRow(tr("Also read what arrived in the last"), m_lookback);
    auto* bar = new QHBoxLayout;
    bar->addLayout(form);
    bar->addStretch(1);
    bar->addWidget(m_logButton);
    bar->addWidget(m_run);
    bar->addWidget(m_stopButton);
    bar->addWidget(m_export);
    bar->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_verdict);
    layout->addWidget(m_checks, 1);

    connect(m_run, &QPushButton::clicked, this, &DiagnosePane::run);
    connect(m_stopButton, &QPushButton::clicked, this, &DiagnosePane::stopListening);
    connect(m_logButton, &QPushButton::clicked, this, &DiagnosePane::loadDeviceLog);
    connect(m_export, &QPushButton::clicked, this, &DiagnosePane::exportRequested);
    connect(m_copy, &QPushButton::clicked, this, &DiagnosePane::screenshotRequested);
    m_copy->setToolTip(tr("Copy the window with the verdict to the clipboard, secrets masked (Ctrl+Shift+C)"));
    connect(&m_watcher, &QFutureWatcher<Diagnosis>::finished, this, [this] {
        m_ticker.stop();
        m_run->setEnabled(true);
        m_stopButton->hide();
        if (m_watcher.future().resultCount() == 0)
            return;
        const Diagnosis d = m_watcher.result();
        m_run->setText(tr("&Diagnose"));
        m_run->setEnabled(!m_device.isEmpty());
        if (d.deviceId != m_device)
            return; // a run for a device no longer shown
        show(d);
        Q_EMIT finished(d);
    });
    m_ticker.setInterval(500);
    connect(&m_ticker, &QTimer::timeout, this,
        [this] { m_run->setText(tr("Diagnosing… %1 s").arg(m_clock.elapsed() / 1000)); });
    setTarget({}, {}, {});
}

DiagnosePane::~DiagnosePane()
{
    if (m_stop)
        *m_stop = true; // closing mid-listen finishes at once instead of after the listen time
    m_watcher.waitForFinished();
}

void DiagnosePane::setTriageNote(const QString& html)
{
    if (!m_diagnosis && !m_watcher.isRunning() && !html.isEmpty())
        m_verdict->setText(html);
}

void DiagnosePane::setTarget(
    const ConnectionProfile& profile, std::optional<EventHubTarget> eventHub, const QString& deviceId)
{
    m_profile = profile;
    m_eventHub = std::move(eventHub);
    if (m_device != deviceId) {
        if (m_stop)
            *m_stop = true; // a run for the previous device ends early; its result is not shown
        m_log.clear(); // a device log belongs to one device
        m_logButton->setText(tr("Add device &log…"));
    }
    m_device = deviceId;
    m_diagnosis.reset();
    m_checks->clear();
    m_export->setEnabled(false);
    m_run->setEnabled(!deviceId.isEmpty() && !m_watcher.isRunning());
    m_verdict->setText(deviceId.isEmpty()
            ? tr("Pick a device, then Diagnose (Ctrl+D) walks the troubleshooting guide for it.")
            : tr("Diagnose (Ctrl+D) walks the troubleshooting guide for %1: app, device, "
                 "provisioning and DPS, live data, device log, payloads, properties, IoT Edge.")
                  .arg(deviceId));
}

void DiagnosePane::setListenSeconds(int seconds)
{
    m_listen->setValue(seconds);
}

QString DiagnosePane::verdictText() const
{
    return m_verdict->text();
}

void DiagnosePane::loadDeviceLog()
{
    openDeviceLog(this, [this](const QString& text, const QString& name, const QString& error) {
        if (!error.isEmpty()) {
            m_verdict->setText(error);
            return;
        }
        m_log = text;
        m_logButton->setText(tr("Device log: %1").arg(name));
    });
}

void DiagnosePane::run()
{
    if (m_device.isEmpty() || m_watcher.isRunning())
        return;
    m_checks->clear();
    m_export->setEnabled(false);
    m_run->setEnabled(false);
    m_verdict->setText(tr("Diagnosing %1…").arg(m_device));
    m_clock.start();
    m_ticker.start();
    DiagnoseOptions options;
    options.deviceId = m_device;
    options.listenSeconds = m_listen->value();
    options.lookbackMinutes = m_lookback->value();
    options.eventHub = m_eventHub;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    options.stopListening = m_stop;
    m_stopButton->show();
    m_stopButton->setEnabled(true);
    if (!m_log.isEmpty())
        options.deviceLog = m_log;
    QPointer<DiagnosePane> self(this);
    m_watcher.setFuture(QtConcurrent::run([profile = m_profile, options, self] {
        Diagnoser diagnoser(profile, options);
        return diagnoser.run([self, device = options.deviceId](const QString& check, const QString& text) {
            QMetaObject::invokeMethod(qApp, [self, device, check, text] {
                if (self && self->m_device == device)
                    self->progress(check, text);
            });
        });
    }));
}

void DiagnosePane::stopListening()
{
    if (m_stop && m_watcher.isRunning()) {
        *m_stop = true;
        m_stopButton->setEnabled(false);
        m_verdict->setText(tr("Finishing with what arrived so far…"));
    }
}

void DiagnosePane::progress(const QString& check, const QString& text)
{
    auto items = m_checks->findItems(check, Qt::MatchExactly, 0);
    QTreeWidgetItem* item = nullptr;
    // Earlier checks are done once a later one starts.
    for (int i = 0; i < m_checks->topLevelItemCount(); ++i) {
        auto* it = m_checks->topLevelItem(i);
        if (it->data(0, Qt::UserRole).toString() == check)
            item = it;
        else if (it->text(0).startsWith(QStringLiteral("⏳")))
            it->setText(0, QStringLiteral("… ") + it->text(0).mid(2));
    }
    if (!item) {
        item = new QTreeWidgetItem(m_checks);
        item->setData(0, Qt::UserRole, check);
    }
    item->setText(0, QStringLiteral("⏳ ") + check);
    item->setText(1, text);
}

void DiagnosePane::show(const Diagnosis& d)
{
    m_diagnosis = d;
    m_run->setText(tr("&Diagnose"));
    m_export->setEnabled(true);
    QString verdict;
    if (d.healthy()) {
        verdict = tr("<h3>✔ Healthy</h3><p>%1</p>").arg(d.healthySummary.toHtmlEscaped());
    } else {
        verdict = tr("<h3>✖ Most likely cause: %1</h3><p><code>%2</code> — <b>What to do:</b> %3</p>")
                      .arg(d.causes.front().title.toHtmlEscaped(), d.causes.front().code.toHtmlEscaped(),
                          d.causes.front().mitigation.toHtmlEscaped());
        if (d.causes.size() > 1) {
            QStringList others;
            for (size_t i = 1; i < d.causes.size(); ++i)
                others << d.causes[i].code;
            verdict += tr("<p>Also: %1</p>").arg(others.join(QStringLiteral(", ")).toHtmlEscaped());
        }
    }
    m_verdict->setText(verdict);
    m_checks->clear();
    for (const auto& c : d.checks) {
        auto* item = new QTreeWidgetItem(m_checks);
        item->setText(0, glyph(c.status) + QLatin1Char(' ') + c.title);
        item->setText(1, c.summary);
        item->setToolTip(1, c.summary);
        for (const auto& f : c.findings) {
            auto* child = new QTreeWidgetItem(item);
            child->setText(0, QStringLiteral("%1 %2").arg(f.code, f.title));
            child->setText(
                1, f.explanation + (f.mitigation.isEmpty() ? QString() : tr(" — What to do: ") + f.mitigation));
            child->setToolTip(1, child->text(1));
            for (const auto& e : f.evidence) {
                auto* ev = new QTreeWidgetItem(child);
                ev->setText(0, tr("evidence"));
                ev->setText(1, e);
                ev->setToolTip(1, e);
            }
        }
        item->setExpanded(c.status == DiagnosisCheck::Status::Failed || c.status == DiagnosisCheck::Status::Warning);
    }
}

} // namespace iotc
