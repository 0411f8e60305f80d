#include "mainwindow.h"

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
    parser.setApplicationDescription(QStringLiteral("Finds out why a device's data is not showing up in Azure IoT Central."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the built-in demo application."));
    const QCommandLineOption templateFile(QStringLiteral("template"),
        QStringLiteral("Open a device template file and show its capabilities."), QStringLiteral("FILE"));
    parser.addOption(demo);
    parser.addOption(templateFile);
    parser.process(app);

    iotc::MainWindow window;
    if (parser.isSet(templateFile))
        window.openTemplate(parser.value(templateFile));
    else if (parser.isSet(demo))
        window.openDemo();
    window.show();
    return app.exec();
}
