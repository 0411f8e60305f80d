#include "streamoutput.h"

#include "eventjson.h"
#include "textoutput.h"

#include "monitor/eventstream.h"
#include "monitor/monitorpipeline.h"
#include "util/jsondepth.h"
#include "util/textdecode.h"
#include "validate/issuejson.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <variant>

namespace iotc::cli {

namespace {

std::string isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

// An EventFields value as JSON: the type it came with.
nlohmann::json fieldJson(const EventValue& v)
{
    return std::visit(
        [](const auto& x) -> nlohmann::json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return nullptr;
            else if constexpr (std::is_same_v<T, QString>)
                return x.toStdString();
            else
                return x;
        },
        v);
}

// The same for people: text as it is (made printable), the rest as JSON writes it.
std::string fieldText(const EventValue& v)
{
    if (const QString* text = std::get_if<QString>(&v))
        return printable(text->toStdString());
    return fieldJson(v).dump();
}

// The az CLI's names of the AMQP properties (uamqp's attribute names): message_id, creation_time ...
std::string systemName(const QString& amqpName)
{
    QString name = amqpName;
    return name.replace(QLatin1Char('-'), QLatin1Char('_')).toStdString();
}

std::string encodingOf(const TelemetryEvent& e)
{
    return e.contentEncoding ? e.contentEncoding->toStdString() : std::string();
}

// "DEVICE[/MODULE] [(COMPONENT)]", printable.
std::string origin(const TelemetryEvent& e)
{
    return printable(e.deviceId.toStdString()) + (e.moduleId.isEmpty() ? "" : "/" + printable(e.moduleId.toStdString()))
        + (e.component.isEmpty() ? "" : " (" + printable(e.component.toStdString()) + ")");
}

} // namespace

std::optional<EventSections> parseEventSections(std::string_view text)
{
    EventSections s;
    const QString all = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).toLower();
    for (const QString& part : all.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("sys"))
            s.system = true;
        else if (part == QLatin1String("anno"))
            s.annotations = true;
        else if (part == QLatin1String("app"))
            s.application = true;
        else if (part == QLatin1String("all"))
            s = EventSections::all();
        else
            return std::nullopt;
    }
    return s;
}

nlohmann::json eventJson(const TelemetryEvent& e, const EventSections& show)
{
    using nlohmann::json;
    json event = {
        { "origin", e.deviceId.toStdString() },
        { "module", e.moduleId.toStdString() },
        { "component", e.component.toStdString() },
        { "interface", (e.interfaceName.isEmpty() ? e.modelId : e.interfaceName).toStdString() },
        { "partition", e.partition },
        { "sequenceNumber", e.sequenceNumber },
        { "enqueuedTime", isoTime(e.enqueuedMs) },
    };
    // The body: UTF-8 as it is; otherwise decoded with its encoding named, or in base64 (never mangled).
    const BodyText body
        = bodyText(std::string_view(e.body.constData(), static_cast<size_t>(e.body.size())), encodingOf(e));
    if (body.form == BodyText::Form::Base64) {
        event["payload"] = body.text;
        event["payloadEncoding"] = "base64";
        event["payloadNote"] = body.note;
    } else {
        bool tooDeep = false;
        json payload = parseJsonBounded(body.text, &tooDeep);
        // Not JSON (or too deep to read): the text as received.
        event["payload"] = payload.is_discarded() ? json(body.text) : std::move(payload);
        if (body.form == BodyText::Form::Decoded) {
            event["payloadEncoding"] = body.encoding;
            event["payloadNote"] = "decoded from " + body.encoding + " (" + body.note + ")";
        }
        if (tooDeep)
            event["payloadNote"] = "the body nests more than " + std::to_string(MaxJsonDepth)
                + " levels deep: shown as text, not read as JSON";
    }
    if (show.any()) {
        // As the az CLI: properties whenever any section is asked for; system only when there is one.
        json properties = json::object();
        if (show.system && !e.systemProperties.isEmpty()) {
            json system = json::object();
            for (const auto& [k, v] : e.systemProperties)
                system[systemName(k)] = fieldJson(v);
            properties["system"] = std::move(system);
        }
        if (show.application) {
            json application = json::object();
            for (const auto& [k, v] : e.applicationProperties)
                application[k.toStdString()] = v.toStdString();
            properties["application"] = std::move(application);
            if (e.droppedApplicationProperties)
                event["applicationPropertiesDropped"] = e.droppedApplicationProperties;
        }
        event["properties"] = std::move(properties);
    }
    if (show.annotations) {
        json annotations = json::object();
        for (const auto& [k, v] : e.annotations)
            annotations[k.toStdString()] = fieldJson(v);
        event["annotations"] = std::move(annotations);
        if (e.droppedAnnotations)
            event["annotationsDropped"] = e.droppedAnnotations;
    }
    return event;
}

