// The simulated app's REST API over real sockets, seen through Qt Network as a client would.
#include "simfixture.h"

#include <QJsonArray>
#include <gtest/gtest.h>

#include <set>

using namespace iotc;
using namespace iotc::test;

namespace {

class SimRest : public QuietSimSuite<SimRest, 1000> { };

TEST_F(SimRest, PagingFollowsNextLinkOverEveryDevice)
{
    std::set<QString> ids;
    QUrl next = apiUrl(e, QStringLiteral("/devices"));
    int pages = 0;
    while (!next.isEmpty()) {
        const auto r = http("GET", next, e.apiToken);
        ASSERT_EQ(r.status, 200) << r.body.toStdString();
        const auto value = r.json.value(QStringLiteral("value")).toArray();
        EXPECT_LE(value.size(), 100);
        for (const auto& d : value) {
            const auto o = d.toObject();
            EXPECT_TRUE(ids.insert(o.value(QStringLiteral("id")).toString()).second) << "no duplicates across pages";
            for (const char* key : { "id", "etag", "displayName", "simulated", "provisioned", "enabled" })
                EXPECT_TRUE(o.contains(QLatin1String(key))) << key;
        }
        ++pages;
        const QString link = r.json.value(QStringLiteral("nextLink")).toString();
        next = link.isEmpty() ? QUrl() : QUrl::fromEncoded(link.toUtf8(), QUrl::StrictMode);
        ASSERT_LT(pages, 50);
    }
    EXPECT_EQ(ids.size(), static_cast<size_t>(e.devices));
    EXPECT_EQ(e.devices, 1000 + static_cast<int>(app->state().catalog().devices.size()));
    EXPECT_EQ(pages, (e.devices + 99) / 100);
    EXPECT_TRUE(ids.count(QStringLiteral("sim-device-001000")));
}

TEST_F(SimRest, ErrorShapes)
{
    auto expectError = [](const HttpResult& r, int status, const char* code) {
        EXPECT_EQ(r.status, status);
        const auto error = r.json.value(QStringLiteral("error")).toObject();
        EXPECT_EQ(error.value(QStringLiteral("code")).toString().toStdString(), code);
        EXPECT_FALSE(error.value(QStringLiteral("message")).toString().isEmpty());
        EXPECT_FALSE(error.value(QStringLiteral("requestId")).toString().isEmpty());
        EXPECT_TRUE(error.value(QStringLiteral("time")).toString().endsWith(QStringLiteral("GMT")));
        EXPECT_EQ(r.header("x-ms-error-code").toStdString(), code);
    };
    const auto devices = apiUrl(e, QStringLiteral("/devices"));
    expectError(http("GET", devices), 401, "Unauthorized");
    expectError(http("GET", devices,
                    QStringLiteral("SharedAccessSignature sr=") + app->state().appId()
                        + QStringLiteral("&sig=forged&skn=x&se=9999999999999")),
        401, "Unauthorized");
    expectError(http("GET", devices, QStringLiteral("SharedAccessSignature sr=other-app&sig=x&skn=x&se=9999999999999")),
        403, "403.043.004.001");
    expectError(http("GET", devices, QStringLiteral("Bearer someone-elses-token")), 403, "403.043.004.002");
    expectError(http("GET", apiUrl(e, QStringLiteral("/devices/no-such-device")), e.apiToken), 404, "NotFound");
    expectError(
        http("GET", QUrl(e.baseUrl + QStringLiteral("/api/devices")), e.apiToken), 400, "MissingApiVersionParameter");
}

TEST_F(SimRest, ThrottlingFailuresAndMalformedBodiesAreInjectable)
{
    const auto url = apiUrl(e, QStringLiteral("/devices/healthy-controller"));
    app->httpFaults().retryAfterSeconds = 2;
    app->httpFaults().throttleNext = 1;
    auto r = http("GET", url, e.apiToken);
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("retry-after"), QByteArray("2"));
    app->httpFaults().failNext = 1;
    r = http("GET", url, e.apiToken);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
        QStringLiteral("InternalServerError"));
    app->httpFaults().malformedNext = 1;
    r = http("GET", url, e.apiToken);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(QJsonDocument::fromJson(r.body).isNull()) << "the body is broken on purpose";
    r = http("GET", url, e.apiToken);
    EXPECT_EQ(r.status, 200) << "faults are one-shot";
    EXPECT_EQ(r.json.value(QStringLiteral("id")).toString(), QStringLiteral("healthy-controller"));
}

TEST_F(SimRest, SlowServerHitsTheClientTimeout)
{
    app->httpFaults().delayMs = 1500;
    const auto r = http("GET", apiUrl(e, QStringLiteral("/devices/healthy-controller")), e.apiToken, {}, 300);
    app->httpFaults().delayMs = 0;
    EXPECT_EQ(r.error, QNetworkReply::OperationCanceledError);
}

