#include "templateresolver.h"

#include "central/edgeruntime.h"

#include "central/centralclient.h"
#include "template/templateparser.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <chrono>

namespace iotc {

namespace {

Issue problem(
    std::string_view code, Severity severity, std::string message, std::optional<std::string> suggestion = std::nullopt)
{
    Issue i;
    i.code = std::string(code);
    i.severity = severity;
    i.message = std::move(message);
    i.suggestion = std::move(suggestion);
    return i;
}

// Answers that are not kept: the next batch asks again.
TemplateResolver::Resolution cancelledLookup()
{
    TemplateResolver::Resolution r;
    r.problem = problem(codes::TemplateUnavailable, Severity::Info, "The template lookup was cancelled (closing)");
    return r;
}

TemplateResolver::Resolution putOff(size_t lookups)
{
    TemplateResolver::Resolution r;
    r.problem = problem(codes::TemplateUnavailable, Severity::Info,
        "Not looked up yet: more than " + std::to_string(lookups)
            + " new devices in one batch; this device's template is asked for in a later one");
    return r;
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
        if (auto it = m_devices.find(deviceId); it != m_devices.end()) {
            // The most recently used last; a run of one device's events moves nothing.
            if (std::next(it->recency) != m_recency.end())
                m_recency.splice(m_recency.end(), m_recency, it->recency);
            return it->resolution;
        }
        if (auto it = m_thisBatch.find(deviceId); it != m_thisBatch.end()) {
            Resolution r = std::move(it.value());
            m_thisBatch.erase(it);
            return r;
        }
    }
    if (!m_client) {
        Resolution r;
        r.problem = problem(
            codes::TemplateUnavailable, Severity::Info, "No device template is available to validate against");
        return r;
    }
    if (m_cancelled.load())
        return cancelledLookup();
    Result<Device> answer;
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_listed.constFind(deviceId); it != m_listed.cend()) {
            Device listed;
            listed.id = deviceId;
            listed.templateId = it.value();
            answer.value = std::move(listed);
        }
    }
    if (!answer.ok()) {
        auto device = m_client->device(deviceId);
        if (!await(device))
            return cancelledLookup();
        answer = device.result();
    }
    Resolution r = fromDevice(deviceId, answer);
    if (!r.problem)
        r = withTemplate(r.templateId, templateFor(r.templateId));
    addEdgeRuntime(r, edgeModulesFor(r, deviceId));
    remember(deviceId, r);
    return r;
}

void TemplateResolver::knowDevices(const QList<Device>& devices)
{
    std::lock_guard lock(m_mutex);
    for (const auto& d : devices)
        m_listed.insert(d.id, d.templateId); // (the strings are shared with the list's, not copied)
}

void TemplateResolver::prepare(const std::vector<QString>& deviceIds)
{
    if (m_fixed || !m_client || m_cancelled.load())
        return;
    std::vector<QString> unknown;
    {
        std::lock_guard lock(m_mutex);
        m_thisBatch.clear();
        // Devices put off before go first: a device that keeps sending is looked up even while a
        // flood of new ids (made up, or a capture's) takes every batch's lookups.
        std::vector<QString> fresh;
        QSet<QString> asked;
        for (const auto& id : deviceIds) {
            if (!m_devices.contains(id) && !m_listed.contains(id) && !asked.contains(id)) {
                asked.insert(id);
                (m_putOff.contains(id) ? unknown : fresh).push_back(id);
            }
        }
        unknown.insert(unknown.end(), fresh.begin(), fresh.end());
        const size_t lookups = std::max<size_t>(1, m_limits.lookupsPerBatch);
        if (unknown.size() > lookups) {
            for (size_t i = lookups; i < unknown.size(); ++i) {
                if (static_cast<size_t>(m_putOff.size()) >= std::max<size_t>(1, m_limits.devices))
                    m_putOff.clear(); // only an order of preference: forgetting it costs nothing else
                m_putOff.insert(unknown[i]);
                m_thisBatch.insert(unknown[i], putOff(lookups));
            }
            m_deferredLookups += unknown.size() - lookups;
            unknown.resize(lookups);
        }
        for (const auto& id : unknown)
            m_putOff.remove(id);
    }
    if (unknown.size() < 2)
        return; // one new device: forDevice asks, as it would anyway
    // All requests of a step go out together (the REST client runs them side by side); each step
    // waits once, for all of them.
    std::vector<QFuture<Result<Device>>> devices;
    devices.reserve(unknown.size());
    for (const auto& id : unknown)
        devices.push_back(m_client->device(id));
    std::vector<Resolution> found(unknown.size());
    QSet<QString> wanted;
    for (size_t i = 0; i < unknown.size(); ++i) {
        if (!await(devices[i]))
            return; // cancelled: nothing is kept, the caller is going away
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
        if (!await(future))
            return;
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
        if (found[i].problem && found[i].problem->code == codes::TemplateUnavailable) {
            std::lock_guard lock(m_mutex);
            m_thisBatch.insert(unknown[i], found[i]); // asked in this batch: not again before the next
        }
    }
}

