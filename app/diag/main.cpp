#include "commands.h"
#include "runloop.h"

#include <QCoreApplication>

namespace {

// Before main(), after the libraries are loaded: from here on SIGINT/SIGTERM cannot end a stream
// command without its summary (runloop.h); commands that do not want them give them back.
const bool g_stopSignalsCaught = (iotc::cli::catchStopSignals(), true);

} // namespace

int main(int argc, char** argv)
{
    iotc::cli::catchStopSignals(); // (done above; kept here for whoever reorders the statics)
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("iotc-diag"));
    QCoreApplication::setApplicationVersion(QStringLiteral(IOTC_VERSION));
    return iotc::cli::runDiag(argc, argv);
}
