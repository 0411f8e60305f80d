#pragma once

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace iotc {

// Which devices and modules to keep, as wildcards (*, ?); empty keeps all. Applied as soon as an
// event's annotations are read, before its body and properties are copied.
class EventFilter {
public:
    EventFilter(const QString& devices, const QString& modules)
        : m_devices(pattern(devices))
        , m_modules(pattern(modules))
    {
    }

    bool passes(const QString& deviceId, const QString& moduleId) const
    {
        return (!m_devices || m_devices->match(deviceId).hasMatch())
            && (!m_modules || m_modules->match(moduleId).hasMatch());
    }

private:
    static std::optional<QRegularExpression> pattern(const QString& wildcard)
    {
        if (wildcard.isEmpty())
            return std::nullopt;
        return QRegularExpression(QRegularExpression::wildcardToRegularExpression(wildcard));
    }

    std::optional<QRegularExpression> m_devices;
    std::optional<QRegularExpression> m_modules;
};

} // namespace iotc
