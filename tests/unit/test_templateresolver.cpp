// The template resolver's bounds: answers kept for at most so many devices (least recently used
// go first), at most so many new devices looked up per batch (the rest later, and said so), and
// waits for an application that never answers that end when the owner cancels.
#include "monitor/monitorpipeline.h"
#include "monitor/templateresolver.h"
#include "sim/simulatedapp.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>

using namespace iotc;

namespace {

// A quiet simulated app: every made-up device id is answered 404 (one request, no retry), which
// the resolver keeps as "device-not-found".
class ResolverAgainstSim : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        sim::SimOptions o;
        o.rateHz = 0;
        o.extraRateHz = 0;
        app = new sim::SimulatedApp(o);
        e = app->start();
    }
    static void TearDownTestSuite()
    {
        delete app;
        app = nullptr;
    }
    static std::shared_ptr<TemplateResolver> resolver(const ResolverLimits& limits)
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        auto r = std::make_shared<TemplateResolver>(std::make_shared<CentralClient>(p));
        r->setLimits(limits);
        return r;
    }
    static std::vector<QString> ids(const char* prefix, int from, int to)
    {
        std::vector<QString> out;
        for (int i = from; i < to; ++i)
            out.push_back(QLatin1String(prefix) + QString::number(i));
        return out;
    }
    static bool putOff(const TemplateResolver::Resolution& r)
    {
        return r.problem && r.problem->code == "template-unavailable"
            && r.problem->message.find("Not looked up yet") != std::string::npos;
    }
    static std::string code(const TemplateResolver::Resolution& r) { return r.problem ? r.problem->code : "none"; }
    static inline sim::SimulatedApp* app = nullptr;
    static inline sim::SimEndpoints e;
};

TelemetryEvent telemetry(const QString& device)
{
    TelemetryEvent e;
    e.deviceId = device;
    e.messageSource = QStringLiteral("Telemetry");
    e.contentType = QStringLiteral("application/json");
    e.contentEncoding = QStringLiteral("utf-8");
    e.body = "{\"temperature\": 21.5}";
    return e;
}

// Runs the test thread's event loop until done() or the bound; false when the bound came first.
bool waitUntil(const std::function<bool()>& done, int boundMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > boundMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

} // namespace

TEST_F(ResolverAgainstSim, AtMostTheBatchLimitIsLookedUpTheRestLaterPutOffOnesFirst)
{
    auto r = resolver({ 1000, 10 });
    const auto first = ids("made-up-a", 0, 30);
    auto before = app->httpRequests();
    r->prepare(first);
    EXPECT_EQ(app->httpRequests() - before, 10u) << "ten lookups for thirty new devices";
    for (int i = 0; i < 30; ++i) {
        const auto answer = r->forDevice(first[static_cast<size_t>(i)]);
        SCOPED_TRACE(i);
        if (i < 10)
            EXPECT_EQ(code(answer), "device-not-found");
        else
            EXPECT_TRUE(putOff(answer)) << "judged without a template this batch, and said so";
    }
    EXPECT_EQ(app->httpRequests() - before, 10u) << "the ones put off were not asked one by one either";
    EXPECT_EQ(r->deferredLookups(), 20u);
    EXPECT_EQ(r->knownDevices(), 10u);

    // The next batch: twenty fresh ids before the twenty put off; those put off go first.
    auto second = ids("made-up-b", 0, 20);
    second.insert(second.end(), first.begin() + 10, first.end());
    before = app->httpRequests();
    r->prepare(second);
    EXPECT_EQ(app->httpRequests() - before, 10u);
    EXPECT_FALSE(putOff(r->forDevice(first[10])));
    EXPECT_FALSE(putOff(r->forDevice(first[19])));
    EXPECT_TRUE(putOff(r->forDevice(first[20])));
    EXPECT_TRUE(putOff(r->forDevice(second.front())));
    EXPECT_EQ(app->httpRequests() - before, 10u);

    // Batch after batch, every device is looked up in the end.
    for (int batch = 0; batch < 4; ++batch)
        r->prepare(second);
    for (const auto& id : second)
        EXPECT_FALSE(putOff(r->forDevice(id))) << id.toStdString();
    EXPECT_EQ(r->knownDevices(), 50u);
}

