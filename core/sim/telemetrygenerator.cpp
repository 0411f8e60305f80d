#include "telemetrygenerator.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace iotc::sim {

TelemetryGenerator::TelemetryGenerator(std::shared_ptr<SimState> state, std::shared_ptr<EventStore> store,
    double rateHz, double extraRateHz, QObject* parent)
    : QObject(parent)
    , m_state(std::move(state))
    , m_store(std::move(store))
    , m_rate(rateHz)
    , m_extraRate(extraRateHz)
    , m_timer(this)
    , m_acks(this)
{
    connect(
        &m_acks, &QTimer::timeout, this, [this] { m_state->acknowledgeAllDue(QDateTime::currentMSecsSinceEpoch()); });
    m_owed.assign(m_state->catalog().devices.size(), 0.0);
    connect(&m_timer, &QTimer::timeout, this, &TelemetryGenerator::tick);
}

void TelemetryGenerator::start()
{
    m_clock.start();
    m_lastTick = 0;
    m_acks.start(200);
    if (m_rate > 0) // a simulated app that sends only what tests inject has no past either
        writeHistories();
    if (m_rate > 0 || m_extraRate > 0)
        m_timer.start(100);
}

void TelemetryGenerator::emitOne(const SimDevice& device, quint64 counter, qint64 atMs)
{
    const SimMessage& message = device.messages[counter % device.messages.size()];
    StoredEvent e;
    e.deviceId = device.id;
    e.moduleId = message.module;
    e.component = message.component;
    e.modelId = device.modelId;
    e.messageSource = message.source;
    e.authMethod = message.module.isEmpty()
        ? QStringLiteral("{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}")
        : QStringLiteral(
            "{\"scope\":\"module\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}");
    e.contentType = message.contentType;
    e.contentEncoding = message.contentEncoding;
    e.body = renderBody(message, device.id, counter);
    const auto json = QJsonDocument::fromJson(e.body);
    if (json.isObject())
        m_state->recordTelemetry(device.id, message.module, message.component, json.object(), atMs);
    m_state->markSeen(device.id, atMs);
    m_store->append(std::move(e), atMs);
}

int TelemetryGenerator::emitNow(const SimDevice& device, int count)
{
    if (device.messages.empty())
        return 0;
    auto& counter = m_counters[device.id];
    for (int i = 0; i < count; ++i)
        emitOne(device, counter++, QDateTime::currentMSecsSinceEpoch());
    return count;
}

void TelemetryGenerator::writeHistories()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto& device : m_state->catalog().devices) {
        const SimHistory& h = device.history;
        if (h.count <= 0 || device.messages.empty())
            continue;
        auto& counter = m_counters[device.id];
        const double last = static_cast<double>(now) - h.endedSecondsAgo * 1000.0;
        for (int i = 0; i < h.count; ++i)
            emitOne(device, counter++,
                static_cast<qint64>(last - static_cast<double>(h.count - 1 - i) * h.intervalSeconds * 1000.0));
    }
}

void TelemetryGenerator::tick()
{
    const qint64 now = m_clock.elapsed();
    const double dt = static_cast<double>(now - m_lastTick) / 1000.0;
    m_lastTick = now;
    const auto& catalog = m_state->catalog();
    for (size_t i = 0; i < catalog.devices.size(); ++i) {
        const auto device = m_state->deviceAt(i); // current state: blocking a device stops it
        const bool connected = device.enabled && device.provisioned && !device.messages.empty()
            && (device.silentAfterSeconds < 0 || now < device.silentAfterSeconds * 1000LL);
        if (!connected) {
            m_owed[i] = 0;
            continue;
        }
        m_owed[i] += m_rate * dt;
        while (m_owed[i] >= 1.0) {
            m_owed[i] -= 1.0;
            emitNow(device, 1);
        }
    }
    const size_t extras = m_state->deviceCount() - catalog.devices.size();
    if (extras == 0 || m_extraRate <= 0)
        return;
    m_extraOwed += m_extraRate * static_cast<double>(extras) * dt;
    while (m_extraOwed >= 1.0) {
        m_extraOwed -= 1.0;
        const auto device = m_state->deviceAt(catalog.devices.size() + (m_extraCursor++ % extras));
        if (device.enabled)
            emitNow(device, 1);
    }
}

} // namespace iotc::sim
