#pragma once

#include "monitor/observation.h"

#include <QString>

#include <optional>
#include <vector>

namespace iotc {

// When a device's data was sent, seen from one listen: what arrived from the look-back (enqueued
// before listening began) and what arrived while listening, its newest enqueued time and its usual
// interval. Stale data is not "data arriving" (issue 14): a device whose look-back shows it sending
// every few seconds, and which sends nothing while we listen many times that long, has stopped.
struct DataRecency {
    int lookback = 0; // messages enqueued before listening began
    int live = 0; // messages enqueued while listening (or without an enqueued time)
    qint64 lastMs = 0; // the newest enqueued time; 0 when none is known
    // The median gap between the look-back's sends (messages BurstGapMs apart or more); none
    // without two sends.
    std::optional<double> usualIntervalSeconds;
    bool stopped = false; // data-stopped: see dataRecency()

    // "2026-12-02T18:37:12Z", or empty when no enqueued time is known.
    QString lastText() const;
};

// How much earlier than the start of listening an event may be enqueued and still count as live:
// the service's clock and this machine's differ a little, and the hub stamps on arrival.
inline constexpr qint64 LiveSlackMs = 2000;

// Whether an event enqueued at enqueuedMs arrived while listening (listening began at listenStartMs,
// both ms since the epoch). An event without an enqueued time counts as live.
bool enqueuedWhileListening(qint64 enqueuedMs, qint64 listenStartMs);

// Look-back messages enqueued closer together than this are one send (a message per component).
inline constexpr qint64 BurstGapMs = 200;

// The recency of observations heard in a listen that began at listenStartMs and lasted
// listenSeconds. stopped when nothing arrived while listening although the look-back shows the
// device's usual interval, and the listen was longer than StoppedFactor times it.
inline constexpr double StoppedFactor = 3.0;
DataRecency dataRecency(const std::vector<Observation>& observations, qint64 listenStartMs, double listenSeconds);
// The same from the messages' enqueued times alone (a fleet keeps no more of them).
DataRecency dataRecency(std::vector<qint64> enqueuedMs, qint64 listenStartMs, double listenSeconds);

} // namespace iotc
