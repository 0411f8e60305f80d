#include "monitorpipeline.h"

#include "validate/payloadchecks.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace iotc {

namespace {

// QString to UTF-8 std::string in one step (ids and content types are ASCII: no QByteArray between).
std::string utf8(const QString& text)
{
    std::string out(static_cast<size_t>(text.size()), '\0');
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x80)
            return text.toStdString();
        out[static_cast<size_t>(i)] = static_cast<char>(c);
    }
    return out;
}

void appendUtf8(QString& to, std::string_view utf8)
{
    for (const char c : utf8) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            to.append(QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size())));
            return;
        }
    }
    to.append(QLatin1StringView(utf8.data(), static_cast<qsizetype>(utf8.size())));
}

} // namespace

MessageContext contextOf(const TelemetryEvent& e)
{
    MessageContext c;
    c.kind = PayloadKind::Telemetry;
    if (e.contentType)
        c.contentType = utf8(*e.contentType);
    if (e.contentEncoding)
        c.contentEncoding = utf8(*e.contentEncoding);
    c.component = utf8(e.component);
    c.module = utf8(e.moduleId);
    c.modelId = utf8(e.modelId);
    return c;
}

MessageContext& MonitorPipeline::contextFor(const TelemetryEvent& e)
{
    // Events mostly repeat a few combinations of content type, component, module and model (a
    // device's components in turn): the last few are kept, converted once.
    for (auto& c : m_contexts) {
        if (c.valid && c.component == e.component && c.modelId == e.modelId && c.moduleId == e.moduleId
            && c.contentType == e.contentType && c.contentEncoding == e.contentEncoding)
            return c.context;
    }
    auto& c = m_contexts[m_nextContext];
    m_nextContext = (m_nextContext + 1) % m_contexts.size();
    c.valid = true;
    c.contentType = e.contentType;
    c.contentEncoding = e.contentEncoding;
    c.component = e.component;
    c.moduleId = e.moduleId;
    c.modelId = e.modelId;
    c.context = contextOf(e);
    return c.context;
}

const TemplateResolver::Resolution& MonitorPipeline::resolutionFor(const QString& deviceId)
{
    // Runs of one device's events ask the resolver once. A passing failure is kept for the rest of
    // the batch only: the next batch asks again, as the resolver wants, but one batch's events do
    // not ask one after another (a throttled application would be asked ever more).
    if (m_lastResolution && m_lastDevice == deviceId)
        return *m_lastResolution;
    if (auto it = m_passingFailures.constFind(deviceId); it != m_passingFailures.constEnd())
        return it.value();
    auto r = m_resolver->forDevice(deviceId);
    if (r.problem && r.problem->code == codes::TemplateUnavailable)
        return m_passingFailures.emplace(deviceId, std::move(r)).value();
    m_lastResolution = std::move(r);
    m_lastDevice = deviceId;
    return *m_lastResolution;
}

double DeviceStats::ratePerSecond() const
{
    const qint64 span = lastSeenMs - firstSeenMs;
    return span > 0 && messages > 1 ? static_cast<double>(messages - 1) * 1000.0 / static_cast<double>(span) : 0.0;
}

MonitorPipeline::MonitorPipeline(std::shared_ptr<TemplateResolver> resolver, size_t historyPerField)
    : m_resolver(std::move(resolver))
    , m_history(std::max<size_t>(1, historyPerField))
{
}

DeviceStats& MonitorPipeline::statsFor(const QString& deviceId)
{
    if (auto it = m_statsIndex.find(deviceId); it != m_statsIndex.end()) {
        // The most recently seen last; a run of one device's events moves nothing.
        if (std::next(it->recency) != m_recency.end())
            m_recency.splice(m_recency.end(), m_recency, it->recency);
        return *it->stats;
    }
    while (!m_stats.empty() && m_stats.size() >= std::max<size_t>(1, m_limits.devices))
        evictDevice();
    DeviceStats& s = m_stats[deviceId];
    m_recency.push_back(deviceId);
    m_statsIndex.insert(deviceId, { &s, std::prev(m_recency.end()) });
    return s;
}

void MonitorPipeline::evictDevice()
{
    const QString id = m_recency.front();
    if (auto found = m_stats.find(id); found != m_stats.end()) {
        m_fieldCount -= found->second.fields.size();
        m_unmodeledCount -= found->second.unmodeledFields.size();
        m_stats.erase(found);
    }
    m_statsIndex.remove(id);
    m_recency.pop_front();
    ++m_evictions.devices;
}

void MonitorPipeline::evictFields()
{
    // The stalest eighth goes at once: one walk over every series pays for many new ones.
    const size_t limit = std::max<size_t>(1, m_limits.fields);
    const size_t keep = limit - std::max<size_t>(1, limit / 8);
    if (m_fieldCount <= keep)
        return;
    using Entry = std::pair<quint64, std::pair<DeviceStats*, std::map<QString, FieldSeries>::iterator>>;
    std::vector<Entry> all;
    all.reserve(m_fieldCount);
    for (auto& [id, stats] : m_stats)
        for (auto it = stats.fields.begin(); it != stats.fields.end(); ++it)
            all.push_back({ it->second.fedAt, { &stats, it } });
    const size_t drop = std::min(all.size(), m_fieldCount - keep);
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(drop), all.end(),
        [](const Entry& a, const Entry& b) { return a.first < b.first; });
    for (size_t i = 0; i < drop; ++i)
        all[i].second.first->fields.erase(all[i].second.second);
    m_fieldCount -= drop;
    m_evictions.fields += drop;
}

