#include "commands.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("iotc-diag"));
    QCoreApplication::setApplicationVersion(QStringLiteral(IOTC_VERSION));
    return iotc::cli::runDiag(argc, argv);
}
