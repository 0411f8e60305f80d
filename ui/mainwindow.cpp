#include "mainwindow.h"

#include "alldevicespane.h"
#include "deviceexport.h"
#include "devicelistmodel.h"
#include "devicepicker.h"
#include "deviceview.h"
#include "diagnosepane.h"
#include "knowledgepane.h"
#include "monitorstatuswidget.h"
#include "overviewpane.h"
#include "payloadpane.h"
#include "rawdatapane.h"
#include "screenshot.h"
#include "session.h"
#include "signinflow.h"
#include "templateworkspace.h"

#include "report/diagnosisreport.h"
#include "sim/simulatedapp.h"
#include "triage/livetriage.h"
#include "triage/triagereport.h"
#include "util/redact.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_picker(new DevicePicker(this))
    , m_pickerDock(new QDockWidget(tr("Devices"), this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new OverviewPane(this))
    , m_triage(new LiveTriage(this))
    , m_deviceView(new DeviceView(m_session, this))
    , m_allDevices(new AllDevicesPane(this))
    , m_knowledge(new KnowledgePane(this))
    , m_template(new TemplateWorkspace(this))
    , m_monitorStatus(new MonitorStatusWidget(this))
    , m_connection(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("IoT Central Workbench"));
    m_pickerDock->setObjectName(QStringLiteral("devicesDock"));
    m_pickerDock->setWidget(m_picker);
    m_pickerDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, m_pickerDock);

    m_tabs->addTab(m_overview, tr("Overview"));
    m_tabs->addTab(m_deviceView, tr("Device"));
    m_tabs->addTab(m_allDevices, tr("All devices"));
    m_tabs->addTab(m_knowledge, tr("Error codes && device log"));
    m_tabs->addTab(m_template, tr("Template && payload"));
    setCentralWidget(m_tabs);

    m_connection->setObjectName(QStringLiteral("connectionState"));
    // Permanent: transient messages never hide the connection and monitor state.
    statusBar()->addPermanentWidget(m_monitorStatus);
    statusBar()->addPermanentWidget(m_connection);
    m_connection->setText(SignInFlow::notConnectedText());

    wireSession();
    // After wireSession: its connected(bool) comes once the views are reset for the new app.
    m_signIn = new SignInFlow(m_session, this);
    connect(m_signIn, &SignInFlow::stateChanged, m_connection, &QLabel::setText);
    connect(m_signIn, &SignInFlow::message, statusBar(), &QStatusBar::showMessage);
    connect(m_signIn, &SignInFlow::demoRequested, this, [this] { openDemo(); });
    connect(m_signIn, &SignInFlow::demoStarted, this, &MainWindow::demoAppStarted);
    connect(m_signIn, &SignInFlow::connected, this, &MainWindow::connected);
    createActions();
    createToolBar();
    connect(m_template, &TemplateWorkspace::templateLoaded, this, [this](bool ok, const QString& what) {
        statusBar()->showMessage(ok ? tr("Loaded %1").arg(what) : tr("Template not loaded"), 8000);
        Q_EMIT templateLoaded(ok);
    });
    connect(m_picker, &DevicePicker::deviceChosen, this, [this](const QString& id) {
        m_deviceView->setDevice(id);
        m_tabs->setCurrentWidget(m_deviceView);
    });
    connect(m_picker, &DevicePicker::loadFinished, this, [this](qint64 count, const QString& error) {
        if (!error.isEmpty())
            statusBar()->showMessage(tr("Device list incomplete: %1").arg(error), 10000);
        Q_EMIT devicesLoaded(count);
    });
    connect(m_allDevices, &AllDevicesPane::deviceActivated, this, &MainWindow::selectDevice);
    // The overview: fleet triage fed by the device list and the live stream (core/triage).
    connect(m_picker, &DevicePicker::devicesAppended, m_triage, &LiveTriage::addDevices);
    connect(m_triage, &LiveTriage::updated, m_overview, &OverviewPane::setSnapshot);
    connect(m_triage, &LiveTriage::updated, m_picker->model(), &DeviceListModel::applyProblems);
    connect(m_overview, &OverviewPane::deviceActivated, this, [this](const QString& id, const TriageDevice& verdict) {
        selectDevice(id);
        showView(QStringLiteral("diagnose"));
        if (verdict.cause != QLatin1String(HealthyCause))
            m_deviceView->diagnose()->setTriageNote(
                tr("<b>%1</b> (from the overview)<br>%2<br>What to do: %3<br><i>Run the diagnosis (Ctrl+D) for the "
                   "full picture.</i>")
                    .arg(triageCauseTitle(verdict.cause).toHtmlEscaped(),
                        redactSecrets(verdict.evidence).toHtmlEscaped(), verdict.mitigation.toHtmlEscaped()));
    });
    connect(m_overview, &OverviewPane::causeActivated, this, [this](const QString& cause, const QStringList& ids) {
        m_picker->showOnly(triageCauseTitle(cause), ids);
        m_pickerDock->show();
    });
    connect(m_overview, &OverviewPane::screenshotRequested, this, &MainWindow::copyScreenshot);
    connect(m_deviceView, &DeviceView::exportRequested, this, &MainWindow::exportInteractive);
    connect(m_deviceView, &DeviceView::screenshotRequested, this, &MainWindow::copyScreenshot);
    connect(m_deviceView, &DeviceView::networkCheckRequested, this, &MainWindow::showNetCheck);
    resize(1360, 860);
    resizeDocks({ m_pickerDock }, { 470 }, Qt::Horizontal);
    restoreSettings();
}

