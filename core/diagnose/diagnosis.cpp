#include "diagnosis.h"

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
        causes::DpsThrottled, causes::DeviceUnassigned, causes::DeviceNeverConnected, causes::EventStreamUnreachable,
        causes::NoData, causes::DataStopped, causes::InvalidJson, causes::InvalidEncoding, causes::SchemaMismatch,
        causes::UnmodeledCapability, causes::UnknownComponent, causes::DuplicateCapability, causes::EdgeUnmodeled,
        causes::WritablePropertyRejected, causes::WritablePropertyNotAcknowledged, causes::ContentTypeOrEncoding,
        causes::FileUploadLimitExceeded, causes::DeviceLogErrors };
    return ranking;
}

} // namespace iotc