TEST_F(ResolverAgainstSim, ThePipelineJudgesDevicesPutOffWithoutATemplateThenLooksThemUp)
{
    auto r = resolver({ 1000, 5 });
    MonitorPipeline pipeline(r, 1);
    std::vector<TelemetryEvent> batch;
    for (const auto& id : ids("flood-", 0, 12))
        batch.push_back(telemetry(id));
    const auto before = app->httpRequests();
    const auto first = pipeline.process(batch);
    EXPECT_EQ(app->httpRequests() - before, 5u);
    ASSERT_EQ(first.size(), 12u);
    int notYet = 0;
    for (const auto& o : first) {
        ASSERT_EQ(o.issues.size(), 1u);
        notYet += o.issues.front().code == "template-unavailable";
    }
    EXPECT_EQ(notYet, 7);
    pipeline.process(batch);
    const auto third = pipeline.process(batch);
    EXPECT_EQ(app->httpRequests() - before, 12u) << "each device asked once in all";
    for (const auto& o : third) {
        ASSERT_EQ(o.issues.size(), 1u);
        EXPECT_EQ(o.issues.front().code, "device-not-found") << o.event.deviceId.toStdString();
    }
}

TEST_F(ResolverAgainstSim, KeepsAtMostTheDeviceCapTheLeastRecentlyUsedGoFirst)
{
    auto r = resolver({ 50, 1000 });
    const auto all = ids("kept-", 0, 120);
    r->prepare(std::vector<QString>(all.begin(), all.begin() + 50));
    EXPECT_EQ(r->knownDevices(), 50u);
    EXPECT_EQ(r->evictions(), 0u);
    r->forDevice(all[0]); // used again: the least recently used is now kept-1
    r->prepare(std::vector<QString>(all.begin() + 50, all.begin() + 60));
    EXPECT_EQ(r->knownDevices(), 50u) << "full, never over";
    EXPECT_EQ(r->evictions(), 10u) << "every answer dropped is counted";
    auto before = app->httpRequests();
    EXPECT_EQ(code(r->forDevice(all[0])), "device-not-found");
    EXPECT_EQ(app->httpRequests(), before) << "the one used recently was kept";
    EXPECT_EQ(code(r->forDevice(all[1])), "device-not-found");
    EXPECT_EQ(app->httpRequests(), before + 1) << "the least recently used went, and is asked again";
    r->prepare(std::vector<QString>(all.begin() + 60, all.end()));
    EXPECT_EQ(r->knownDevices(), 50u);
    EXPECT_EQ(r->evictions(), 11u + 60u);
}

TEST(TemplateResolver, CancelEndsAWaitForAnApplicationThatNeverAnswers)
{
    // Accepts connections and reads requests, never answers.
    QTcpServer server;
    ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
    int requests = 0;
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket* s = server.nextPendingConnection())
            QObject::connect(s, &QTcpSocket::readyRead, s, [&requests, s] {
                s->readAll();
                ++requests;
            });
    });
    auto profile = ConnectionProfile::forBaseUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
    profile.authorization = QStringLiteral("SharedAccessSignature sr=app&sig=x&skn=y&se=9999999999");
    profile.timeoutMs = 120000;
    profile.deadlineMs = 120000;
    TemplateResolver resolver(std::make_shared<CentralClient>(profile));

    auto lookup = std::async(std::launch::async, [&] { return resolver.forDevice(QStringLiteral("dev-1")); });
    ASSERT_TRUE(waitUntil([&] { return requests > 0; }, 10000)) << "the lookup reached the application";
    EXPECT_EQ(lookup.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout) << "and waits for it";
    QElapsedTimer clock;
    clock.start();
    resolver.cancel();
    ASSERT_EQ(lookup.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_LT(clock.elapsed(), 1000) << "the wait ends at once, not after the request's timeout";
    const auto cut = lookup.get();
    ASSERT_TRUE(cut.problem);
    EXPECT_EQ(cut.problem->code, "template-unavailable") << "a passing failure: not kept";
    EXPECT_TRUE(resolver.cancelled());

    // Cancelled, it asks nothing more: a batch of new devices costs no request and no wait.
    const int asked = requests;
    clock.restart();
    resolver.prepare({ QStringLiteral("dev-2"), QStringLiteral("dev-3") });
    const auto later = resolver.forDevice(QStringLiteral("dev-2"));
    ASSERT_TRUE(later.problem);
    EXPECT_EQ(later.problem->code, "template-unavailable");
    EXPECT_LT(clock.elapsed(), 1000);
    // A request sent after all would arrive within this (bounded) turn of the event loop.
    waitUntil([] { return false; }, 200);
    EXPECT_EQ(requests, asked);
    EXPECT_EQ(resolver.knownDevices(), 0u);
}
