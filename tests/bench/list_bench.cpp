// Listing a 100,000-device application from the simulated app with pages of 100, through the REST
// client: time to the first page (target < 200 ms) and the whole list (target < 10 s).
// Run: make bench (or build/tests/bench/iotc-bench-list [devices]).
#include "central/centralclient.h"
#include "sim/simulatedapp.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace iotc;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int devices = argc > 1 ? std::atoi(argv[1]) : 100000;
    sim::SimOptions options;
    options.extraDevices = devices;
    options.rateHz = 0;
    options.extraRateHz = 0;
    sim::SimulatedApp simulated(options);
    const auto e = simulated.start();
    auto profile = ConnectionProfile::forBaseUrl(e.baseUrl);
    profile.authorization = e.apiToken;
    CentralClient client(profile);

    std::vector<double> firstPages, totals;
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer timer;
        std::atomic<qint64> firstPageNs { -1 };
        timer.start();
        auto future = client.listDevices([&](const QList<Device>&) {
            qint64 expected = -1;
            firstPageNs.compare_exchange_strong(expected, timer.nsecsElapsed());
            return true;
        });
        future.waitForFinished();
        const double total = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        const auto result = future.result();
        if (!result.ok() || *result.value != e.devices) {
            std::fprintf(stderr, "listing failed: %s\n", qPrintable(result.error.summary()));
            return 1;
        }
        firstPages.push_back(static_cast<double>(firstPageNs.load()) / 1e6);
        totals.push_back(total);
        std::printf("run %d: %d devices, first page after %.1f ms, all in %.2f s (%.0f devices/s)\n", run + 1,
            e.devices, firstPages.back(), total, e.devices / total);
    }
    std::sort(firstPages.begin(), firstPages.end());
    std::sort(totals.begin(), totals.end());
    std::printf("list %d devices, pages of 100: median first page %.1f ms (target < 200), median total %.2f s "
                "(target < 10), %.0f devices/s\n",
        e.devices, firstPages[1], totals[1], e.devices / totals[1]);
    return 0;
}
