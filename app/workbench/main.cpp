#include "mainwindow.h"
#include "payloadpane.h"

#include <cstdio>
#include <memory>

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("iotc-workbench"));
    QApplication::setOrganizationDomain(QStringLiteral("iotc-workbench.github.io"));
    QApplication::setApplicationVersion(QStringLiteral(IOTC_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Finds out why a device's data is not showing up in Azure IoT Central."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the built-in demo application."));
    const QCommandLineOption templateFile(QStringLiteral("template"),
        QStringLiteral("Open a device template file and show its capabilities."), QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window once the template is loaded and validated, save it as PNG and exit."),
        QStringLiteral("FILE"));
    parser.addOption(demo);
    parser.addOption(templateFile);
    parser.addOption(screenshot);
    parser.process(app);

    iotc::MainWindow window;
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QObject::connect(&window, &iotc::MainWindow::templateLoaded, &window, [&window](bool ok) {
            if (ok)
                window.payloadPane()->validate();
            else
                QCoreApplication::exit(1);
        });
        // The picture is taken once everything it should show is there: the validated payload
        // and, with --demo, the running demo app.
        auto pending = std::make_shared<int>(parser.isSet(demo) && !parser.isSet(templateFile) ? 2 : 1);
        auto shoot = [&window, file, pending] {
            if (--*pending > 0)
                return;
            const bool saved = window.grab().save(file, "PNG");
            if (!saved)
                std::fprintf(stderr, "iotc-workbench: cannot write %s\n", qPrintable(file));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        QObject::connect(window.payloadPane(), &iotc::PayloadPane::validated, &window, shoot);
        QObject::connect(&window, &iotc::MainWindow::demoAppStarted, &window, shoot);
    }
    if (parser.isSet(templateFile))
        window.openTemplate(parser.value(templateFile));
    else if (parser.isSet(demo))
        window.openDemo();
    window.show();
    return app.exec();
}
