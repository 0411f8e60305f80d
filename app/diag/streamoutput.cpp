#include "streamoutput.h"

#include "textoutput.h"

#include "monitor/eventstream.h"
#include "monitor/monitorpipeline.h"
#include "util/jsondepth.h"
#include "validate/issuejson.h"

#include <QDateTime>

#include <cstdio>

namespace iotc::cli {

nlohmann::json eventJson(const TelemetryEvent& e, bool annotations, bool properties)
{
    using nlohmann::json;
    bool tooDeep = false;
    json payload = parseJsonBounded(std::string_view(e.body.constData(), static_cast<size_t>(e.body.size())), &tooDeep);
    if (payload.is_discarded())
        payload = QString::fromUtf8(e.body).toStdString(); // not JSON (or too deep to read): the text as received
    json event = {
        { "origin", e.deviceId.toStdString() },
        { "module", e.moduleId.toStdString() },
        { "component", e.component.toStdString() },
        { "interface", e.modelId.toStdString() },
        { "partition", e.partition },
        { "sequenceNumber", e.sequenceNumber },
        { "enqueuedTime",
            QDateTime::fromMSecsSinceEpoch(e.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs).toStdString() },
        { "payload", std::move(payload) },
    };
    if (tooDeep)
        event["payloadNote"] = "the body nests more than " + std::to_string(MaxJsonDepth)
            + " levels deep: shown as text, not read as JSON";
    if (annotations) {
        event["annotations"] = {
            { "iothub-connection-device-id", e.deviceId.toStdString() },
            { "iothub-connection-module-id", e.moduleId.toStdString() },
            { "iothub-connection-auth-method", e.authMethod.toStdString() },
            { "iothub-message-source", e.messageSource.toStdString() },
            { "dt-subject", e.component.toStdString() },
            { "dt-dataschema", e.modelId.toStdString() },
            { "x-opt-sequence-number", e.sequenceNumber },
            { "x-opt-offset", e.offset.toStdString() },
            { "x-opt-enqueued-time", e.enqueuedMs },
        };
        event["contentType"] = e.contentType ? json(e.contentType->toStdString()) : json();
        event["contentEncoding"] = e.contentEncoding ? json(e.contentEncoding->toStdString()) : json();
    }
    if (properties) {
        json props = json::object();
        for (const auto& [k, v] : e.applicationProperties)
            props[k.toStdString()] = v.toStdString();
        event["properties"] = props;
    }
    return event;
}

std::string dumpLine(const nlohmann::json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string eventLines(const std::vector<TelemetryEvent>& events, bool jsonOut, bool annotations, bool properties)
{
    std::string out;
    for (const auto& e : events) {
        if (jsonOut)
            out += dumpLine({ { "event", eventJson(e, annotations, properties) } });
        else
            out += QDateTime::fromMSecsSinceEpoch(e.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs).toStdString()
                + "  " + printable(e.deviceId.toStdString())
                + (e.component.isEmpty() ? "" : "/" + printable(e.component.toStdString())) + "  "
                + printable(QString::fromUtf8(e.body).toStdString()) + "\n";
    }
    return out;
}

std::string observationLines(const std::vector<Observation>& batch, const ValidateOutput& how, qint64& withErrors)
{
    std::string out;
    for (const auto& o : batch) {
        std::vector<Issue> kept;
        for (const auto& i : o.issues)
            if (i.severity >= how.minimum)
                kept.push_back(i);
        withErrors += hasErrors(kept);
        if (how.jsonOut) {
            std::string line = "{\"event\":"
                + eventJson(o.event, how.annotations, how.properties)
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                + ",\"issues\":";
            appendIssuesJson(line, kept);
            out += line + "}\n";
        } else if (!kept.empty()) {
            out += printable(o.event.deviceId.toStdString()) + " ("
                + QDateTime::fromMSecsSinceEpoch(o.event.enqueuedMs, Qt::UTC).toString(Qt::ISODate).toStdString()
                + "):\n";
            for (const auto& i : kept)
                out += "  " + formatIssueText(i, how.colour);
        }
    }
    return out;
}

void writeSummary(const MonitorPipeline& pipeline, qint64 seen, const QString& endReason, double seconds,
    quint64 dropped, bool jsonOut)
{
    if (jsonOut) {
        nlohmann::json devices = nlohmann::json::object();
        for (const auto& [id, s] : pipeline.stats())
            devices[id.toStdString()] = { { "messages", s.messages }, { "issues", s.issues } };
        const auto& evicted = pipeline.evictions();
        const nlohmann::json summary = { { "summary",
            { { "messages", seen }, { "devices", devices }, { "reason", endReason.toStdString() },
                { "seconds", seconds }, { "dropped", dropped },
                { "evicted",
                    { { "devices", evicted.devices }, { "fields", evicted.fields },
                        { "unmodeledNames", evicted.unmodeledNames } } } } } };
        writeAll(stdout, dumpLine(summary));
        return;
    }
    std::string text = "\nSummary: " + std::to_string(seen) + " message(s) in "
        + std::to_string(static_cast<int>(seconds)) + " s (" + endReason.toStdString() + ")\n";
    for (const auto& [id, s] : pipeline.stats()) {
        text += "  " + printable(id.toStdString()) + ": " + std::to_string(s.messages) + " message(s)";
        for (const auto& [code, n] : s.issues)
            text += ", " + code + " x" + std::to_string(n);
        text += "\n";
    }
    if (pipeline.evictions().devices)
        text += "  (and " + std::to_string(pipeline.evictions().devices)
            + " device(s) seen least recently, not listed: statistics are kept for "
            + std::to_string(pipeline.limits().devices) + " devices at most)\n";
    writeAll(stdout, text);
}

void reportPartitionStates(const std::vector<PartitionState>& partitions, std::map<int, std::string>& lastStates)
{
    for (const auto& p : partitions) {
        const std::string state = std::string(partitionStateName(p.state))
            + (p.condition.isEmpty() ? "" : " " + printable(p.condition.toStdString()))
            + (p.description.isEmpty() ? "" : ": " + printable(p.description.toStdString()));
        auto& last = lastStates[p.partition];
        if (last != state) {
            if (p.state != PartitionState::State::Connecting && p.state != PartitionState::State::Receiving)
                std::fprintf(stderr, "partition %d: %s\n", p.partition, state.c_str());
            last = state;
        }
    }
}

} // namespace iotc::cli
