#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <optional>

namespace iotc {

// One event read from an IoT hub's Event Hubs-compatible endpoint, copied out of Proton into a
// plain value: what IoT Hub stamped on it and the raw body bytes.
struct TelemetryEvent {
    QString hub; // entity path of the event hub it came from
    int partition = -1;
    qint64 sequenceNumber = -1;
    QString offset;
    qint64 enqueuedMs = 0; // x-opt-enqueued-time
    QString deviceId; // iothub-connection-device-id
    QString moduleId; // iothub-connection-module-id
    QString component; // dt-subject
    QString modelId; // dt-dataschema
    QString interfaceName; // iothub-interface-name (legacy PnP preview)
    QString messageSource; // Telemetry, twinChangeEvents, deviceLifecycleEvents ...
    QString authMethod;
    std::optional<QString> contentType;
    std::optional<QString> contentEncoding;
    QList<QPair<QString, QString>> applicationProperties;
    QByteArray body;
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::TelemetryEvent)
