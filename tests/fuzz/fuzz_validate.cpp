// Payload validation: any body, with any content type/encoding, component and kind, against the
// temperature controller (components, every schema kind) and an IoT Edge template (modules).
#include "fuzzinput.h"
#include "template/templateparser.h"
#include "validate/payloadvalidator.h"

#include <array>
#include <memory>
#include <string>

namespace {

const std::array<const char*, 6> ContentTypes = { "application/json", "application/json; charset=utf-8", "text/plain",
    "application/octet-stream", "", "application/json;charset=iso-8859-1" };
const std::array<const char*, 5> Encodings = { "utf-8", "UTF-8", "utf-16", "gzip", "" };
const std::array<const char*, 5> Components = { "", "thermostat1", "thermostat2", "deviceInformation", "nope" };

std::shared_ptr<const iotc::DeviceTemplate> loadFrom(const char* relative)
{
    return std::make_shared<const iotc::DeviceTemplate>(
        iotc::loadTemplateFile(std::string(IOTC_TEST_DATA_DIR) + "/" + relative));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const iotc::PayloadValidator controller(loadFrom("dtdl/dtmi/com/example/temperaturecontroller-2.json"));
    static const iotc::PayloadValidator edge(loadFrom("azcli/device_template_edge.json"));

    iotc::fuzz::FuzzInput in(data, size);
    const uint8_t flags = in.pick();
    const uint8_t type = in.pick();
    const uint8_t encoding = in.pick();
    iotc::MessageContext context;
    context.kind = (flags & 1) ? iotc::PayloadKind::ReportedProperties : iotc::PayloadKind::Telemetry;
    if (flags & 2)
        context.contentType = ContentTypes[type % ContentTypes.size()];
    if (flags & 4)
        context.contentEncoding = Encodings[encoding % Encodings.size()];
    context.component = Components[(flags >> 4) % Components.size()];
    if (flags & 8) {
        context.module = "module1";
        context.edgeRuntimeVersion = (flags & 0x80) ? "1.2.0" : "1.4.10";
    }
    const auto body = in.rest();
    const auto& validator = (flags & 8) ? edge : controller;
    iotc::PayloadJson parsed;
    validator.validate(body, context, &parsed);
    return 0;
}
