#pragma once

#include "httpworker.h"

#include <QString>

namespace iotc {

struct KnowledgeEntry;

// Every failure of a call to IoT Central (or DPS), as one value: what the server said (status,
// error code, message, requestId, time from the real error body) and what it means in words.
struct CentralError {
    enum class Kind { None, Http, Network, Timeout, InvalidResponse, Cancelled, Credentials };
    Kind kind = Kind::None;
    int httpStatus = 0;
    QString code; // IoT Central's error code (e.g. 403.043.004.001, NotFound)
    QString message;
    QString requestId;
    QString time;
    int retryAfterSeconds = -1;
    int attempts = 0;
    QString explanation; // which credential or resource is wrong, and what to do
    const KnowledgeEntry* knowledge = nullptr;

    bool ok() const { return kind == Kind::None; }
    QString summary() const; // one line for logs and status bars (no secrets)
    static CentralError credentials(const QString& explanation);
};

// Which service answered: the words of an error (whose address, which knowledge) are that service's.
enum class ErrorSource {
    Central, // IoT Central's REST API: explained here, never with a DPS code's advice
    Dps, // the Device Provisioning Service: the knowledge base's DPS entries
};

// Builds the error from a failed response; what = the operation ("Get device boiler-17").
CentralError centralErrorFrom(
    const HttpResponse& response, const QString& what, ErrorSource source = ErrorSource::Central);

const char* errorKindName(CentralError::Kind kind);

} // namespace iotc
