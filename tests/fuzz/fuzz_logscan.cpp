// The device-log scanner: any bytes (any SDK's log, UTF-16, binary, endless lines).
#include "knowledge/logscanner.h"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto scan = iotc::scanLog(std::string_view(reinterpret_cast<const char*>(data), size));
    for (const auto& f : scan.findings)
        if (f.entry == nullptr || f.line == 0 || f.line > scan.lines + 1)
            __builtin_trap(); // every finding names a known code and a line of this log
    return 0;
}
