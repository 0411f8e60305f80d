#pragma once

#include "devicetoken.h"
#include "eventstore.h"
#include "scenariocatalog.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace iotc::sim {

// A local Event Hubs-compatible endpoint (AMQP 1.0 over Qpid Proton, plain amqp on loopback):
// SASL ANONYMOUS, CBS put-token on $cbs (signature, audience and expiry checked; 401 otherwise),
// $management READ of com.microsoft:eventhub / com.microsoft:partition, and receivers on
// {entityPath}/ConsumerGroups/{cg}/Partitions/{n} with the selector filter, fed from the retained
// EventStore with IoT Hub's annotations. Runs its own Proton container thread.
// With a device hub host it is also IoT Hub's device endpoint for AMQP (the simulator has one host,
// so one port serves both): a device puts a token for {hub}/devices/{id} on $cbs (checked by
// checkDevice; 401 otherwise), attaches a sender to /devices/{id}/messages/events and its
// telemetry enters the first hub's store with IoT Hub's annotations (amqpdevicelinks.h).
class EventHubServer {
public:
    struct Options {
        std::string host = "127.0.0.1";
        uint16_t port = 0; // 0 = ephemeral
        QByteArray key; // the "service" policy key; tokens are signed with its raw text
        QString keyName = QStringLiteral("service");
        // IoT Hub's device side (empty: none): the host device tokens name, how a token is judged,
        // and who is told (from the AMQP thread) that a device's telemetry link opened.
        QString deviceHubHost;
        std::function<DeviceTokenVerdict(const QString& deviceId, const QString& token)> checkDevice;
        std::function<void(const QString& deviceId)> deviceConnected;
    };

    struct Hub {
        SimHub hub;
        std::shared_ptr<EventStore> store;
    };

    EventHubServer(std::vector<Hub> hubs, Options options);
    ~EventHubServer();
    EventHubServer(const EventHubServer&) = delete;
    EventHubServer& operator=(const EventHubServer&) = delete;

    // Starts listening; returns the port. Throws std::runtime_error when it cannot listen.
    uint16_t start();
    void stop();
    uint16_t port() const { return m_port; }

    // Test hook: closes every open connection with amqp:connection:forced.
    void dropConnections();
    // Test hook: closes every receiver on this partition with the given AMQP condition.
    void failPartition(int partition, const std::string& condition, const std::string& description);

    // One connection per device identity: closes the AMQP connections that send as this device
    // (another connection, over any protocol, now holds it).
    void disconnectDevice(const QString& deviceId);

    uint64_t eventsSent() const { return m_eventsSent.load(); }
    std::atomic<int> deviceMessagesReceived { 0 };
    int openConnections() const;

    class Impl;

private:
    std::unique_ptr<Impl> m_impl;
    uint16_t m_port = 0;
    std::atomic<uint64_t> m_eventsSent { 0 };
};

} // namespace iotc::sim
