#include "mainwindow.h"

#include "demopane.h"
#include "payloadpane.h"
#include "templatepane.h"

#include "sim/simulatedapp.h"
#include "template/templateparser.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_templatePane(new TemplatePane(this))
    , m_payloadPane(new PayloadPane(this))
    , m_demoPane(new DemoPane(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("IoT Central Workbench"));
    auto* splitter = new QSplitter(this);
    auto* left = new QSplitter(Qt::Vertical, splitter);
    left->addWidget(m_templatePane);
    left->addWidget(m_demoPane);
    m_demoPane->hide();
    splitter->addWidget(left);
    splitter->addWidget(m_payloadPane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    setCentralWidget(splitter);
    createActions();
    connect(&m_loader, &QFutureWatcher<LoadResult>::finished, this, &MainWindow::loadFinished);
    connect(&m_demoStarter, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = m_demoStarter.result();
        if (error.isEmpty()) {
            m_demoPane->showRunning(m_demo->endpoints(), m_demo->state().catalog());
            statusBar()->showMessage(tr("Demo app running at %1").arg(m_demo->endpoints().baseUrl));
        } else {
            m_demoPane->showFailed(error);
            statusBar()->showMessage(tr("Demo app not started"));
        }
        Q_EMIT demoAppStarted(error.isEmpty());
    });
    resize(1200, 760);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createActions()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open template…"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const auto path = QFileDialog::getOpenFileName(this, tr("Open device template"), QString(),
            tr("Device templates and DTDL models (*.json);;All files (*)"));
        if (!path.isEmpty())
            openTemplate(path);
    });
    auto* demo = file->addAction(tr("Open the &demo template"));
    connect(demo, &QAction::triggered, this, &MainWindow::openDemo);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* about = help->addAction(tr("&About"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About IoT Central Workbench"),
            tr("IoT Central Workbench %1\nFinds out why a device's data is not showing up in Azure IoT Central.")
                .arg(QStringLiteral(IOTC_VERSION)));
    });
}

MainWindow::~MainWindow()
{
    m_demoStarter.waitForFinished();
}

void MainWindow::startDemoApp()
{
    if (m_demo || m_demoStarter.isRunning())
        return;
    m_demoPane->show();
    m_demoPane->showStarting();
    sim::SimOptions options;
    options.extraDevices = 200;
    m_demo = std::make_unique<sim::SimulatedApp>(options);
    // Binding sockets and starting threads is quick, but it is I/O: not on the GUI thread.
    m_demoStarter.setFuture(QtConcurrent::run([app = m_demo.get()]() -> QString {
        try {
            app->start();
            return {};
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    }));
}

void MainWindow::startLoad(const QString& label, std::function<LoadResult()> job)
{
    if (m_loader.isRunning()) {
        statusBar()->showMessage(tr("Still loading %1…").arg(m_loading));
        return;
    }
    m_loading = label;
    m_templatePane->setMessage(tr("Loading %1…").arg(label));
    statusBar()->showMessage(tr("Loading %1…").arg(label));
    m_loader.setFuture(QtConcurrent::run(std::move(job)));
}

void MainWindow::openTemplate(const QString& path)
{
    startLoad(path, [path] {
        LoadResult result;
        try {
            result.tpl = std::make_shared<const DeviceTemplate>(loadTemplateFile(path.toStdString()));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void MainWindow::openDemo()
{
    startDemoApp();
    m_payloadPane->setPayload(QStringLiteral("{\"Temperature\": 21.5}"));
    startLoad(tr("the demo template"), [] {
        LoadResult result;
        QFile file(QStringLiteral(":/demo/temperaturecontroller-2.expanded.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = tr("the built-in demo template is missing from this build");
            return result;
        }
        const QByteArray bytes = file.readAll();
        try {
            result.tpl = std::make_shared<const DeviceTemplate>(parseTemplateText(
                std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())), "demo template"));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void MainWindow::loadFinished()
{
    const LoadResult result = m_loader.result();
    if (!result.tpl) {
        m_templatePane->setMessage(tr("Could not load %1:\n%2").arg(m_loading, result.error));
        statusBar()->showMessage(tr("Template not loaded"));
        Q_EMIT templateLoaded(false);
        return;
    }
    m_templatePane->setTemplate(result.tpl);
    m_payloadPane->setTemplate(result.tpl);
    statusBar()->showMessage(tr("Loaded %1").arg(m_loading));
    Q_EMIT templateLoaded(true);
}

} // namespace iotc
