// The application overview at fleet scale, printed by one command (make bench, or
// build/tests/bench/iotc-bench-overview [devices] [events/s] [seconds]): a simulator in another
// process with 100,000 devices (default) sending 200 messages/s in all; the workbench connects to
// it and the overview (fleet triage on its own thread, painted at most once a second) is measured:
//  (1) the time from connecting to the first overview, and to the overview of every listed device;
//  (2) the longest GUI-thread stall (a 5 ms heartbeat timer) from connecting to the end, target < 50 ms;
//  (3) resident memory of the workbench once every device is judged and at the end, target < 300 MiB.
#include "devicelistmodel.h"
#include "devicepicker.h"
#include "mainwindow.h"
#include "overviewpane.h"
#include "session.h"

#include "rss.h"

#include "central/connection.h"
#include "triage/fleettriage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
    if (!std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    Q_INIT_RESOURCE(resources);
    QApplication app(argc, argv);
    const int devices = argc > 1 ? std::atoi(argv[1]) : 100000;
    const double rate = argc > 2 ? std::atof(argv[2]) : 200;
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 30;
    const QString bin = QCoreApplication::applicationDirPath() + QStringLiteral("/../../app/");

    QProcess sim;
    sim.setProcessChannelMode(QProcess::SeparateChannels);
    sim.start(bin + QStringLiteral("iotc-diag"),
        { QStringLiteral("sim"), QStringLiteral("--devices"), QString::number(devices), QStringLiteral("--rate"),
            QStringLiteral("0"), QStringLiteral("--extra-rate"), QString::number(rate / devices, 'g', 6) });
    if (!sim.waitForReadyRead(120000)) {
        std::fprintf(
            stderr, "cannot start iotc-diag sim --devices %d: %s\n", devices, sim.readAllStandardError().constData());
        return 1;
    }
    const auto e = QJsonDocument::fromJson(sim.readLine()).object();
    auto profile = iotc::ConnectionProfile::forBaseUrl(e.value(QStringLiteral("baseUrl")).toString());
    profile.setToken(e.value(QStringLiteral("apiToken")).toString());

    iotc::MainWindow window;
    window.show();
    QElapsedTimer clock;
    clock.start();
    qint64 last = -1, worst = 0;
    QTimer heartbeat;
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (last >= 0)
            worst = std::max(worst, now - last - 5);
        last = now;
    });
    heartbeat.start(5);
    qint64 first = -1, complete = -1;
    size_t judged = 0;
    double rssComplete = 0;
    const qint64 start = clock.elapsed();
    window.session()->connectTo(profile);
    const int total = e.value(QStringLiteral("devices")).toInt(devices);
    while (clock.elapsed() - start < (seconds + 120) * 1000LL) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        const auto r = window.overview()->result();
        if (r && first < 0)
            first = clock.elapsed() - start;
        if (r && complete < 0 && static_cast<int>(r->devices.size()) >= total) {
            complete = clock.elapsed() - start;
            judged = r->devices.size();
            rssComplete = rssMiB();
        }
        if (complete >= 0 && clock.elapsed() - start - complete > seconds * 1000LL)
            break;
    }
    const auto r = window.overview()->result();
    std::printf("(1) overview of %d devices at %.0f messages/s: first overview after %.2f s, every device judged after "
                "%.2f s (%zu)\n",
        total, rate, first / 1000.0, complete / 1000.0, judged);
    std::printf("(2) longest GUI-thread stall from connecting to %d s after: %lld ms (target < 50 ms)\n", seconds,
        static_cast<long long>(worst));
    std::printf("(3) resident memory: %.0f MiB once every device was judged, %.0f MiB at the end (target < 300 MiB); "
                "%lld messages seen, counts: %s\n",
        rssComplete, rssMiB(), static_cast<long long>(r ? r->messages : 0),
        r ? qPrintable(window.overview()->countsText().left(160)) : "none");
    sim.terminate();
    sim.waitForFinished(5000);
    return complete >= 0 ? 0 : 1;
}
