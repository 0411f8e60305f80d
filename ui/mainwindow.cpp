#include "mainwindow.h"

#include "connectdialog.h"
#include "deviceactivitymodel.h"
#include "deviceexport.h"
#include "devicelistmodel.h"
#include "devicepicker.h"
#include "deviceview.h"
#include "diagnosepane.h"
#include "issuesummarymodel.h"
#include "knowledgepane.h"
#include "monitorstatuswidget.h"
#include "payloadpane.h"
#include "provisioningpanel.h"
#include "rawdatamodel.h"
#include "rawdatapane.h"
#include "screenshot.h"
#include "screenshotsafe.h"
#include "session.h"
#include "shortcutsdialog.h"
#include "templateworkspace.h"

#include "central/secretstore.h"
#include "monitor/livemonitor.h"
#include "report/diagnosisreport.h"
#include "sim/simulatedapp.h"
#include "template/templateparser.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_picker(new DevicePicker(this))
    , m_pickerDock(new QDockWidget(tr("Devices"), this))
    , m_tabs(new QTabWidget(this))
    , m_deviceView(new DeviceView(m_session, this))
    , m_appRaw(new RawDataPane(true, this))
    , m_activity(new DeviceActivityModel(this))
    , m_activityView(new QTableView(this))
    , m_knowledge(new KnowledgePane(this))
    , m_template(new TemplateWorkspace(this))
    , m_monitorStatus(new MonitorStatusWidget(this))
    , m_connection(new QLabel(this))
    , m_secrets(std::make_shared<SecretStore>())
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("IoT Central Workbench"));
    m_pickerDock->setObjectName(QStringLiteral("devicesDock"));
    m_pickerDock->setWidget(m_picker);
    m_pickerDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, m_pickerDock);

    // Whole-app monitor: per-device counts (sortable, worst first on a click) over the Raw data table.
    auto* activitySort = new QSortFilterProxyModel(this);
    activitySort->setSourceModel(m_activity);
    activitySort->setSortRole(Qt::EditRole);
    m_activityView->setModel(activitySort);
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
    auto* whole = new QSplitter(Qt::Vertical, this);
    whole->addWidget(m_activityView);
    whole->addWidget(m_appRaw);
    whole->setStretchFactor(0, 1);
    whole->setStretchFactor(1, 2);

    m_tabs->addTab(m_deviceView, tr("Device"));
    m_tabs->addTab(whole, tr("All devices"));
    m_tabs->addTab(m_knowledge, tr("Error codes && device log"));
    m_tabs->addTab(m_template, tr("Template && payload"));
    setCentralWidget(m_tabs);

    m_connection->setObjectName(QStringLiteral("connectionState"));
    // Permanent: transient messages never hide the connection and monitor state.
    statusBar()->addPermanentWidget(m_monitorStatus);
    statusBar()->addPermanentWidget(m_connection);
    m_connection->setText(tr("Not connected — File → Connect (Ctrl+K) or Try the demo (Ctrl+Shift+D)"));

    createActions();
    wireSession();
    connect(m_template, &TemplateWorkspace::templateLoaded, this, [this](bool ok, const QString& what) {
        statusBar()->showMessage(ok ? tr("Loaded %1").arg(what) : tr("Template not loaded"), 8000);
        Q_EMIT templateLoaded(ok);
    });
    connect(m_picker, &DevicePicker::deviceChosen, this, [this](const QString& id) {
        m_deviceView->setDevice(id);
        if (m_tabs->currentIndex() != 0)
            m_tabs->setCurrentIndex(0);
    });
    connect(m_picker, &DevicePicker::loadFinished, this, [this](qint64 count, const QString& error) {
        if (!error.isEmpty())
            statusBar()->showMessage(tr("Device list incomplete: %1").arg(error), 10000);
        Q_EMIT devicesLoaded(count);
    });
    connect(m_activityView, &QTableView::doubleClicked, this, [this, activitySort](const QModelIndex& i) {
        selectDevice(m_activity->deviceAt(activitySort->mapToSource(i).row()));
    });
    connect(m_deviceView, &DeviceView::exportRequested, this, &MainWindow::exportInteractive);
    connect(m_deviceView, &DeviceView::screenshotRequested, this, &MainWindow::copyScreenshot);
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

