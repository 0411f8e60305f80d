// DPS device registration against the simulated app, with the devices' own SAS tokens.
#include "simfixture.h"

#include <gtest/gtest.h>

using namespace iotc;
using namespace iotc::test;

namespace {

class SimDps : public QuietSimSuite<SimDps> {
protected:
    HttpResult call(const QByteArray& method, const QString& deviceId, const QString& suffix,
        std::optional<QByteArray> key = std::nullopt)
    {
        const auto device = app->state().device(deviceId);
        const QByteArray k = key.value_or(device ? device->primaryKey : QByteArray("AAAA"));
        const QString token = makeDpsToken(e.idScope, deviceId, k, secondsFromNow(std::chrono::minutes(5)));
        const QUrl url(e.dpsEndpoint + QLatin1Char('/') + e.idScope + QStringLiteral("/registrations/") + deviceId
            + suffix + QStringLiteral("?api-version=2021-10-01"));
        return http(method, url, token, QByteArray("{\"registrationId\":\"") + deviceId.toUtf8() + "\"}");
    }
};

TEST_F(SimDps, HealthyDeviceIsAssigned)
{
    auto r = call("PUT", QStringLiteral("healthy-controller"), QStringLiteral("/register"));
    ASSERT_EQ(r.status, 202);
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("assigning"));
    EXPECT_EQ(r.header("retry-after"), QByteArray("1"));
    const QString op = r.json.value(QStringLiteral("operationId")).toString();
    r = call("GET", QStringLiteral("healthy-controller"), QStringLiteral("/operations/") + op);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("assigned"));
    const auto state = r.json.value(QStringLiteral("registrationState")).toObject();
    EXPECT_TRUE(state.value(QStringLiteral("assignedHub")).toString().endsWith(QStringLiteral(".azure-devices.net")));
    EXPECT_EQ(state.value(QStringLiteral("deviceId")).toString(), QStringLiteral("healthy-controller"));
    r = call("POST", QStringLiteral("healthy-controller"), QString());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("assigned"));
}

TEST_F(SimDps, ScenarioAnswers)
{
    struct Expect {
        const char* id;
        int status;
        int errorCode;
    };
    for (const auto& x : { Expect { "expired-credentials", 401, 401002 }, Expect { "blocked-device", 401, 400209 },
             Expect { "waiting-for-approval", 401, 400209 }, Expect { "throttled-device", 429, 429001 },
             Expect { "registered-never-connected", 404, 404201 } }) {
        const auto r = call("POST", QLatin1String(x.id), QString());
        EXPECT_EQ(r.status, x.status) << x.id;
        EXPECT_EQ(r.json.value(QStringLiteral("errorCode")).toInt(), x.errorCode) << x.id;
        EXPECT_FALSE(r.json.value(QStringLiteral("trackingId")).toString().isEmpty()) << x.id;
        EXPECT_FALSE(r.json.value(QStringLiteral("message")).toString().isEmpty()) << x.id;
        EXPECT_EQ(r.header("x-ms-error-code").toInt(), x.errorCode) << x.id;
        if (x.status == 429) {
            EXPECT_EQ(r.header("retry-after"), QByteArray("3"));
        }
    }
}

TEST_F(SimDps, WrongKeyIs401002AndUnblockingChangesTheAnswer)
{
    auto r = call("POST", QStringLiteral("healthy-controller"), QString(), QByteArray("d3Jvbmcta2V5"));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.json.value(QStringLiteral("errorCode")).toInt(), 401002);
    r = call("PUT", QStringLiteral("blocked-device"), QStringLiteral("/register"));
    EXPECT_EQ(r.json.value(QStringLiteral("errorCode")).toInt(), 400209);
    // 400209 comes from the device being disabled: unblocking it (PATCH enabled) lets it register.
    app->state().patchDevice(QStringLiteral("blocked-device"), QJsonObject { { QStringLiteral("enabled"), true } });
    r = call("PUT", QStringLiteral("blocked-device"), QStringLiteral("/register"));
    EXPECT_EQ(r.status, 202);
    app->state().patchDevice(QStringLiteral("blocked-device"), QJsonObject { { QStringLiteral("enabled"), false } });
    r = call("PUT", QStringLiteral("no-such-device"), QStringLiteral("/register"));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.json.value(QStringLiteral("errorCode")).toInt(), 401002);
}

} // namespace
