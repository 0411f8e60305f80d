#pragma once

#include <string_view>

namespace iotc {

// Textual formats of DTDL primitive schemas (RFC 3339 / ISO 8601 as the DTDL spec names them).
bool isRfc3339Date(std::string_view s); // 2024-02-29
bool isRfc3339Time(std::string_view s); // 13:45:00, 13:45:00.25Z, 13:45:00+02:00
bool isRfc3339DateTime(std::string_view s); // date 'T' time; offset optional (ISO 8601 local time)
bool isIso8601Duration(std::string_view s); // P1Y2M3DT4H5M6.5S, PT0S, P2W
bool isUuid(std::string_view s);
bool isBase64(std::string_view s);
bool isDecimalText(std::string_view s);

} // namespace iotc
