#include "propertyvalidation.h"

#include <QJsonDocument>

namespace iotc {

QStringList componentNamesOf(const PayloadValidator* validator)
{
    QStringList names;
    if (validator) {
        for (const auto& c : validator->deviceTemplate().model.components)
            names << QString::fromStdString(c.name);
    }
    return names;
}

bool isCloudProperty(const PropertyState& p, const DeviceTemplate& deviceTemplate)
{
    const CapabilityScope* scope = &deviceTemplate.model.root;
    if (!p.component.isEmpty())
        scope = deviceTemplate.model.component(p.component.toStdString());
    if (!scope)
        return false;
    bool cloud = false;
    for (const auto* c : scope->find(p.name.toStdString())) {
        if (c->kind == CapabilityKind::Property)
            return false; // also a device property: the device may have reported it
        cloud = cloud || c->kind == CapabilityKind::CloudProperty;
    }
    return cloud;
}

std::vector<Issue> validateReportedProperties(const PropertySnapshot& snapshot, const PayloadValidator& validator)
{
    MessageContext context;
    context.kind = PayloadKind::ReportedProperties;
    // The application returns its cloud properties' values with the device's: those are the
    // application's, not something the device sent, and are not judged as device data.
    PropertySnapshot deviceSide;
    for (const auto& p : snapshot.properties)
        if (!isCloudProperty(p, validator.deviceTemplate()))
            deviceSide.properties.append(p);
    const QByteArray json = QJsonDocument(deviceSide.reportedPayload()).toJson(QJsonDocument::Compact);
    return validator.validate(std::string_view(json.constData(), static_cast<size_t>(json.size())), context);
}

std::optional<Issue> writableSyncIssue(const PropertyState& p)
{
    if (p.sync != SyncState::Pending && p.sync != SyncState::Rejected && p.sync != SyncState::Stale)
        return std::nullopt;
    Issue i;
    i.path = p.key().toStdString();
    if (p.sync == SyncState::Rejected) {
        i.code = codes::WritablePropertyRejected;
        i.severity = Severity::Error;
        i.message = "The device rejected the value set for " + p.key().toStdString() + " (ack code "
            + std::to_string(p.ackCode.value_or(0))
            + (p.ackDescription.isEmpty() ? "" : ": " + p.ackDescription.toStdString()) + ")";
        i.suggestion = "check the value against what the device accepts, or fix the device's handling of it";
    } else {
        i.code = codes::WritablePropertyNotAcknowledged;
        i.severity = p.sync == SyncState::Stale ? Severity::Error : Severity::Warning;
        i.message = "The device has not acknowledged version " + std::to_string(p.desiredVersion.value_or(0)) + " of "
            + p.key().toStdString()
            + (p.ackVersion ? " (it last acknowledged version " + std::to_string(*p.ackVersion) + ")"
                            : " (it never acknowledged it)");
        i.suggestion = "the device must report {\"value\", \"ac\", \"av\": <desired $version>} after applying a "
                       "writable property";
    }
    i.expected = "ack for version " + std::to_string(p.desiredVersion.value_or(0));
    if (p.ackVersion)
        i.actual = "ack version " + std::to_string(*p.ackVersion) + ", code " + std::to_string(p.ackCode.value_or(0));
    return i;
}

std::vector<Issue> propertyIssues(
    const PropertySnapshot& snapshot, const PayloadValidator* validator, const std::optional<Issue>& noValidator)
{
    std::vector<Issue> issues;
    if (validator)
        issues = validateReportedProperties(snapshot, *validator);
    else if (noValidator)
        issues.push_back(*noValidator);
    for (const auto& p : snapshot.properties)
        if (auto i = writableSyncIssue(p))
            issues.push_back(std::move(*i));
    return issues;
}

} // namespace iotc
