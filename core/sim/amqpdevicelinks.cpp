#include "amqpdevicelinks.h"

#include "amqpnodes.h"
#include "util/sas.h"

#include <QStringList>

#include <proton/annotation_key.hpp>
#include <proton/binary.hpp>
#include <proton/codec/map.hpp>
#include <proton/error_condition.hpp>
#include <proton/scalar.hpp>
#include <proton/types.hpp>

#include <algorithm>
#include <map>

namespace iotc::sim {

namespace {

QString withoutScheme(const std::string& address, const QString& hubHost, bool& otherHost)
{
    QString text = QString::fromStdString(address);
    otherHost = false;
    if (const qsizetype scheme = text.indexOf(QStringLiteral("://")); scheme >= 0) {
        text = text.mid(scheme + 3);
        const qsizetype slash = text.indexOf(QLatin1Char('/'));
        const QString host = text.left(slash < 0 ? text.size() : slash);
        otherHost
            = !hubHost.isEmpty() && host.section(QLatin1Char(':'), 0, 0).compare(hubHost, Qt::CaseInsensitive) != 0;
        return slash < 0 ? QString() : text.mid(slash);
    }
    return text;
}

QString scalarText(const proton::scalar& v)
{
    switch (v.type()) {
    case proton::STRING:
        return QString::fromStdString(proton::get<std::string>(v));
    case proton::SYMBOL:
        return QString::fromStdString(proton::get<proton::symbol>(v));
    case proton::BOOLEAN:
        return proton::get<bool>(v) ? QStringLiteral("true") : QStringLiteral("false");
    default:
        try {
            return QString::fromStdString(proton::to_string(v));
        } catch (const std::exception&) {
            return {};
        }
    }
}

} // namespace

std::optional<QString> deviceOfAudience(const std::string& audience, const QString& hubHost)
{
    // "{hub}/devices/{id}" (no scheme: the host is the first part) or "sb://{hub}/devices/{id}".
    QString path = QString::fromStdString(audience);
    if (path.contains(QStringLiteral("://"))) {
        bool otherHost = false;
        path = withoutScheme(audience, hubHost, otherHost).mid(1);
        if (otherHost)
            return std::nullopt;
        path = hubHost + QLatin1Char('/') + path;
    }
    const QStringList parts = path.split(QLatin1Char('/'));
    if (parts.size() != 3 || parts[1] != QLatin1String("devices") || parts[2].isEmpty()
        || parts[0].section(QLatin1Char(':'), 0, 0).compare(hubHost, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    return parts[2];
}

std::optional<QString> deviceOfEventsAddress(const std::string& address)
{
    bool otherHost = false;
    const QString path = withoutScheme(address, {}, otherHost);
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() != 4 || parts[0] != QLatin1String("devices") || parts[2] != QLatin1String("messages")
        || parts[3] != QLatin1String("events"))
        return std::nullopt;
    return parts[1];
}

QString announcedModelId(const proton::link& link)
{
    try {
        for (const auto& [name, value] : link.properties()) {
            if (name == proton::symbol("com.microsoft:model-id") && value.type() == proton::STRING)
                return QString::fromStdString(proton::get<std::string>(value));
        }
    } catch (const std::exception&) {
    }
    return {};
}

StoredEvent deviceTelemetryEvent(const QString& deviceId, const QString& modelId, const proton::message& m)
{
    StoredEvent e;
    e.deviceId = deviceId;
    e.modelId = modelId;
    e.authMethod = QStringLiteral(R"({"scope":"device","type":"sas","issuer":"iothub","acceptingIpFilterRule":null})");
    if (!m.content_type().empty())
        e.contentType = QString::fromStdString(m.content_type());
    if (!m.content_encoding().empty())
        e.contentEncoding = QString::fromStdString(m.content_encoding());
    try {
        if (m.message_annotations().exists(proton::symbol("dt-subject")))
            e.component = QString::fromStdString(
                proton::get<std::string>(m.message_annotations().get(proton::symbol("dt-subject"))));
    } catch (const std::exception&) {
    }
    try {
        std::map<std::string, proton::scalar> properties;
        if (!m.properties().empty())
            proton::get(m.properties().value(), properties);
        for (const auto& [key, value] : properties) {
            if (e.applicationProperties.size() < 64)
                e.applicationProperties.emplace_back(QString::fromStdString(key), scalarText(value));
        }
    } catch (const std::exception&) {
        // application properties that are not a map of scalars: IoT Hub refuses such a message
        // before it is routed; here they are left out.
    }
    const proton::value& body = m.body();
    if (body.type() == proton::BINARY) {
        const auto bytes = proton::get<proton::binary>(body);
        e.body = QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
    } else if (body.type() == proton::STRING) {
        e.body = QByteArray::fromStdString(proton::get<std::string>(body));
    }
    return e;
}

std::pair<int, std::string> DeviceLinks::putToken(const QString& deviceId, const std::string& token, const Check& check)
{
    const QString qtoken = QString::fromStdString(token);
    const DeviceTokenVerdict verdict = check(deviceId, qtoken);
    if (verdict != DeviceTokenVerdict::Accepted)
        return { 401, deviceTokenText(verdict).toStdString() };
    const auto parsed = parseSasToken(qtoken);
    auto& expiry = m_tokens[deviceId];
    expiry = std::max<int64_t>(expiry, parsed ? parsed->expiry : 0);
    return { 200, "OK" };
}

bool DeviceLinks::attach(proton::receiver& r, const QString& deviceId, const QString& hubHost)
{
    auto token = m_tokens.find(deviceId);
    if (token == m_tokens.end() || token->second <= nowSeconds()) {
        r.close(proton::error_condition("amqp:unauthorized-access",
            "Put a token for " + hubHost.toStdString() + "/devices/" + deviceId.toStdString() + " on $cbs first."));
        return false;
    }
    m_links.push_back({ r, deviceId, announcedModelId(r) });
    return true;
}

std::optional<StoredEvent> DeviceLinks::received(const proton::receiver& r, const proton::message& m) const
{
    for (const auto& link : m_links) {
        if (link.receiver == r)
            return deviceTelemetryEvent(link.deviceId, link.modelId, m);
    }
    return std::nullopt;
}

void DeviceLinks::forget(const proton::receiver& r)
{
    m_links.erase(
        std::remove_if(m_links.begin(), m_links.end(), [&](const Link& l) { return l.receiver == r; }), m_links.end());
}

bool DeviceLinks::holds(const QString& deviceId) const
{
    return std::any_of(m_links.begin(), m_links.end(), [&](const Link& l) { return l.deviceId == deviceId; });
}

} // namespace iotc::sim