void MainWindow::wireSession()
{
    connect(m_session, &Session::connecting, this, [this](const QString& what) { m_connection->setText(what); });
    connect(m_session, &Session::connectionFailed, this, [this](const QString& why) {
        m_connection->setText(tr("✖ Not connected"));
        if (m_demoRequested)
            Q_EMIT demoAppStarted(false);
        m_demoRequested = false;
        Q_EMIT connected(false);
        QMessageBox box(QMessageBox::Warning, tr("Could not connect"), why, QMessageBox::Ok, this);
        box.setInformativeText(tr("Check the application name and the token (File → Connect)."));
        if (!QCoreApplication::arguments().contains(QStringLiteral("--screenshot")) && isVisible())
            box.exec();
    });
    connect(m_session, &Session::connected, this, [this] {
        m_connection->setText(tr("● Connected to %1").arg(m_session->appLabel()));
        QSettings().setValue(
            QStringLiteral("lastApplication"), m_session->isDemo() ? QString() : m_session->profile().baseUrl);
        m_deviceView->setDevice({});
        m_appRaw->model()->clear();
        m_activity->clear();
        m_picker->load(m_session->client());
        m_session->startMonitor(ConsumerStart::minutesAgo(5));
        if (m_demoRequested)
            Q_EMIT demoAppStarted(true);
        m_demoRequested = false;
        Q_EMIT connected(true);
    });
    connect(m_session, &Session::monitorChanged, this, [this](LiveMonitor* monitor) {
        if (m_monitorAction)
            m_monitorAction->setChecked(monitor != nullptr);
        if (!monitor) {
            m_monitorStatus->clear(tr("Live telemetry: off"));
            return;
        }
        connect(monitor, &LiveMonitor::observations, this, [this](const ObservationBatch& batch) {
            m_deviceView->append(batch);
            m_appRaw->append(batch);
            m_activity->append(batch);
            QHash<QString, QPair<int, qint64>> seen;
            for (const auto& o : *batch) {
                auto& s = seen[o.event.deviceId];
                ++s.first;
                s.second = std::max(s.second, o.event.enqueuedMs);
            }
            m_picker->model()->noteActivity(seen);
        });
        connect(monitor, &LiveMonitor::statusChanged, m_monitorStatus, &MonitorStatusWidget::setStatus);
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

void MainWindow::createActions()
{
    auto add = [this](QMenu* menu, const QString& text, const QKeySequence& key, auto slot) {
        auto* a = menu->addAction(text);
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        m_shortcutActions << a;
        return a;
    };
    auto* file = menuBar()->addMenu(tr("&File"));
    add(file, tr("&Connect to an application…"), QKeySequence(QStringLiteral("Ctrl+K")),
        [this] { showConnectDialog(); });
    add(file, tr("Try the &demo app"), QKeySequence(QStringLiteral("Ctrl+Shift+D")), [this] { openDemo(); });
    file->addSeparator();
    add(file, tr("Open &template…"), QKeySequence(QStringLiteral("Ctrl+T")), [this] {
        const auto path = QFileDialog::getOpenFileName(this, tr("Open device template"), QString(),
            tr("Device templates and DTDL models (*.json);;All files (*)"));
        if (!path.isEmpty())
            openTemplate(path);
    });
    add(file, tr("Open the demo te&mplate"), {}, [this] { openDemoTemplate(); });
    file->addSeparator();
    add(file, tr("&Export device report…"), QKeySequence(QStringLiteral("Ctrl+E")), [this] { exportInteractive(); });
    add(file, tr("Save &screenshot…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"),
            QStringLiteral("iotc-workbench-%1.png").arg(m_deviceView->deviceId()), tr("PNG images (*.png)"));
        if (path.isEmpty())
            return;
        // Taken here (it is the window), encoded and written on a worker thread.
        runOffGuiThread(
            [image = screenshot(), path] {
                return image.save(path, "PNG") ? QString() : QObject::tr("Cannot write %1").arg(path);
            },
            tr("Screenshot saved to %1").arg(path), tr("Screenshot not saved"));
    });
    add(file, tr("Copy screenshot to clip&board"), QKeySequence(QStringLiteral("Ctrl+Shift+C")),
        [this] { copyScreenshot(); });
    file->addSeparator();
    add(file, tr("&Quit"), QKeySequence::Quit, [] { QApplication::quit(); });

    auto* live = menuBar()->addMenu(tr("&Live"));
    m_monitorAction = add(live, tr("&Monitor live telemetry"), QKeySequence(QStringLiteral("Ctrl+M")), [this](bool on) {
        if (on)
            m_session->startMonitor(m_session->monitorStart(), m_session->consumerGroup());
        else
            m_session->stopMonitor();
    });
    m_monitorAction->setCheckable(true);
    add(live, tr("Start &position…"), {}, [this] {
        QStringList items { tr("Now"), tr("5 minutes ago"), tr("1 hour ago"), tr("Beginning of retention") };
        bool ok = false;
        const QString choice
            = QInputDialog::getItem(this, tr("Start position"), tr("Read events from:"), items, 1, false, &ok);
        if (!ok)
            return;
        ConsumerStart start;
        const int i = items.indexOf(choice);
        if (i == 1)
            start = ConsumerStart::minutesAgo(5);
        else if (i == 2)
            start = ConsumerStart::minutesAgo(60);
        else if (i == 3)
            start.kind = ConsumerStart::Kind::Beginning;
        m_session->startMonitor(start, m_session->consumerGroup());
    });
    add(live, tr("Consumer &group…"), {}, [this] {
        bool ok = false;
        const QString group = QInputDialog::getText(this, tr("Consumer group"),
            tr("Event hub consumer group (another reader with an epoch in the same group takes the partitions):"),
            QLineEdit::Normal, m_session->consumerGroup(), &ok);
        if (ok)
            m_session->startMonitor(m_session->monitorStart(), group);
    });
    live->addSeparator();
    m_captureAction = add(live, tr("&Record capture…"), QKeySequence(QStringLiteral("Ctrl+R")), [this](bool on) {
        if (!on) {
            stopCapture();
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Record a capture"),
            QStringLiteral("capture-%1.jsonl")
                .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))),
            tr("Captures (*.jsonl);;Compressed captures (*.jsonl.gz)"));
        if (path.isEmpty()) {
            m_captureAction->setChecked(false);
            return;
        }
        startCapture(path);
    });
    m_captureAction->setCheckable(true);
    add(live, tr("&Open capture…"), QKeySequence(QStringLiteral("Ctrl+O")), [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a capture"), QString(), tr("Captures (*.jsonl *.jsonl.gz);;All files (*)"));
        if (!path.isEmpty())
            replayCapture(path);
    });

    auto* device = menuBar()->addMenu(tr("&Device"));
    add(device, tr("&Search devices"), QKeySequence::Find, [this] { m_picker->focusSearch(); });
    add(device, tr("Open device by &ID…"), QKeySequence(QStringLiteral("Ctrl+L")), [this] {
        bool ok = false;
        const QString id = QInputDialog::getText(this, tr("Open device"), tr("Device ID:"), QLineEdit::Normal, {}, &ok);
        if (ok && !id.trimmed().isEmpty())
            selectDevice(id.trimmed());
    });
    add(device, tr("&Diagnose"), QKeySequence(QStringLiteral("Ctrl+D")), [this] {
        showView(QStringLiteral("diagnose"));
        m_deviceView->diagnose()->run();
    });
    device->addSeparator();
    const QStringList views { QStringLiteral("status"), QStringLiteral("telemetry"), QStringLiteral("properties"),
        QStringLiteral("raw"), QStringLiteral("issues"), QStringLiteral("diagnose"), QStringLiteral("app"),
        QStringLiteral("codes") };
    const QStringList labels { tr("Status"), tr("Telemetry"), tr("Properties"), tr("Raw data"), tr("Issues"),
        tr("Diagnose"), tr("All devices"), tr("Error codes && device log") };
    for (int i = 0; i < views.size(); ++i)
        add(device, tr("Show %1").arg(labels[i]), QKeySequence(QStringLiteral("Alt+%1").arg(i + 1)),
            [this, v = views[i]] { showView(v); });

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* safe = add(view, tr("Screenshot-&safe mode (mask keys and tokens)"),
        QKeySequence(QStringLiteral("Ctrl+Shift+H")), [this](bool on) {
            setScreenshotSafe(on);
            m_tabs->currentWidget()->update();
            statusBar()->showMessage(
                on ? tr("Secrets are masked everywhere") : tr("Secrets are shown as received"), 5000);
        });
    safe->setCheckable(true);
    safe->setChecked(screenshotSafe());
    view->addAction(m_pickerDock->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    add(help, tr("&Keyboard shortcuts"), QKeySequence(QStringLiteral("F1")), [this] { showShortcuts(); });
    add(help, tr("&About"), {}, [this] {
        QMessageBox::about(this, tr("About IoT Central Workbench"),
            tr("IoT Central Workbench %1\nFinds out why a device's data is not showing up in Azure IoT Central.")
                .arg(QStringLiteral(IOTC_VERSION)));
    });

    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (auto* a : m_shortcutActions) {
        const QString t = a->text();
        if (t == tr("&Connect to an application…") || t == tr("Try the &demo app") || a == m_monitorAction
            || a == m_captureAction || t == tr("&Diagnose") || t == tr("&Export device report…")
            || t == tr("Copy screenshot to clip&board"))
            bar->addAction(a);
    }
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(m_shortcutActions, this);
    dialog.exec();
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(this);
    dialog.setApplication(QSettings().value(QStringLiteral("lastApplication")).toString());
    dialog.prefillSecrets(m_secrets);
    const int result = dialog.exec();
    if (result == ConnectDialog::Demo) {
        openDemo();
        return;
    }
    if (result != QDialog::Accepted)
        return;
    std::optional<EventHubTarget> eventHub;
    if (!dialog.eventHubConnectionString().isEmpty()) {
        QString error;
        eventHub = EventHubTarget::fromConnectionString(dialog.eventHubConnectionString(), error);
        if (!eventHub) {
            QMessageBox::warning(this, tr("Event Hubs connection string"), error);
            return;
        }
    }
    m_connection->setText(dialog.useAzLogin() ? tr("Asking az for a token…") : tr("Connecting…"));
    auto* watcher = new QFutureWatcher<ConnectDialog::SignIn>(this);
    connect(watcher, &QFutureWatcher<ConnectDialog::SignIn>::finished, this,
        [this, watcher, profile = dialog.profile(), eventHub]() mutable {
            const auto signIn = watcher->result();
            watcher->deleteLater();
            if (!signIn.error.isEmpty()) {
                m_connection->setText(tr("✖ Not connected"));
                QMessageBox::warning(this, tr("Could not sign in"), signIn.error);
                return;
            }
            profile.authorization = signIn.authorization;
            if (!m_secrets->persistent())
                statusBar()->showMessage(m_secrets->notice(), 15000);
            m_session->connectTo(profile, eventHub);
        });
    watcher->setFuture(dialog.signIn(m_secrets));
}