MainWindow::~MainWindow()
{
    // The panes first: their pollers live on the session's worker thread and are released there
    // while it still runs; then the session (monitor, client, demo app).
    delete m_deviceView;
    m_deviceView = nullptr;
}

void MainWindow::openTemplate(const QString& path)
{
    m_template->openTemplate(path);
}

void MainWindow::openDemoTemplate()
{
    m_template->openDemoTemplate();
}

TemplatePane* MainWindow::templatePane() const
{
    return m_template->templatePane();
}

PayloadPane* MainWindow::payloadPane() const
{
    return m_template->payloadPane();
}

sim::SimulatedApp* MainWindow::demoApp() const
{
    return m_session->demoApp();
}

RawDataPane* MainWindow::appRawData() const
{
    return m_allDevices->rawData();
}

DeviceActivityModel* MainWindow::activity() const
{
    return m_allDevices->activity();
}

void MainWindow::wireSession()
{
    connect(m_session, &Session::connected, this, [this] {
        m_deviceView->setDevice({});
        m_allDevices->clear();
        m_lastNetCheck.reset(); // another application, maybe another network
        // The first view: the application's devices ranked by what is wrong, once the stream is read.
        m_triage->reset(OverviewLookbackMinutes);
        m_triageListening = false;
        m_overview->setApplication(m_session->profile().baseUrl);
        m_overview->clear(tr("Listing the devices and reading the event stream…"));
        m_picker->showOnly({}, {});
        m_tabs->setCurrentWidget(m_overview);
        m_picker->load(m_session->client());
        m_session->startMonitor(ConsumerStart::minutesAgo(OverviewLookbackMinutes));
    });
    connect(m_session, &Session::monitorChanged, this, [this](LiveMonitor* monitor) {
        if (m_actions.monitor)
            m_actions.monitor->setChecked(monitor != nullptr);
        if (!monitor) {
            m_monitorStatus->clear(tr("Live telemetry: off"));
            MonitorStatus off;
            off.phase = MonitorStatus::Phase::Stopped;
            off.message = tr("live telemetry is off");
            triageStreamStatus(off);
            return;
        }
        connect(monitor, &LiveMonitor::observations, this, &MainWindow::routeObservations);
        // The pages still to come tell the stream the senders' templates (pages already listed
        // when a monitor restarts are looked up as their devices send).
        connect(m_picker, &DevicePicker::devicesAppended, monitor, &LiveMonitor::knowDevices);
        connect(monitor, &LiveMonitor::statusChanged, m_monitorStatus, &MonitorStatusWidget::setStatus);
        connect(monitor, &LiveMonitor::statusChanged, this, &MainWindow::triageStreamStatus);
        connect(monitor, &LiveMonitor::captureFailed, this,
            [this](const QString& e) { QMessageBox::warning(this, tr("Capture not started"), e); });
        connect(monitor, &LiveMonitor::replayFinished, this, [this](qint64 events, qint64 bad, const QString& error) {
            statusBar()->showMessage(tr("Replayed %1 event(s)%2%3")
                                         .arg(events)
                                         .arg(bad ? tr(", %1 line(s) were not events").arg(bad) : QString())
                                         .arg(error.isEmpty() ? QString() : tr(" — %1").arg(error)),
                15000);
        });
    });
}

void MainWindow::triageStreamStatus(const MonitorStatus& status)
{
    // Judged only while the stream is read: a device is never said to send nothing because the
    // workbench could not see.
    if (status.phase == MonitorStatus::Phase::Running && !m_triageListening) {
        m_triageListening = true;
        m_triage->setListening(QDateTime::currentMSecsSinceEpoch());
        m_overview->setBlindness({});
    } else if ((status.phase == MonitorStatus::Phase::Failed || status.phase == MonitorStatus::Phase::Stopped)
        && m_triageListening) {
        m_triageListening = false;
        m_triage->setListening(0);
        m_overview->setBlindness(tr("The event stream is not being read (%1): the overview below is as it was "
                                    "then, and says nothing of data since.")
                                     .arg(status.message.isEmpty() ? tr("stopped") : status.message));
    } else if (status.phase == MonitorStatus::Phase::Failed && !m_overview->result()) {
        m_overview->clear(tr("The event stream could not be read (%1): without it the overview cannot say which "
                             "devices send data.")
                              .arg(status.message));
    }
}

