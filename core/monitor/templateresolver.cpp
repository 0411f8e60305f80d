#include "templateresolver.h"

#include "central/edgeruntime.h"

#include "central/centralclient.h"
#include "template/templateparser.h"

#include <QJsonDocument>
#include <QSet>

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
    if (!m_client) {
        Resolution r;
        r.problem
            = problem("template-unavailable", Severity::Info, "No device template is available to validate against");
        return r;
    }
    auto device = m_client->device(deviceId);
    device.waitForFinished();
    Resolution r = fromDevice(deviceId, device.result());
    if (!r.problem)
        r = withTemplate(r.templateId, templateFor(r.templateId));
    addEdgeRuntime(r, edgeModulesFor(r, deviceId));
    remember(deviceId, r);
    return r;
}

void TemplateResolver::prepare(const std::vector<QString>& deviceIds)
{
    if (m_fixed || !m_client)
        return;
    std::vector<QString> unknown;
    {
        std::lock_guard lock(m_mutex);
        QSet<QString> asked;
        for (const auto& id : deviceIds) {
            if (!m_devices.contains(id) && !asked.contains(id)) {
                asked.insert(id);
                unknown.push_back(id);
            }
        }
    }
    if (unknown.size() < 2)
        return; // one new device: forDevice asks, as it would anyway
    // All requests of a step go out together (the REST client runs them side by side); each step
    // waits once, for all of them.
    std::vector<QFuture<Result<Device>>> devices;
    for (const auto& id : unknown)
        devices.push_back(m_client->device(id));
    std::vector<Resolution> found(unknown.size());
    QSet<QString> wanted;
    for (size_t i = 0; i < unknown.size(); ++i) {
        devices[i].waitForFinished();
        found[i] = fromDevice(unknown[i], devices[i].result());
        if (!found[i].problem)
            wanted.insert(found[i].templateId);
    }
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, known] : m_templates)
            wanted.remove(id);
    }
    std::map<QString, QFuture<Result<QJsonObject>>> templates;
    for (const auto& id : wanted)
        templates.emplace(id, m_client->deviceTemplate(id));
    std::map<QString, Resolution> fetched;
    for (auto& [id, future] : templates) {
        future.waitForFinished();
        fetched.emplace(id, parsed(id, future.result()));
    }
    std::vector<std::optional<QFuture<Result<QJsonObject>>>> modules(unknown.size());
    for (size_t i = 0; i < unknown.size(); ++i) {
        if (found[i].problem)
            continue;
        auto it = fetched.find(found[i].templateId);
        found[i]
            = withTemplate(found[i].templateId, it != fetched.end() ? it->second : templateFor(found[i].templateId));
        modules[i] = edgeModulesFor(found[i], unknown[i]);
    }
    for (size_t i = 0; i < unknown.size(); ++i) {
        addEdgeRuntime(found[i], modules[i]);
        remember(unknown[i], found[i]);
    }
}

TemplateResolver::Resolution TemplateResolver::fromDevice(const QString& deviceId, const Result<Device>& d)
{
    Resolution r;
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
    return r;
}

TemplateResolver::Resolution TemplateResolver::templateFor(const QString& templateId)
{
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_templates.find(templateId); it != m_templates.end())
            return it->second;
    }
    auto tpl = m_client->deviceTemplate(templateId);
    tpl.waitForFinished();
    return parsed(templateId, tpl.result());
}

TemplateResolver::Resolution TemplateResolver::parsed(const QString& templateId, const Result<QJsonObject>& t)
{
    Resolution r;
    r.templateId = templateId;
    if (!t.ok()) {
        r.problem = problem("template-unavailable", Severity::Warning,
            "Template " + templateId.toStdString() + " could not be read: " + t.error.summary().toStdString());
        return r;
    }
    try {
        const QByteArray json = QJsonDocument(*t.value).toJson(QJsonDocument::Compact);
        auto tpl = std::make_shared<const DeviceTemplate>(
            parseTemplateText(std::string_view(json.constData(), static_cast<size_t>(json.size())), "template"));
        r.validator = std::make_shared<const PayloadValidator>(tpl);
    } catch (const std::exception& e) {
        r.problem = problem("template-unavailable", Severity::Warning,
            "Template " + templateId.toStdString() + " could not be understood: " + e.what());
        return r;
    }
    std::lock_guard lock(m_mutex);
    m_templates[templateId] = r;
    return r;
}

TemplateResolver::Resolution TemplateResolver::withTemplate(const QString& templateId, const Resolution& t)
{
    Resolution r = t;
    r.templateId = templateId;
    return r;
}

std::optional<QFuture<Result<QJsonObject>>> TemplateResolver::edgeModulesFor(
    const Resolution& r, const QString& deviceId)
{
    // An Edge gateway's runtime decides whether module component telemetry is modeled (1.2.4+).
    if (!r.validator || r.validator->deviceTemplate().modules.empty() || !m_client)
        return std::nullopt;
    return m_client->edgeModules(deviceId);
}

void TemplateResolver::addEdgeRuntime(Resolution& r, std::optional<QFuture<Result<QJsonObject>>> modules)
{
    if (!modules)
        return;
    modules->waitForFinished();
    const auto m = modules->result();
    if (m.ok())
        if (const auto runtime = edgeRuntimeFromModules(*m.value))
            r.edgeRuntimeVersion = runtime->comparableVersion();
}

void TemplateResolver::remember(const QString& deviceId, const Resolution& r)
{
    // A passing failure (timeout, throttling) is not remembered: the next message asks again.
    if (r.problem && r.problem->code == "template-unavailable")
        return;
    std::lock_guard lock(m_mutex);
    m_devices[deviceId] = r;
}

} // namespace iotc
