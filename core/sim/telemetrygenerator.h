#pragma once

#include "eventstore.h"
#include "simstate.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <unordered_map>

namespace iotc::sim {

// Makes the scenario devices talk: every tick each connected device (enabled, provisioned, not
// silent yet) sends its scenario messages at its rate, into the hub's EventStore, as IoT Hub
// would stamp them. A device with a history has sent before the start (written at once).
class TelemetryGenerator : public QObject {
    Q_OBJECT
public:
    TelemetryGenerator(std::shared_ptr<SimState> state, std::shared_ptr<EventStore> store, double rateHz,
        double extraRateHz, QObject* parent = nullptr);

    void start();
    // Sends count messages of this device now, whatever its state; returns how many.
    int emitNow(const SimDevice& device, int count);

private:
    void tick();
    void emitOne(const SimDevice& device, quint64 counter, qint64 atMs);
    void writeHistories(); // the devices' past (SimDevice::history), enqueued when it happened

    std::shared_ptr<SimState> m_state;
    std::shared_ptr<EventStore> m_store;
    double m_rate;
    double m_extraRate;
    QTimer m_timer;
    QTimer m_acks; // devices acknowledge writable properties on their own time
    QElapsedTimer m_clock;
    qint64 m_lastTick = 0;
    std::vector<double> m_owed; // per scenario device
    double m_extraOwed = 0;
    size_t m_extraCursor = 0;
    std::unordered_map<QString, quint64> m_counters;
};

} // namespace iotc::sim