TEST_F(SimRest, DeviceStatusFlagsFollowTheScenarios)
{
    struct Expect {
        const char* id;
        bool enabled;
        bool provisioned;
        bool hasTemplate;
    };
    for (const auto& x :
        { Expect { "healthy-controller", true, true, true }, Expect { "blocked-device", false, true, true },
            Expect { "waiting-for-approval", false, false, true }, Expect { "unassigned-device", true, true, false },
            Expect { "registered-never-connected", true, false, true } }) {
        const auto r = http("GET", apiUrl(e, QStringLiteral("/devices/") + QLatin1String(x.id)), e.apiToken);
        ASSERT_EQ(r.status, 200) << x.id;
        EXPECT_EQ(r.json.value(QStringLiteral("enabled")).toBool(), x.enabled) << x.id;
        EXPECT_EQ(r.json.value(QStringLiteral("provisioned")).toBool(), x.provisioned) << x.id;
        EXPECT_EQ(r.json.contains(QStringLiteral("template")), x.hasTemplate) << x.id;
    }
}

TEST_F(SimRest, PatchBlocksAndUnblocks)
{
    const auto url = apiUrl(e, QStringLiteral("/devices/sim-device-000007"));
    auto r = http("PATCH", url, e.apiToken, R"({"enabled": false})");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.json.value(QStringLiteral("enabled")).toBool());
    EXPECT_FALSE(http("GET", url, e.apiToken).json.value(QStringLiteral("enabled")).toBool());
    r = http("PATCH", url, e.apiToken, R"({"enabled": true})");
    EXPECT_TRUE(r.json.value(QStringLiteral("enabled")).toBool());
    EXPECT_EQ(http("PATCH", url, e.apiToken, "not json").status, 400);
}

TEST_F(SimRest, TemplatesComponentsModulesCredentials)
{
    auto r = http("GET", apiUrl(e, QStringLiteral("/deviceTemplates")), e.apiToken);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json.value(QStringLiteral("value")).toArray().size(),
        static_cast<qsizetype>(app->state().catalog().templates.size()));
    EXPECT_EQ(app->state().catalog().templates.size(), 4u) << "the asset tracker's, with cloud properties";
    r = http("GET", apiUrl(e, QStringLiteral("/deviceTemplates/dtmi:com:example:TemperatureController;2")), e.apiToken);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.json.value(QStringLiteral("capabilityModel")).isObject());
    r = http("GET", apiUrl(e, QStringLiteral("/devices/healthy-controller/components")), e.apiToken);
    QStringList names;
    for (const auto& c : r.json.value(QStringLiteral("value")).toArray())
        names << c.toObject().value(QStringLiteral("name")).toString();
    EXPECT_EQ(names,
        (QStringList {
            QStringLiteral("thermostat1"), QStringLiteral("thermostat2"), QStringLiteral("deviceInformation") }));
    r = http("GET", apiUrl(e, QStringLiteral("/devices/edge-gateway-old/modules")), e.apiToken);
    ASSERT_EQ(r.json.value(QStringLiteral("value")).toArray().size(), 1);
    EXPECT_EQ(r.json.value(QStringLiteral("value")).toArray()[0].toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("sensor"));
    r = http("GET", apiUrl(e, QStringLiteral("/devices/healthy-controller/credentials")), e.apiToken);
    EXPECT_EQ(r.json.value(QStringLiteral("idScope")).toString(), e.idScope);
    EXPECT_EQ(QByteArray::fromBase64(r.json.value(QStringLiteral("symmetricKey"))
                                         .toObject()
                                         .value(QStringLiteral("primaryKey"))
                                         .toString()
                                         .toLatin1())
                  .size(),
        32);
    r = http("GET", apiUrl(e, QStringLiteral("/devices/healthy-controller/attestation")), e.apiToken);
    EXPECT_EQ(r.json.value(QStringLiteral("type")).toString(), QStringLiteral("symmetricKey"));
}

TEST_F(SimRest, PropertiesCarryWritableMetadata)
{
    auto r = http("GET", apiUrl(e, QStringLiteral("/devices/rejected-writable/properties")), e.apiToken);
    ASSERT_EQ(r.status, 200);
    const auto t1 = r.json.value(QStringLiteral("thermostat1")).toObject();
    EXPECT_FALSE(t1.contains(QStringLiteral("__t"))) << "REST strips the component marker";
    const auto meta
        = t1.value(QStringLiteral("$metadata")).toObject().value(QStringLiteral("targetTemperature")).toObject();
    EXPECT_EQ(meta.value(QStringLiteral("desiredValue")).toDouble(), 95.0);
    EXPECT_EQ(meta.value(QStringLiteral("desiredVersion")).toInt(), 3);
    EXPECT_EQ(meta.value(QStringLiteral("ackCode")).toInt(), 400);
    EXPECT_EQ(meta.value(QStringLiteral("ackVersion")).toInt(), 3);
    EXPECT_FALSE(meta.value(QStringLiteral("ackDescription")).toString().isEmpty());
    EXPECT_TRUE(meta.contains(QStringLiteral("lastUpdateTime")));
    r = http("GET", apiUrl(e, QStringLiteral("/devices/unacknowledged-writable/components/thermostat1/properties")),
        e.apiToken);
    const auto pending
        = r.json.value(QStringLiteral("$metadata")).toObject().value(QStringLiteral("targetTemperature")).toObject();
    EXPECT_EQ(pending.value(QStringLiteral("desiredVersion")).toInt(), 5);
    EXPECT_FALSE(pending.contains(QStringLiteral("ackVersion"))) << "never acknowledged";
    r = http("GET", apiUrl(e, QStringLiteral("/devices/undefined-property/properties")), e.apiToken);
    EXPECT_EQ(r.json.value(QStringLiteral("osVersion")).toString(), QStringLiteral("10.0.22621"));
}