void MonitorPipeline::recordFields(DeviceStats& stats, Observation& o, const PayloadJson& body)
{
    for (const auto& i : o.issues) {
        if (i.code != codes::UnmodeledCapability)
            continue;
        QString name = (o.event.component.isEmpty() ? QString() : o.event.component + QLatin1Char('/'))
            + QString::fromStdString(i.path);
        if (stats.unmodeledFields.count(name))
            continue;
        if (stats.unmodeledFields.size() >= m_limits.unmodeledPerDevice || m_unmodeledCount >= m_limits.unmodeled) {
            ++m_evictions.unmodeledNames;
            continue;
        }
        stats.unmodeledFields.insert(std::move(name));
        ++m_unmodeledCount;
    }
    // Numeric top-level fields feed the charts; anything else is not plotted. The body is the one the
    // validator decoded (after its encoding and depth checks), so nothing is parsed twice.
    if (!body.is_object())
        return;
    if (m_collectFields) {
        constexpr size_t MaxText = 200;
        o.fields.reserve(body.size());
        for (const auto& [name, value] : body.items()) {
            std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            if (text.size() > MaxText)
                text = text.substr(0, MaxText) + "…";
            ObservedField f { QString::fromStdString(name), QString::fromStdString(text), {} };
            if (value.is_number())
                f.number = value.get<double>();
            o.fields.push_back(std::move(f));
        }
    }
    for (const auto& [name, value] : body.items()) {
        if (!value.is_number())
            continue;
        // The key is built in a reused buffer: a series already known costs no allocation.
        m_key.resize(0);
        if (!o.event.component.isEmpty())
            m_key.append(o.event.component).append(QLatin1Char('/'));
        appendUtf8(m_key, name);
        auto found = stats.fields.find(m_key);
        if (found == stats.fields.end()) {
            if (m_fieldCount >= std::max<size_t>(1, m_limits.fields))
                evictFields(); // before the insertion: no series of this event is held meanwhile
            found = stats.fields.emplace(QString(m_key.constData(), m_key.size()), FieldSeries {}).first;
            ++m_fieldCount;
        }
        auto& series = found->second;
        series.fedAt = m_events;
        series.last = value.get<double>();
        series.history.emplace_back(o.event.enqueuedMs, series.last);
        while (series.history.size() > m_history)
            series.history.pop_front();
    }
}

std::vector<Observation> MonitorPipeline::process(std::vector<TelemetryEvent> events)
{
    std::vector<Observation> out;
    out.reserve(events.size());
    // The batch's new devices are looked up together, not one round trip per device in turn.
    std::vector<QString> devices;
    for (const auto& e : events) {
        if ((e.messageSource.isEmpty() || e.messageSource == QLatin1String("Telemetry"))
            && (devices.empty() || devices.back() != e.deviceId) && !(m_lastResolution && e.deviceId == m_lastDevice))
            devices.push_back(e.deviceId);
    }
    m_passingFailures.clear();
    if (!devices.empty())
        m_resolver->prepare(devices);
    for (auto& e : events) {
        Observation o;
        PayloadJson body; // what the validator decoded; stays null (not plotted) for non-telemetry
        // Only device telemetry is judged against the template; lifecycle and twin events pass.
        const bool telemetry = e.messageSource.isEmpty() || e.messageSource == QLatin1String("Telemetry");
        if (telemetry) {
            const auto& r = resolutionFor(e.deviceId);
            o.templateId = r.templateId;
            const std::string_view text(e.body.constData(), static_cast<size_t>(e.body.size()));
            if (r.validator) {
                MessageContext& context = contextFor(e);
                if (context.edgeRuntimeVersion != r.edgeRuntimeVersion)
                    context.edgeRuntimeVersion = r.edgeRuntimeVersion;
                o.issues = r.validator->validate(text, context, &body);
            } else {
                // No template to judge the names by: why there is none, then every check that needs
                // none (bytes, JSON, content headers, field names). The values can still be plotted.
                if (r.problem)
                    o.issues.push_back(*r.problem);
                auto checks = validateWithoutTemplate(text, contextFor(e), &body);
                o.issues.insert(
                    o.issues.end(), std::make_move_iterator(checks.begin()), std::make_move_iterator(checks.end()));
            }
        }
        ++m_events;
        auto& s = statsFor(e.deviceId);
        ++s.messages;
        if (s.firstSeenMs == 0 || e.enqueuedMs < s.firstSeenMs)
            s.firstSeenMs = e.enqueuedMs;
        s.lastSeenMs = std::max(s.lastSeenMs, e.enqueuedMs);
        for (const auto& i : o.issues)
            if (i.severity >= m_statsMinimum)
                ++s.issues[i.code];
        o.event = std::move(e);
        recordFields(s, o, body);
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace iotc
