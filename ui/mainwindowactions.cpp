// MainWindow's menus, their actions and keyboard shortcuts, and the toolbar built from them.
#include "mainwindow.h"

#include "devicepicker.h"
#include "deviceview.h"
#include "diagnosepane.h"
#include "netcheckdialog.h"
#include "screenshotsafe.h"
#include "session.h"
#include "shortcutsdialog.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QImage>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

namespace iotc {

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
    m_actions.connect = add(file, tr("&Connect to an application…"), QKeySequence(QStringLiteral("Ctrl+K")),
        [this] { showConnectDialog(); });
    m_actions.demo
        = add(file, tr("Try the &demo app"), QKeySequence(QStringLiteral("Ctrl+Shift+D")), [this] { openDemo(); });
    file->addSeparator();
    m_actions.openTemplate = add(file, tr("Open &template…"), QKeySequence(QStringLiteral("Ctrl+T")), [this] {
        const auto path = QFileDialog::getOpenFileName(this, tr("Open device template"), QString(),
            tr("Device templates and DTDL models (*.json);;All files (*)"));
        if (!path.isEmpty())
            openTemplate(path);
    });
    add(file, tr("Open the demo te&mplate"), {}, [this] { openDemoTemplate(); });
    file->addSeparator();
    m_actions.exportReport = add(
        file, tr("&Export device report…"), QKeySequence(QStringLiteral("Ctrl+E")), [this] { exportInteractive(); });
    m_actions.saveScreenshot = add(file, tr("Save &screenshot…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), [this] {
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
    m_actions.copyScreenshot = add(file, tr("Copy screenshot to clip&board"),
        QKeySequence(QStringLiteral("Ctrl+Shift+C")), [this] { copyScreenshot(); });
    file->addSeparator();
    add(file, tr("&Quit"), QKeySequence::Quit, [] { QApplication::quit(); });

    auto* live = menuBar()->addMenu(tr("&Live"));
    m_actions.monitor
        = add(live, tr("&Monitor live telemetry"), QKeySequence(QStringLiteral("Ctrl+M")), [this](bool on) {
              if (on)
                  m_session->startMonitor(m_session->monitorStart(), m_session->consumerGroup());
              else
                  m_session->stopMonitor();
          });
    m_actions.monitor->setCheckable(true);
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
    m_actions.capture = add(live, tr("&Record capture…"), QKeySequence(QStringLiteral("Ctrl+R")), [this](bool on) {
        if (!on) {
            stopCapture();
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Record a capture"),
            QStringLiteral("capture-%1.jsonl")
                .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))),
            tr("Captures (*.jsonl);;Compressed captures (*.jsonl.gz)"));
        if (path.isEmpty()) {
            m_actions.capture->setChecked(false);
            return;
        }
        startCapture(path);
    });
    m_actions.capture->setCheckable(true);
    m_actions.openCapture = add(live, tr("&Open capture…"), QKeySequence(QStringLiteral("Ctrl+O")), [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a capture"), QString(), tr("Captures (*.jsonl *.jsonl.gz);;All files (*)"));
        if (!path.isEmpty())
            replayCapture(path);
    });

    auto* device = menuBar()->addMenu(tr("&Device"));
    m_actions.searchDevices
        = add(device, tr("&Search devices"), QKeySequence::Find, [this] { m_picker->focusSearch(); });
    m_actions.openDevice = add(device, tr("Open device by &ID…"), QKeySequence(QStringLiteral("Ctrl+L")), [this] {
        bool ok = false;
        const QString id = QInputDialog::getText(this, tr("Open device"), tr("Device ID:"), QLineEdit::Normal, {}, &ok);
        if (ok && !id.trimmed().isEmpty())
            selectDevice(id.trimmed());
    });
    m_actions.diagnose = add(device, tr("&Diagnose"), QKeySequence(QStringLiteral("Ctrl+D")), [this] {
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
    add(device, tr("Show the Overview"), QKeySequence(QStringLiteral("Alt+0")),
        [this] { showView(QStringLiteral("overview")); });

    auto* tools = menuBar()->addMenu(tr("&Tools"));
    m_actions.netcheck = add(
        tools, tr("Check this &network…"), QKeySequence(QStringLiteral("Ctrl+Shift+N")), [this] { showNetCheck(); });

    auto* view = menuBar()->addMenu(tr("&View"));
    m_actions.screenshotSafe = add(view, tr("Screenshot-&safe mode (mask keys and tokens)"),
        QKeySequence(QStringLiteral("Ctrl+Shift+H")), [this](bool on) {
            setScreenshotSafe(on);
            m_tabs->currentWidget()->update();
            statusBar()->showMessage(
                on ? tr("Secrets are masked everywhere") : tr("Secrets are shown as received"), 5000);
        });
    m_actions.screenshotSafe->setCheckable(true);
    m_actions.screenshotSafe->setChecked(screenshotSafe());
    view->addAction(m_pickerDock->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    m_actions.shortcuts
        = add(help, tr("&Keyboard shortcuts"), QKeySequence(QStringLiteral("F1")), [this] { showShortcuts(); });
    add(help, tr("&About"), {}, [this] {
        QMessageBox::about(this, tr("About IoT Central Workbench"),
            tr("IoT Central Workbench %1\nFinds out why a device's data is not showing up in Azure IoT Central.")
                .arg(QStringLiteral(IOTC_VERSION)));
    });
}

QList<QAction*> MainWindow::toolBarActions() const
{
    return { m_actions.connect, m_actions.demo, m_actions.monitor, m_actions.capture, m_actions.diagnose,
        m_actions.exportReport, m_actions.copyScreenshot };
}

void MainWindow::createToolBar()
{
    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addActions(toolBarActions());
}

void MainWindow::showNetCheck()
{
    // The connected application's proxy and CAs, and its event hub when the session knows it.
    QStringList eventHubs;
    if (const auto target = m_session->eventHubTarget())
        eventHubs << target->hostName();
    auto* dialog = new NetCheckDialog(m_session->profile().network, eventHubs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NetCheckDialog::finished, this, [this, dialog] { m_lastNetCheck = dialog->report(); });
    dialog->show();
    dialog->run();
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(m_shortcutActions, this);
    dialog.exec();
}

} // namespace iotc
