// iotc-diag registration-summary: the application's devices counted by provisioning status, as
// az iot central diagnostics registration-summary counts them (with this product's statuses).
#include "arguments.h"
#include "centraloutput.h"
#include "commands.h"
#include "connectionoptions.h"
#include "textoutput.h"

#include "central/centralclient.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/devicestatus.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <mutex>

#include <unistd.h>

namespace iotc::cli {

namespace {

// Every status, in the order the summary lists them.
constexpr std::array Statuses { DeviceStatus::Provisioned, DeviceStatus::Registered, DeviceStatus::Blocked,
    DeviceStatus::BlockedOrWaitingForApproval, DeviceStatus::Unassigned };

struct Counts {
    std::array<qint64, Statuses.size()> byStatus {};
    qint64 total = 0;

    qint64 of(DeviceStatus s) const { return byStatus[static_cast<size_t>(s)]; }
};

std::string countsText(const Counts& c)
{
    std::vector<std::vector<std::string>> rows { { "STATUS", "DEVICES", "MEANING" } };
    for (const DeviceStatus s : Statuses)
        rows.push_back({ statusName(s), std::to_string(c.of(s)), statusKnowledge(s).title });
    rows.push_back({ "total", std::to_string(c.total) });
    return alignedRows(rows);
}

std::string countsJson(const Counts& c)
{
    nlohmann::ordered_json summary = nlohmann::ordered_json::object();
    for (const DeviceStatus s : Statuses)
        summary[statusName(s)] = c.of(s);
    return nlohmann::ordered_json { { "summary", summary }, { "devices", c.total } }.dump(2) + "\n";
}

// For each status other than provisioned that some device has: what to do about it.
std::string adviceText(const Counts& c)
{
    std::vector<std::vector<std::string>> rows;
    for (const DeviceStatus s : Statuses)
        if (s != DeviceStatus::Provisioned && c.of(s) > 0)
            rows.push_back({ std::string(statusName(s)) + ":", statusKnowledge(s).mitigation });
    return rows.empty() ? std::string() : "\nWhat to do:\n" + alignedRows(rows, 2);
}

} // namespace

int runRegistrationSummary(const std::vector<std::string>& words)
{
    std::string output;
    const auto setup = setUpCommand("registration-summary", words, { .check = [&output](const Arguments& args) {
        OptionReader options(args);
        output = options.choice("output", "json", { "json", "text" });
        return options.ok() ? ExitOk : options.fail("registration-summary");
    } });
    if (!setup.ready())
        return setup.exitCode;
    CentralClient client(setup.context->connection.profile);
    const bool progress = ::isatty(fileno(stderr)) == 1;
    std::mutex mutex;
    Counts counts;
    // Each page is counted as it arrives (on the HTTP thread) and dropped: no list is kept.
    auto future = client.listDevices([&](const QList<Device>& page) {
        std::lock_guard lock(mutex);
        for (const auto& d : page)
            ++counts.byStatus[static_cast<size_t>(deviceStatus(d))];
        counts.total += page.size();
        if (progress)
            std::fprintf(stderr, "\rCounted %lld device(s)...", static_cast<long long>(counts.total));
        return true;
    });
    future.waitForFinished();
    const auto result = future.result();
    std::lock_guard lock(mutex);
    if (progress)
        std::fputs("\r\033[K", stderr);
    if (!result.ok()) {
        reportCentralError("registration-summary", result.error);
        if (counts.total == 0)
            return ExitUsage; // nothing counted: the command could not run
        // Part of the app was counted: say how much, never as if it were the whole (stdout stays empty).
        std::vector<std::vector<std::string>> rows;
        for (const DeviceStatus s : Statuses)
            rows.push_back({ statusName(s), std::to_string(counts.of(s)) });
        std::fprintf(stderr, "  The listing failed after %lld device(s) were counted; the incomplete counts:\n%s",
            static_cast<long long>(counts.total), alignedRows(rows, 4).c_str());
        return ExitProblem;
    }
    writeAll(stdout, output == "text" ? countsText(counts) + adviceText(counts) : countsJson(counts));
    return ExitOk;
}

} // namespace iotc::cli
