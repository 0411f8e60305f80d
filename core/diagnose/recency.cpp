#include "recency.h"

#include <QDateTime>

#include <algorithm>

namespace iotc {

QString DataRecency::lastText() const
{
    if (lastMs <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(lastMs, Qt::UTC).toString(Qt::ISODate);
}

bool enqueuedWhileListening(qint64 enqueuedMs, qint64 listenStartMs)
{
    return enqueuedMs <= 0 || listenStartMs <= 0 || enqueuedMs >= listenStartMs - LiveSlackMs;
}

DataRecency dataRecency(const std::vector<Observation>& observations, qint64 listenStartMs, double listenSeconds)
{
    std::vector<qint64> times;
    times.reserve(observations.size());
    for (const auto& o : observations)
        times.push_back(o.event.enqueuedMs);
    return dataRecency(std::move(times), listenStartMs, listenSeconds);
}

DataRecency dataRecency(std::vector<qint64> enqueuedMs, qint64 listenStartMs, double listenSeconds)
{
    DataRecency r;
    std::vector<qint64> before;
    for (const qint64 t : enqueuedMs) {
        r.lastMs = std::max(r.lastMs, t);
        if (enqueuedWhileListening(t, listenStartMs)) {
            ++r.live;
        } else {
            ++r.lookback;
            before.push_back(t);
        }
    }
    std::vector<qint64> gaps;
    if (before.size() >= 2) {
        // Partitions interleave: the gaps are between the times in order, not as received.
        std::sort(before.begin(), before.end());
        gaps.reserve(before.size() - 1);
        for (size_t i = 1; i < before.size(); ++i) {
            // Messages sent together (one per component, a batch) are one send: their gaps of a few
            // ms would make a device that sends every 10 minutes look like one that sends every ms.
            if (before[i] - before[i - 1] >= BurstGapMs)
                gaps.push_back(before[i] - before[i - 1]);
        }
    }
    if (!gaps.empty()) {
        const size_t mid = gaps.size() / 2;
        std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(mid), gaps.end());
        double median = static_cast<double>(gaps[mid]);
        if (gaps.size() % 2 == 0) {
            const qint64 lower = *std::max_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(mid));
            median = (median + static_cast<double>(lower)) / 2.0;
        }
        r.usualIntervalSeconds = median / 1000.0;
    }
    r.stopped = r.live == 0 && r.lookback >= 2 && r.usualIntervalSeconds
        && listenSeconds > StoppedFactor * *r.usualIntervalSeconds;
    return r;
}

} // namespace iotc
