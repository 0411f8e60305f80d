#include "monitorpipeline.h"

#include "util/jsondepth.h"

#include <nlohmann/json.hpp>

namespace iotc {

MessageContext contextOf(const TelemetryEvent& e)
{
    MessageContext c;
    c.kind = PayloadKind::Telemetry;
    if (e.contentType)
        c.contentType = e.contentType->toStdString();
    if (e.contentEncoding)
        c.contentEncoding = e.contentEncoding->toStdString();
    c.component = e.component.toStdString();
    c.module = e.moduleId.toStdString();
    c.modelId = e.modelId.toStdString();
    return c;
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

void MonitorPipeline::recordFields(DeviceStats& stats, Observation& o, const PayloadJson& body)
{
    for (const auto& i : o.issues) {
        if (i.code == "unmodeled-capability")
            stats.unmodeledFields.insert(
                (o.event.component.isEmpty() ? QString() : o.event.component + QLatin1Char('/'))
                + QString::fromStdString(i.path));
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
        const QString key = (o.event.component.isEmpty() ? QString() : o.event.component + QLatin1Char('/'))
            + QString::fromStdString(name);
        auto& series = stats.fields[key];
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
    for (auto& e : events) {
        Observation o;
        PayloadJson body; // what the validator decoded; stays null (not plotted) for non-telemetry
        // Only device telemetry is judged against the template; lifecycle and twin events pass.
        const bool telemetry = e.messageSource.isEmpty() || e.messageSource == QLatin1String("Telemetry");
        if (telemetry) {
            const auto r = m_resolver->forDevice(e.deviceId);
            o.templateId = r.templateId;
            const std::string_view text(e.body.constData(), static_cast<size_t>(e.body.size()));
            if (r.validator) {
                MessageContext context = contextOf(e);
                context.edgeRuntimeVersion = r.edgeRuntimeVersion;
                o.issues = r.validator->validate(text, context, &body);
            } else {
                if (r.problem)
                    o.issues.push_back(*r.problem);
                // No template to judge by, but the values can still be plotted.
                if (jsonNestingDepth(text, MaxJsonDepth) <= MaxJsonDepth)
                    body = PayloadJson::parse(text, nullptr, false);
            }
        }
        auto& s = m_stats[e.deviceId];
        ++s.messages;
        if (s.firstSeenMs == 0 || e.enqueuedMs < s.firstSeenMs)
            s.firstSeenMs = e.enqueuedMs;
        s.lastSeenMs = std::max(s.lastSeenMs, e.enqueuedMs);
        for (const auto& i : o.issues)
            ++s.issues[i.code];
        o.event = std::move(e);
        recordFields(s, o, body);
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace iotc
