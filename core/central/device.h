#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace iotc {

// IoT Central's Device object (2022-07-31).
struct Device {
    QString id;
    QString etag;
    QString displayName;
    QString templateId; // empty = unassigned
    bool enabled = true;
    bool provisioned = false;
    bool simulated = false;
    QStringList organizations;

    static std::optional<Device> fromJson(const QJsonObject& json);
    QJsonObject toJson() const;
};

} // namespace iotc
