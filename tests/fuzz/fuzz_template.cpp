// Template parsing and flattening: any bytes as a template, references resolved through the test
// data's models folder (so extends/components/schemas by DTMI are followed). A template that
// cannot be understood is a TemplateError; anything else escaping is a defect.
#include "template/modelrepository.h"
#include "template/templatejson.h"
#include "template/templateparser.h"

#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        iotc::ModelRepository repository;
        repository.addRepositoryRoot(std::string(IOTC_TEST_DATA_DIR) + "/dtdl");
        const auto document = iotc::parseJsonDocument(bytes, "fuzz");
        iotc::TemplateParser parser(repository);
        const auto tpl = parser.parse(document);
        (void)iotc::templateToJson(tpl).dump();
    } catch (const iotc::TemplateError&) {
    }
    return 0;
}
