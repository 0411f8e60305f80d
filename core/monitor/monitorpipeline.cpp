#include "monitorpipeline.h"

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

MonitorPipeline::MonitorPipeline(std::shared_ptr<TemplateResolver> resolver)
    : m_resolver(std::move(resolver))
{
}

std::vector<Observation> MonitorPipeline::process(std::vector<TelemetryEvent> events)
{
    std::vector<Observation> out;
    out.reserve(events.size());
    for (auto& e : events) {
        Observation o;
        // Only device telemetry is judged against the template; lifecycle and twin events pass.
        const bool telemetry = e.messageSource.isEmpty() || e.messageSource == QLatin1String("Telemetry");
        if (telemetry) {
            const auto r = m_resolver->forDevice(e.deviceId);
            o.templateId = r.templateId;
            if (r.validator) {
                o.issues = r.validator->validate(
                    std::string_view(e.body.constData(), static_cast<size_t>(e.body.size())), contextOf(e));
            } else if (r.problem) {
                o.issues.push_back(*r.problem);
            }
        }
        auto& s = m_stats[e.deviceId];
        ++s.messages;
        s.lastSeenMs = std::max(s.lastSeenMs, e.enqueuedMs);
        for (const auto& i : o.issues)
            ++s.issues[i.code];
        ++m_messages;
        o.event = std::move(e);
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace iotc