void TemplateResolver::cancel()
{
    {
        std::lock_guard lock(m_waitMutex);
        m_cancelled = true;
    }
    m_woken.notify_all();
}

void TemplateResolver::setLimits(const ResolverLimits& limits)
{
    std::lock_guard lock(m_mutex);
    m_limits = limits;
    while (static_cast<size_t>(m_devices.size()) > std::max<size_t>(1, m_limits.devices))
        evictOne();
}

size_t TemplateResolver::knownDevices() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<size_t>(m_devices.size());
}

template <class T> bool TemplateResolver::await(const QFuture<T>& future)
{
    // Not waitForFinished: it cannot be interrupted, and an application that never answers would
    // hold the caller for every attempt's timeout (a closing monitor, the whole application at exit).
    // Short, growing sleeps that cancel() cuts short.
    auto slice = std::chrono::microseconds(250);
    std::unique_lock lock(m_waitMutex);
    while (!future.isFinished()) {
        if (m_cancelled.load())
            return false;
        m_woken.wait_for(lock, slice);
        slice = std::min<std::chrono::microseconds>(slice * 2, std::chrono::milliseconds(20));
    }
    return future.resultCount() > 0; // none: the REST client went away
}

TemplateResolver::Resolution TemplateResolver::fromDevice(const QString& deviceId, const Result<Device>& d)
{
    Resolution r;
    if (!d.ok()) {
        r.problem = d.error.httpStatus == 404
            ? problem(codes::DeviceNotFound, Severity::Error,
                "Device " + deviceId.toStdString() + " sends data but IoT Central does not know it",
                std::string("create the device in IoT Central, or check the device ID the device uses"))
            : problem(codes::TemplateUnavailable, Severity::Warning,
                "The device's template could not be read: " + d.error.summary().toStdString());
        return r;
    }
    if (d.value->templateId.isEmpty()) {
        r.problem = problem(codes::DeviceUnassigned, Severity::Error,
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
    if (!await(tpl))
        return cancelledLookup();
    return parsed(templateId, tpl.result());
}

TemplateResolver::Resolution TemplateResolver::parsed(const QString& templateId, const Result<QJsonObject>& t)
{
    Resolution r;
    r.templateId = templateId;
    if (!t.ok()) {
        r.problem = problem(codes::TemplateUnavailable, Severity::Warning,
            "Template " + templateId.toStdString() + " could not be read: " + t.error.summary().toStdString());
        return r;
    }
    try {
        const QByteArray json = QJsonDocument(*t.value).toJson(QJsonDocument::Compact);
        auto tpl = std::make_shared<const DeviceTemplate>(
            parseTemplateText(std::string_view(json.constData(), static_cast<size_t>(json.size())), "template"));
        r.validator = std::make_shared<const PayloadValidator>(tpl);
    } catch (const std::exception& e) {
        r.problem = problem(codes::TemplateUnavailable, Severity::Warning,
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
    if (!modules || !await(*modules))
        return; // cancelled: not remembered either
    const auto m = modules->result();
    if (m.ok())
        if (const auto runtime = edgeRuntimeFromModules(*m.value))
            r.edgeRuntimeVersion = runtime->comparableVersion();
}

void TemplateResolver::remember(const QString& deviceId, const Resolution& r)
{
    // A passing failure (timeout, throttling) is not remembered: the next message asks again.
    // Nothing learnt after cancel() is kept: it may lack what a cut-short wait would have added.
    if ((r.problem && r.problem->code == codes::TemplateUnavailable) || m_cancelled.load())
        return;
    std::lock_guard lock(m_mutex);
    if (auto it = m_devices.find(deviceId); it != m_devices.end()) {
        it->resolution = r;
        m_recency.splice(m_recency.end(), m_recency, it->recency);
        return;
    }
    // Bounded like the pipeline's statistics: the least recently used answer goes (and is asked
    // again if its device sends again).
    while (!m_devices.isEmpty() && static_cast<size_t>(m_devices.size()) >= std::max<size_t>(1, m_limits.devices))
        evictOne();
    m_recency.push_back(deviceId);
    m_devices.insert(deviceId, Known { r, std::prev(m_recency.end()) });
}

void TemplateResolver::evictOne()
{
    m_devices.remove(m_recency.front());
    m_recency.pop_front();
    ++m_evictions;
}

} // namespace iotc
