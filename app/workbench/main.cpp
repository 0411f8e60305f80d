#include "mainwindow.h"
#include "payloadpane.h"

#include "knowledge/advice.h"
#include "knowledge/knowledgebase.h"
#include "util/numbers.h"

#include <cstdio>
#include <memory>

#include <QApplication>
#include <QCommandLineParser>
#include <QThreadPool>
#include <QTimer>

int main(int argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("iotc-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("IoT Central Workbench"));
    QApplication::setOrganizationDomain(QStringLiteral("iotc-workbench.github.io"));
    QApplication::setApplicationVersion(QStringLiteral(IOTC_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.iotc_workbench.Workbench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Finds out why a device's data is not showing up in Azure IoT Central."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
        QStringLiteral("Start the built-in simulated IoT Central app (every failure of the guide) and connect to it."));
    const QCommandLineOption templateFile(QStringLiteral("template"),
        QStringLiteral("Open a device template file in the Template tab."), QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window once it shows what was asked for, save it as PNG and exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption selectDevice(
        QStringLiteral("select-device"), QStringLiteral("Open this device."), QStringLiteral("ID"));
    const QCommandLineOption tab(QStringLiteral("tab"),
        QStringLiteral("Show this view: overview, status, telemetry, properties, raw, issues, diagnose, connectivity, "
                       "app, codes, template."),
        QStringLiteral("NAME"));
    const QCommandLineOption waitMs(QStringLiteral("wait-ms"),
        QStringLiteral("With --screenshot: wait this long after the app is ready (default 3000)."), QStringLiteral("N"),
        QStringLiteral("3000"));
    parser.addOptions({ demo, templateFile, screenshot, selectDevice, tab, waitMs });
    parser.process(app); // (exits on --help, --version and unknown options: before any thread starts)
    // A negative wait never fires (the window would stay open forever), nonsense would mean 0.
    const auto waitValue = iotc::parseInteger(parser.value(waitMs).toStdString());
    if (!waitValue || *waitValue < 0 || *waitValue > 600000) {
        std::fprintf(stderr,
            "iotc-workbench: invalid value for --wait-ms: %s (expected milliseconds from 0 to 600000)\n",
            qPrintable(parser.value(waitMs)));
        return 2;
    }
    const int wait = static_cast<int>(*waitValue);
    // The advice texts and the knowledge base are parsed once, here off the GUI thread; a view that
    // asks before this is done waits for the same load instead of parsing it again.
    QThreadPool::globalInstance()->start([] {
        iotc::AdviceBook::builtIn(); // never throws: a broken resource is an empty book
        try {
            iotc::KnowledgeBase::builtIn();
        } catch (const std::exception&) {
            // Missing from this build: the view that needs it says so when it asks.
        }
    });

    iotc::MainWindow window;
    const bool shooting = parser.isSet(screenshot);
    window.setUnattended(shooting);
    const QString deviceId = parser.value(selectDevice);
    const QString view = parser.value(tab);
    // Opens what --select-device and --tab asked for, with or without --screenshot.
    auto applyView = [&window, deviceId, view] {
        if (!deviceId.isEmpty())
            window.selectDevice(deviceId);
        if (!view.isEmpty() && !window.showView(view))
            std::fprintf(stderr, "iotc-workbench: no view called %s\n", qPrintable(view));
    };
    const QString file = parser.value(screenshot);
    auto shoot = [&window, file, view] {
        // The Raw data picture shows a message's detail, as a user clicking a row would see it.
        if (view == QLatin1String("raw"))
            window.selectNewestMessage();
        const bool saved = window.saveScreenshot(file);
        if (!saved)
            std::fprintf(stderr, "iotc-workbench: cannot write %s\n", qPrintable(file));
        QCoreApplication::exit(saved ? 0 : 1);
    };
    // When what was asked for is ready: once (a later reconnect or template leaves the view alone).
    auto ready = [applyView, shoot, shooting, wait] {
        applyView();
        if (shooting)
            QTimer::singleShot(wait, shoot);
    };
    if (parser.isSet(demo)) {
        // Ready = connected to the demo app and the device list is in.
        if (shooting) {
            QObject::connect(&window, &iotc::MainWindow::connected, &window, [](bool ok) {
                if (!ok) {
                    std::fprintf(stderr, "iotc-workbench: the demo app did not start\n");
                    QCoreApplication::exit(1);
                }
            });
        }
        QObject::connect(&window, &iotc::MainWindow::devicesLoaded, &window, ready, Qt::SingleShotConnection);
    } else if (parser.isSet(templateFile)) {
        QObject::connect(
            &window, &iotc::MainWindow::templateLoaded, &window,
            [&window, ready, shooting](bool ok) {
                if (!ok) {
                    if (shooting)
                        QCoreApplication::exit(1);
                    return;
                }
                if (shooting) {
                    window.payloadPane()->validate();
                    window.showView(QStringLiteral("template"));
                }
                ready();
            },
            Qt::SingleShotConnection);
    } else {
        // Nothing to wait for: the start window.
        QTimer::singleShot(0, &window, ready);
    }
    if (parser.isSet(demo))
        window.openDemo(!parser.isSet(templateFile)); // a template given wins over the demo's
    if (parser.isSet(templateFile))
        window.openTemplate(parser.value(templateFile));
    window.show();
    return app.exec();
}