void MainWindow::openDemo(bool withDemoTemplate)
{
    m_demoRequested = true;
    m_session->startDemo();
    if (withDemoTemplate)
        openDemoTemplate();
}

void MainWindow::selectDevice(const QString& id)
{
    if (!m_picker->select(id))
        m_deviceView->setDevice(id);
    m_tabs->setCurrentIndex(0);
}

bool MainWindow::showView(const QString& name)
{
    if (name == QLatin1String("app")) {
        m_tabs->setCurrentIndex(1);
        return true;
    }
    if (name == QLatin1String("codes")) {
        m_tabs->setCurrentIndex(2);
        return true;
    }
    if (name == QLatin1String("template")) {
        m_tabs->setCurrentIndex(3);
        return true;
    }
    if (!m_deviceView->showTab(name))
        return false;
    m_tabs->setCurrentIndex(0);
    return true;
}

Diagnosis MainWindow::deviceReport() const
{
    return buildDeviceExport(m_session->profile().baseUrl, m_deviceView->deviceId(),
        m_deviceView->provisioning()->report(), *m_deviceView->issues(), *m_deviceView->rawData()->model(),
        m_deviceView->diagnose()->diagnosis());
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
        m_captureAction->setChecked(false);
        return;
    }
    m_session->monitor()->startCapture(path);
    m_captureAction->setChecked(true);
}

void MainWindow::stopCapture()
{
    if (m_session->monitor())
        m_session->monitor()->stopCapture();
    m_captureAction->setChecked(false);
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