void MainWindow::routeObservations(const ObservationBatch& batch)
{
    m_triage->addObservations(batch);
    m_deviceView->append(batch);
    m_allDevices->append(batch);
    QHash<QString, QPair<int, qint64>> seen;
    for (const auto& o : *batch) {
        auto& s = seen[o.event.deviceId];
        ++s.first;
        s.second = std::max(s.second, o.event.enqueuedMs);
    }
    m_picker->model()->noteActivity(seen);
}

void MainWindow::showConnectDialog()
{
    m_signIn->showConnectDialog();
}

void MainWindow::openDemo(bool withDemoTemplate)
{
    m_signIn->startDemo();
    if (withDemoTemplate)
        openDemoTemplate();
}

void MainWindow::selectDevice(const QString& id)
{
    if (!m_picker->select(id))
        m_deviceView->setDevice(id);
    m_tabs->setCurrentWidget(m_deviceView);
}

QString MainWindow::currentDevice() const
{
    return m_deviceView->deviceId();
}

void MainWindow::selectNewestMessage()
{
    auto* raw = m_deviceView->rawData();
    const int rows = raw->filtered()->rowCount();
    if (rows > 0)
        raw->selectRow(rows - 1);
}

void MainWindow::setUnattended(bool on)
{
    m_signIn->setUnattended(on);
}

bool MainWindow::showView(const QString& name)
{
    if (name == QLatin1String("overview")) {
        m_tabs->setCurrentWidget(m_overview);
        return true;
    }
    if (name == QLatin1String("app")) {
        m_tabs->setCurrentWidget(m_allDevices);
        return true;
    }
    if (name == QLatin1String("codes")) {
        m_tabs->setCurrentWidget(m_knowledge);
        return true;
    }
    if (name == QLatin1String("template")) {
        m_tabs->setCurrentWidget(m_template);
        return true;
    }
    if (!m_deviceView->showTab(name))
        return false;
    m_tabs->setCurrentWidget(m_deviceView);
    return true;
}

Diagnosis MainWindow::deviceReport() const
{
    return deviceViewExport(m_session->profile().baseUrl, *m_deviceView, m_lastNetCheck ? &*m_lastNetCheck : nullptr);
}

bool MainWindow::exportDeviceReport(const QString& path, QString& error)
{
    if (m_deviceView->deviceId().isEmpty()) {
        error = tr("No device selected");
        return false;
    }
    return writeDiagnosisReport(deviceReport(), path, error);
}

void MainWindow::exportInteractive()
{
    if (m_deviceView->deviceId().isEmpty()) {
        statusBar()->showMessage(tr("Pick a device first"), 5000);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export device report"),
        QStringLiteral("%1-report.html").arg(m_deviceView->deviceId()),
        tr("HTML (*.html);;Markdown (*.md);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    // What the panes hold is gathered here; rendering and writing happen on a worker thread.
    runOffGuiThread(
        [d = deviceReport(), path] {
            QString error;
            return writeDiagnosisReport(d, path, error) ? QString() : error;
        },
        tr("Report written to %1 (secrets redacted)").arg(path), tr("Report not written"));
}

void MainWindow::runOffGuiThread(std::function<QString()> job, const QString& done, const QString& failedTitle)
{
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, done, failedTitle] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (error.isEmpty())
            statusBar()->showMessage(done, 8000);
        else
            QMessageBox::warning(this, failedTitle, error);
    });
    watcher->setFuture(QtConcurrent::run(std::move(job)));
}

QImage MainWindow::screenshot()
{
    return ticketScreenshot(this, m_session->appLabel(), m_deviceView->deviceId());
}

void MainWindow::copyScreenshot()
{
    QApplication::clipboard()->setImage(screenshot());
    statusBar()->showMessage(tr("Screenshot copied (secrets masked)"), 5000);
}

bool MainWindow::saveScreenshot(const QString& path)
{
    return screenshot().save(path, "PNG");
}

void MainWindow::startCapture(const QString& path)
{
    if (!m_session->monitor()) {
        QMessageBox::information(this, tr("Capture"), tr("Start live monitoring first (Ctrl+M)."));
        m_actions.capture->setChecked(false);
        return;
    }
    m_session->monitor()->startCapture(path);
    m_actions.capture->setChecked(true);
}

void MainWindow::stopCapture()
{
    if (m_session->monitor())
        m_session->monitor()->stopCapture();
    m_actions.capture->setChecked(false);
}

void MainWindow::replayCapture(const QString& path)
{
    if (!m_session->isConnected())
        statusBar()->showMessage(tr("Not connected: messages are replayed without their devices' templates"), 8000);
    m_session->replay(path);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("windowState"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
}

} // namespace iotc
