#include "templateresolver.h"

#include "central/edgeruntime.h"

#include "central/centralclient.h"
#include "template/templateparser.h"

#include <QJsonDocument>

namespace iotc {

namespace {

Issue problem(
    const char* code, Severity severity, std::string message, std::optional<std::string> suggestion = std::nullopt)
{
    Issue i;
    i.code = code;
    i.severity = severity;
    i.message = std::move(message);
    i.suggestion = std::move(suggestion);
    return i;
}

} // namespace

TemplateResolver::TemplateResolver(std::shared_ptr<CentralClient> client)
    : m_client(std::move(client))
{
}

TemplateResolver::TemplateResolver(std::shared_ptr<const DeviceTemplate> fixed)
    : m_fixed(std::make_shared<const PayloadValidator>(std::move(fixed)))
{
}

TemplateResolver::Resolution TemplateResolver::forDevice(const QString& deviceId)
{
    if (m_fixed)
        return { m_fixed, QString::fromStdString(m_fixed->deviceTemplate().id), std::nullopt, std::nullopt };
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_devices.constFind(deviceId); it != m_devices.constEnd())
            return it.value();
    }
    Resolution r = resolve(deviceId);
    // An Edge gateway's runtime decides whether module component telemetry is modeled (1.2.4+).
    if (r.validator && !r.validator->deviceTemplate().modules.empty() && m_client) {
        auto modules = m_client->edgeModules(deviceId);
        modules.waitForFinished();
        const auto m = modules.result();
        if (m.ok())
            if (const auto runtime = edgeRuntimeFromModules(*m.value))
                r.edgeRuntimeVersion = runtime->comparableVersion();
    }
    // A passing failure (timeout, throttling) is not remembered: the next message asks again.
    if (r.problem && r.problem->code == "template-unavailable")
        return r;
    std::lock_guard lock(m_mutex);
    m_devices[deviceId] = r;
    return r;
}

TemplateResolver::Resolution TemplateResolver::resolve(const QString& deviceId)
{
    Resolution r;
    if (!m_client) {
        r.problem
            = problem("template-unavailable", Severity::Info, "No device template is available to validate against");
        return r;
    }
    auto device = m_client->device(deviceId);
    device.waitForFinished();
    const auto d = device.result();
    if (!d.ok()) {
        r.problem = d.error.httpStatus == 404
            ? problem("device-not-found", Severity::Error,
                "Device " + deviceId.toStdString() + " sends data but IoT Central does not know it",
                std::string("create the device in IoT Central, or check the device ID the device uses"))
            : problem("template-unavailable", Severity::Warning,
                "The device's template could not be read: " + d.error.summary().toStdString());
        return r;
    }
    if (d.value->templateId.isEmpty()) {
        r.problem = problem("device-unassigned", Severity::Error,
            "Device " + deviceId.toStdString()
                + " is not assigned to a device template, so IoT Central cannot interpret its data",
            std::string("assign the device to a template (or let it announce its model ID)"));
        return r;
    }
    r.templateId = d.value->templateId;
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_templates.find(r.templateId); it != m_templates.end())
            return it->second;
    }
    auto tpl = m_client->deviceTemplate(r.templateId);
    tpl.waitForFinished();
    const auto t = tpl.result();
    if (!t.ok()) {
        r.problem = problem("template-unavailable", Severity::Warning,
            "Template " + r.templateId.toStdString() + " could not be read: " + t.error.summary().toStdString());
    } else {
        try {
            const QByteArray json = QJsonDocument(*t.value).toJson(QJsonDocument::Compact);
            auto parsed = std::make_shared<const DeviceTemplate>(
                parseTemplateText(std::string_view(json.constData(), static_cast<size_t>(json.size())), "template"));
            r.validator = std::make_shared<const PayloadValidator>(parsed);
        } catch (const std::exception& e) {
            r.problem = problem("template-unavailable", Severity::Warning,
                "Template " + r.templateId.toStdString() + " could not be understood: " + e.what());
        }
    }
    if (!r.problem) {
        std::lock_guard lock(m_mutex);
        m_templates[r.templateId] = r;
    }
    return r;
}

} // namespace iotc
