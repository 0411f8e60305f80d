#pragma once

#include "template/capabilityindex.h"
#include "template/templateparser.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

namespace iotc::test {

inline std::filesystem::path dataPath(const std::string& relative)
{
    return std::filesystem::path(IOTC_TEST_DATA_DIR) / relative;
}

inline std::shared_ptr<const DeviceTemplate> loadTemplate(const std::string& relative)
{
    return std::make_shared<const DeviceTemplate>(loadTemplateFile(dataPath(relative)));
}

inline std::shared_ptr<const DeviceTemplate> parseTemplate(const std::string& json)
{
    ModelRepository repository;
    TemplateParser parser(repository);
    return std::make_shared<const DeviceTemplate>(parser.parse(parseJsonDocument(json, "test")));
}

// The device template an IoT Central REST example sends (its parameters.body), as the app returns it.
inline std::shared_ptr<const DeviceTemplate> loadRestExampleTemplate(const std::string& relative)
{
    std::ifstream in(dataPath(relative), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto example = parseJsonDocument(text, relative);
    return std::make_shared<const DeviceTemplate>(
        parseTemplateText(example.at("parameters").at("body").dump(), relative));
}

inline const char* TemperatureController = "dtdl/dtmi/com/example/temperaturecontroller-2.json";

} // namespace iotc::test
