#include "diagnosis.h"

#include "validate/issue.h"

#include <map>

namespace iotc {

const char* checkStatusName(DiagnosisCheck::Status s)
{
    switch (s) {
    case DiagnosisCheck::Status::Passed:
        return "passed";
    case DiagnosisCheck::Status::Warning:
        return "warning";
    case DiagnosisCheck::Status::Failed:
        return "failed";
    case DiagnosisCheck::Status::Skipped:
        return "skipped";
    }
    return "skipped";
}

const QStringList& causeRanking()
{
    static const QStringList ranking { causes::AppUnreachable, causes::CredentialsInvalid, causes::DeviceNotFound,
        causes::DeviceBlocked, causes::DeviceBlockedOrWaitingForApproval, causes::DpsInvalidCredentials,
        causes::DpsThrottled, causes::DeviceUnassigned, causes::TemplateNotFound, causes::DeviceNeverConnected,
        causes::HubThrottled, causes::EventStreamUnreachable, causes::NoData, causes::DataStopped, causes::InvalidJson,
        causes::InvalidEncoding, causes::SchemaMismatch, causes::UnmodeledCapability, causes::UnknownComponent,
        causes::DuplicateCapability, causes::EdgeUnmodeled, causes::WritablePropertyRejected,
        causes::WritablePropertyNotAcknowledged, causes::ContentTypeOrEncoding, causes::FileUploadLimitExceeded,
        causes::DeviceLogErrors };
    return ranking;
}

bool settlesNoData(const QString& cause, bool deviceProvisioned)
{
    static const QStringList settled { causes::DeviceNotFound, causes::DeviceBlocked,
        causes::DeviceBlockedOrWaitingForApproval, causes::DeviceNeverConnected };
    static const QStringList beforeProvisioning { causes::DpsInvalidCredentials, causes::DpsThrottled };
    return settled.contains(cause) || (!deviceProvisioned && beforeProvisioning.contains(cause));
}

bool Diagnosis::couldNotRun() const
{
    if (causes.empty())
        return false;
    const QString& top = causes.front().code;
    if (top == causes::AppUnreachable || top == causes::CredentialsInvalid)
        return true;
    return causes.size() == 1 && top == causes::EventStreamUnreachable;
}

QString causeForIssue(std::string_view code)
{
    static const std::map<std::string_view, QLatin1String> map {
        { codes::InvalidJson, causes::InvalidJson },
        { codes::NotAnObject, causes::InvalidJson },
        { codes::InvalidEncoding, causes::InvalidEncoding },
        { codes::SchemaMismatch, causes::SchemaMismatch },
        { codes::InvalidFieldName, causes::UnmodeledCapability },
        { codes::UnmodeledCapability, causes::UnmodeledCapability },
        { codes::UnknownComponent, causes::UnknownComponent },
        { codes::UnknownModule, causes::UnknownComponent },
        { codes::DuplicateCapability, causes::DuplicateCapability },
        { codes::EdgeUnmodeled, causes::EdgeUnmodeled },
        { codes::DeviceUnassigned, causes::DeviceUnassigned },
        { codes::DeviceNotFound, causes::DeviceNotFound },
        { codes::ContentTypeMismatch, causes::ContentTypeOrEncoding },
        { codes::MissingContentEncoding, causes::ContentTypeOrEncoding },
        { codes::UnsupportedContentEncoding, causes::ContentTypeOrEncoding },
        { codes::WritablePropertyRejected, causes::WritablePropertyRejected },
        { codes::WritablePropertyNotAcknowledged, causes::WritablePropertyNotAcknowledged },
        { codes::MissingComponentMarker, causes::UnknownComponent },
        { codes::InvalidAck, causes::WritablePropertyNotAcknowledged },
    };
    if (auto it = map.find(code); it != map.end())
        return it->second;
    return {};
}

} // namespace iotc
