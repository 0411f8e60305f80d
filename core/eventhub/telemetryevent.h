#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <optional>
#include <variant>

namespace iotc {

// A value as it came in an AMQP section: null (monostate), bool, qint64 (integers of any width,
// timestamps as milliseconds since the epoch), quint64 (past qint64), double, or QString (strings and
// symbols; any other type rendered as text: uuid, binary in base64, lists and maps in Proton's notation).
using EventValue = std::variant<std::monostate, bool, qint64, quint64, double, QString>;
// Names with their values, in the order they came.
using EventFields = QList<QPair<QString, EventValue>>;

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
    // Every message annotation as received, in the order received (the fields above are read from
    // them), and the AMQP properties section under its AMQP names (message-id, user-id, to, subject,
    // reply-to, correlation-id, content-type, content-encoding, absolute-expiry-time, creation-time,
    // group-id, group-sequence, reply-to-group-id), only those the message set. Bounded (see
    // eventdecode.h): what did not fit is counted, never silently lost.
    EventFields annotations;
    EventFields systemProperties;
    quint32 droppedAnnotations = 0;
    quint32 droppedApplicationProperties = 0;
    QByteArray body;
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::TelemetryEvent)
