// The one device filter behind `iotc-diag devices` and the workbench's device picker.
#include "central/devicefilter.h"

#include <gtest/gtest.h>

#include <vector>

using namespace iotc;

namespace {

Device device(const char* id, const char* name, const char* templateId, bool enabled, bool provisioned)
{
    Device d;
    d.id = QString::fromUtf8(id);
    d.displayName = QString::fromUtf8(name);
    d.templateId = QString::fromUtf8(templateId);
    d.enabled = enabled;
    d.provisioned = provisioned;
    return d;
}

const std::vector<Device> Fleet {
    device("thermo-01", "Kitchen Thermostat", "dtmi:t;1", true, true), // provisioned
    device("thermo-02", "Hall", "dtmi:t;1", true, false), // registered
    device("pump-7", "Basement pump", "dtmi:p;1", false, true), // blocked
    device("pump-8", "", "dtmi:p;1", false, false), // blocked or waiting for approval
    device("new-1", "Spare THERMO", "", true, false), // unassigned
};

std::vector<QString> shown(const DeviceListFilter& filter)
{
    std::vector<QString> ids;
    for (const auto& d : Fleet)
        if (matches(d, filter))
            ids.push_back(d.id);
    return ids;
}

std::vector<QString> ids(std::initializer_list<const char*> list)
{
    std::vector<QString> out;
    for (const char* id : list)
        out.push_back(QString::fromUtf8(id));
    return out;
}

} // namespace

TEST(DeviceFilter, EmptyFilterShowsEveryDevice)
{
    const DeviceListFilter filter;
    EXPECT_TRUE(filter.isEmpty());
    EXPECT_EQ(shown(filter).size(), Fleet.size());
}

TEST(DeviceFilter, StatusIsTheDevicesProvisioningStatus)
{
    DeviceListFilter filter;
    filter.status = DeviceStatus::Provisioned;
    EXPECT_FALSE(filter.isEmpty());
    EXPECT_EQ(shown(filter), ids({ "thermo-01" }));
    filter.status = DeviceStatus::Registered;
    EXPECT_EQ(shown(filter), ids({ "thermo-02" }));
    filter.status = DeviceStatus::Blocked;
    EXPECT_EQ(shown(filter), ids({ "pump-7" }));
    filter.status = DeviceStatus::BlockedOrWaitingForApproval;
    EXPECT_EQ(shown(filter), ids({ "pump-8" }));
    filter.status = DeviceStatus::Unassigned;
    EXPECT_EQ(shown(filter), ids({ "new-1" }));
}

TEST(DeviceFilter, TemplateAnyOrOneOrUnassigned)
{
    DeviceListFilter filter;
    filter.templateId = QStringLiteral("dtmi:p;1");
    EXPECT_EQ(shown(filter), ids({ "pump-7", "pump-8" }));
    filter.templateId = QString();
    EXPECT_EQ(shown(filter), ids({ "new-1" })) << "an empty template id: devices without a template";
    filter.templateId = QStringLiteral("DTMI:P;1");
    EXPECT_TRUE(shown(filter).empty()) << "template ids are compared exactly";
}

TEST(DeviceFilter, TextMatchesIdOrNameInAnyCase)
{
    DeviceListFilter filter;
    filter.text = QStringLiteral("THERMO");
    EXPECT_EQ(shown(filter), ids({ "thermo-01", "thermo-02", "new-1" })) << "ids and display names, any case";
    filter.text = QStringLiteral("basement");
    EXPECT_EQ(shown(filter), ids({ "pump-7" }));
    filter.text = QStringLiteral(" pump");
    EXPECT_EQ(shown(filter), ids({ "pump-7" })) << "taken as given: the space is part of the text";
    filter.text = QStringLiteral("nothing like it");
    EXPECT_TRUE(shown(filter).empty());
}

TEST(DeviceFilter, AllPartsMustHold)
{
    DeviceListFilter filter;
    filter.text = QStringLiteral("thermo");
    filter.templateId = QStringLiteral("dtmi:t;1");
    filter.status = DeviceStatus::Registered;
    EXPECT_EQ(shown(filter), ids({ "thermo-02" }));
    filter.status = DeviceStatus::Blocked;
    EXPECT_TRUE(shown(filter).empty());
}

TEST(DeviceFilter, StatusNamesRoundTrip)
{
    for (auto s : { DeviceStatus::Provisioned, DeviceStatus::Registered, DeviceStatus::Blocked,
             DeviceStatus::BlockedOrWaitingForApproval, DeviceStatus::Unassigned })
        EXPECT_EQ(statusFromName(statusName(s)), s) << statusName(s);
    EXPECT_EQ(statusFromName(""), std::nullopt);
    EXPECT_EQ(statusFromName("Provisioned"), std::nullopt) << "the names are exact";
    EXPECT_EQ(statusFromName("blocked-or-waiting"), std::nullopt);
}