std::string dumpLine(const nlohmann::json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string eventText(const TelemetryEvent& e, const EventSections& show)
{
    const BodyText body
        = bodyText(std::string_view(e.body.constData(), static_cast<size_t>(e.body.size())), encodingOf(e));
    std::string out = isoTime(e.enqueuedMs) + "  " + origin(e) + "  ";
    if (body.form == BodyText::Form::Base64)
        out += "[base64: " + printable(body.note) + "] ";
    else if (body.form == BodyText::Form::Decoded)
        out += "[" + body.encoding + "] ";
    out += printable(body.text) + "\n";
    auto section = [&out](const char* title, const std::vector<std::pair<std::string, std::string>>& rows,
                       quint32 dropped) {
        out += std::string("    ") + title + ":" + (rows.empty() && !dropped ? " (none)" : "") + "\n";
        for (const auto& [k, v] : rows)
            out += "      " + k + ": " + v + "\n";
        if (dropped)
            out += "      (" + std::to_string(dropped) + " more not kept: past the bounds of what one event keeps)\n";
    };
    if (show.system) {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& [k, v] : e.systemProperties)
            rows.emplace_back(systemName(k), fieldText(v));
        section("system", rows, 0);
    }
    if (show.application) {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& [k, v] : e.applicationProperties)
            rows.emplace_back(printable(k.toStdString()), printable(v.toStdString()));
        section("application", rows, e.droppedApplicationProperties);
    }
    if (show.annotations) {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& [k, v] : e.annotations)
            rows.emplace_back(printable(k.toStdString()), fieldText(v));
        section("annotations", rows, e.droppedAnnotations);
    }
    return out;
}

std::string eventLines(const std::vector<TelemetryEvent>& events, bool jsonOut, const EventSections& show)
{
    std::string out;
    if (jsonOut) {
        appendEventJsonLines(out, events, show);
        return out;
    }
    for (const auto& e : events)
        out += eventText(e, show);
    return out;
}

std::string observationLines(
    const std::vector<Observation>& batch, const ValidateOutput& how, qint64& withErrors, qint64* withIssues)
{
    std::string out;
    if (withIssues)
        for (const auto& o : batch)
            *withIssues += std::any_of(
                o.issues.begin(), o.issues.end(), [&](const Issue& i) { return i.severity >= how.minimum; });
    if (how.jsonOut) {
        appendObservationJsonLines(out, batch, how.show, how.minimum, withErrors);
        return out;
    }
    for (const auto& o : batch) {
        std::vector<Issue> kept;
        for (const auto& i : o.issues)
            if (i.severity >= how.minimum)
                kept.push_back(i);
        withErrors += hasErrors(kept);
        if (!kept.empty()) {
            out += origin(o.event) + " at " + isoTime(o.event.enqueuedMs) + ":\n";
            for (const auto& i : kept)
                out += "  " + formatIssueText(i, how.colour);
        }
    }
    return out;
}

std::string progressLine(qint64 checked, qint64 withIssues, Severity minimum)
{
    const std::string level = minimum == Severity::Info ? "" : std::string(" at or above ") + severityName(minimum);
    return "Checked " + std::to_string(checked) + " message(s) so far: "
        + (withIssues ? std::to_string(withIssues) + " with issues" + level : "no issues" + level) + ".\n";
}

void writeSummary(const MonitorPipeline& pipeline, qint64 seen, const QString& endReason, double seconds,
    quint64 dropped, bool jsonOut)
{
    if (jsonOut) {
        nlohmann::json devices = nlohmann::json::object();
        for (const auto& [id, s] : pipeline.stats())
            devices[id.toStdString()] = { { "messages", s.messages }, { "issues", s.issues } };
        const auto& evicted = pipeline.evictions();
        nlohmann::json summary = { { "messages", seen }, { "devices", devices }, { "reason", endReason.toStdString() },
            { "dropped", dropped },
            { "evicted",
                { { "devices", evicted.devices }, { "fields", evicted.fields },
                    { "unmodeledNames", evicted.unmodeledNames } } } };
        if (seconds >= 0)
            summary["seconds"] = seconds;
        writeAll(stdout, dumpLine({ { "summary", summary } }));
        return;
    }
    std::string text = "\nSummary: " + std::to_string(seen) + " message(s)"
        + (seconds >= 0 ? " in " + std::to_string(static_cast<qint64>(seconds)) + " s" : "") + " ("
        + endReason.toStdString() + ")" + (dropped ? ", " + std::to_string(dropped) + " dropped (queue full)" : "")
        + "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& [id, s] : pipeline.stats()) {
        std::string issues;
        for (const auto& [code, n] : s.issues)
            issues += (issues.empty() ? "" : ", ") + code + " x" + std::to_string(n);
        rows.push_back({ printable(id.toStdString()), std::to_string(s.messages) + " message(s)",
            issues.empty() ? "no issues" : issues });
    }
    text += alignedRows(rows, 2);
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