// As IoT Central does (devices_properties_get / devicetemplates_create examples): the values of the
// template's cloud properties come with the device's own, at the root, each with its lastUpdateTime.
TEST_F(SimRest, CloudPropertyValuesComeWithTheDevicesProperties)
{
    auto r = http("GET", apiUrl(e, QStringLiteral("/deviceTemplates/dtmi:contoso:sim:assetTracker;1")), e.apiToken);
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    QStringList cloud;
    for (const auto& c :
        r.json.value(QStringLiteral("capabilityModel")).toObject().value(QStringLiteral("contents")).toArray()) {
        const auto types = c.toObject().value(QStringLiteral("@type")).toArray();
        if (types.contains(QStringLiteral("Property")) && types.contains(QStringLiteral("Cloud")))
            cloud << c.toObject().value(QStringLiteral("name")).toString();
    }
    EXPECT_EQ(cloud,
        (QStringList { QStringLiteral("customerName"), QStringLiteral("serviceDue"), QStringLiteral("status") }));

    r = http("GET", apiUrl(e, QStringLiteral("/devices/cloud-property-tracker/properties")), e.apiToken);
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    EXPECT_EQ(r.json.value(QStringLiteral("firmwareVersion")).toString(), QStringLiteral("2.1.0"))
        << "the device's own";
    EXPECT_EQ(r.json.value(QStringLiteral("customerName")).toString(), QStringLiteral("Contoso Pharmacy"));
    EXPECT_EQ(r.json.value(QStringLiteral("serviceDue")).toString(), QStringLiteral("2027-03-01"));
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toInt(), 2);
    const auto meta = r.json.value(QStringLiteral("$metadata")).toObject();
    for (const char* name : { "firmwareVersion", "customerName", "serviceDue", "status" })
        EXPECT_TRUE(meta.value(QLatin1String(name)).toObject().contains(QStringLiteral("lastUpdateTime"))) << name;
    EXPECT_FALSE(meta.value(QStringLiteral("customerName")).toObject().contains(QStringLiteral("desiredValue")))
        << "a cloud property is not a writable device property";

    // Devices whose template has no cloud property answer as before.
    r = http("GET", apiUrl(e, QStringLiteral("/devices/healthy-controller/properties")), e.apiToken);
    EXPECT_FALSE(r.json.contains(QStringLiteral("customerName")));
}

TEST_F(SimRest, TelemetryLastValueAfterAMessage)
{
    const auto url
        = apiUrl(e, QStringLiteral("/devices/healthy-controller/components/thermostat2/telemetry/temperature"));
    ASSERT_EQ(app->injectTelemetry(QStringLiteral("healthy-controller"), 3), 3);
    const auto r = http("GET", url, e.apiToken);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.json.value(QStringLiteral("value")).isDouble());
    EXPECT_TRUE(r.json.value(QStringLiteral("timestamp")).toString().endsWith(QLatin1Char('Z')));
}

TEST_F(SimRest, EventSasTokensNameEachHub)
{
    const QUrl url(e.baseUrl + QStringLiteral("/system/iothubs/generateEventSasTokens"));
    auto r = http("POST", url, QStringLiteral("Bearer ") + e.bearerToken);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json.size(), 1);
    const auto entry = r.json.begin().value().toObject();
    const auto token = entry.value(QStringLiteral("eventhubSasToken")).toObject();
    EXPECT_TRUE(token.value(QStringLiteral("sasToken"))
                    .toString()
                    .startsWith(QStringLiteral("SharedAccessSignature sr=sb%3A%2F%2F")));
    EXPECT_EQ(token.value(QStringLiteral("entityPath")).toString(), eventHubOf(e).entityPath);
    EXPECT_EQ(token.value(QStringLiteral("hostname")).toString(),
        QStringLiteral("sb://") + e.eventHubHost + QLatin1Char('/'));
    EXPECT_GT(entry.value(QStringLiteral("expiry")).toInteger(), QDateTime::currentSecsSinceEpoch());
    EXPECT_EQ(http("POST", url).status, 401);
}

} // namespace
