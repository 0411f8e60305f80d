// Every REST example of the public specs parses into our values.
#include "central/device.h"
#include "testdata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <gtest/gtest.h>

#include <filesystem>

using namespace iotc;

namespace {

QJsonObject responseBody(const std::filesystem::path& file)
{
    QFile f(QString::fromStdString(file.string()));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << file;
    const auto doc = QJsonDocument::fromJson(f.readAll());
    EXPECT_TRUE(doc.isObject()) << file;
    const auto responses = doc.object().value(QStringLiteral("responses")).toObject();
    for (const auto& status : { QStringLiteral("200"), QStringLiteral("201"), QStringLiteral("202") }) {
        if (responses.contains(status))
            return responses.value(status).toObject().value(QStringLiteral("body")).toObject();
    }
    return {};
}

} // namespace

TEST(RestFixtures, EveryExampleIsJsonWithABody)
{
    size_t files = 0;
    for (const auto& dir : { "iotcentral-rest", "dps-rest" }) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(test::dataPath(dir))) {
            if (entry.path().extension() != ".json")
                continue;
            ++files;
            // Every example answers with a success body; a 201 may be empty (IoT Central sends none).
            const auto body = responseBody(entry.path());
            if (entry.path().filename() != "devices_commands_send.json") {
                EXPECT_FALSE(body.isEmpty()) << entry.path();
            }
        }
    }
    EXPECT_GE(files, 20u);
}

TEST(RestFixtures, DevicesParse)
{
    const auto list = responseBody(test::dataPath("iotcentral-rest/2022-07-31/devices_list.json"));
    const auto value = list.value(QStringLiteral("value")).toArray();
    ASSERT_FALSE(value.isEmpty());
    for (const auto& v : value) {
        const auto d = Device::fromJson(v.toObject());
        ASSERT_TRUE(d);
        EXPECT_FALSE(d->id.isEmpty());
        EXPECT_FALSE(d->etag.isEmpty());
    }
    const auto one = Device::fromJson(responseBody(test::dataPath("iotcentral-rest/2022-07-31/devices_get.json")));
    ASSERT_TRUE(one);
    EXPECT_EQ(one->id, QStringLiteral("CheckoutThermostat"));
    EXPECT_EQ(one->templateId, QStringLiteral("dtmi:contoso:testDeviceTemplate;1"));
    EXPECT_TRUE(one->provisioned);
    EXPECT_EQ(one->organizations, QStringList { QStringLiteral("seattle") });
    EXPECT_EQ(Device::fromJson(one->toJson())->toJson(), one->toJson()) << "round trip";
    EXPECT_FALSE(Device::fromJson(QJsonObject { { QStringLiteral("displayName"), QStringLiteral("no id") } }));
}
