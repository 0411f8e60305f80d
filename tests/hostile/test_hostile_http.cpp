// Hostile HTTP servers against the HTTP worker, the REST client, the DPS check and iotc-diag:
// credentials never follow a redirect to another origin, every call ends by its deadline however
// slowly the server drips, answers are capped in size, a Retry-After past the deadline is not
// waited for, device-list links cannot loop, and a worker can go away with calls in flight.
#include "hostilecli.h"
#include "hostilehttpserver.h"

#include "central/centralclient.h"
#include "provisioning/dpscheck.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>

#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <optional>

using namespace iotc;
using namespace iotc::hostile;

namespace {

const QString Token = QStringLiteral("SharedAccessSignature sr=app&sig=T0KEN-MUST-STAY-HOME&skn=x&se=9999999999");
const QByteArray DevicePage = R"({"value":[{"id":"d1","enabled":true,"provisioned":true}]})";

// A bounded wait for a future, with the test thread's event loop running meanwhile.
template <class T> std::optional<T> resultWithin(QFuture<T> future, int ms)
{
    QFutureWatcher<T> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (!future.isFinished())
        finished.wait(ms);
    if (!future.isFinished() || future.resultCount() == 0)
        return std::nullopt;
    return future.result();
}

std::shared_ptr<HttpWorker> fastRetries()
{
    return std::make_shared<HttpWorker>(RetryPolicy { std::chrono::milliseconds(20), std::chrono::milliseconds(200) });
}

ConnectionProfile profileFor(const HostileHttpServer& server, int timeoutMs = 3000, int deadlineMs = 3000)
{
    auto p = ConnectionProfile::forBaseUrl(server.baseUrl());
    p.authorization = Token;
    p.timeoutMs = timeoutMs;
    p.deadlineMs = deadlineMs;
    return p;
}

HttpRequest get(const HostileHttpServer& server, const char* path)
{
    HttpRequest r;
    r.url = QUrl(server.baseUrl() + QLatin1String(path));
    r.authorization = Token;
    r.timeoutMs = 5000;
    return r;
}

ScriptedReply silence()
{
    ScriptedReply r;
    r.silent = true;
    return r;
}

ScriptedReply headThenMore(const QByteArray& head)
{
    ScriptedReply r;
    r.raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + head + "\r\n";
    return r;
}

QByteArray listPage(const QString& nextLink)
{
    return R"({"value":[{"id":"d1"}],"nextLink":")" + nextLink.toUtf8() + "\"}";
}

} // namespace

TEST(HttpOrigin, ARedirectToAnotherOriginIsNotFollowedWithTheToken)
{
    HostileHttpServer elsewhere([](const QByteArray&) { return ScriptedReply::answer(200, R"({"id":"d1"})"); });
    const QByteArray location = elsewhere.baseUrl().toUtf8() + "/api/devices/d1?api-version=2022-07-31";
    std::atomic<int> status { 301 };
    HostileHttpServer app([&](const QByteArray&) { return ScriptedReply::redirect(location, status.load()); });
    ASSERT_TRUE(app.listening() && elsewhere.listening());
    auto http = fastRetries();
    for (int s : { 301, 302, 303, 307, 308 }) {
        status = s;
        const auto before = app.requests().size();
        const auto r = resultWithin(CentralClient(profileFor(app), http).device(QStringLiteral("d1")), 10000);
        ASSERT_TRUE(r) << s;
        ASSERT_FALSE(r->ok()) << s;
        EXPECT_EQ(r->error.kind, CentralError::Kind::InvalidResponse) << s;
        EXPECT_TRUE(r->error.explanation.contains(QStringLiteral("another origin")))
            << r->error.explanation.toStdString();
        EXPECT_TRUE(r->error.explanation.contains(QString::number(elsewhere.port()))) << "says where it was sent";
        EXPECT_EQ(app.requests().size() - before, 1) << "a refused redirect is not retried";
    }
    EXPECT_EQ(elsewhere.connections(), 0);
    EXPECT_FALSE(elsewhere.sawHeader("Authorization"));
}

TEST(HttpOrigin, ARedirectWithinTheOriginIsStillFollowed)
{
    HostileHttpServer app([](const QByteArray& head) {
        return head.startsWith("GET /old ") ? ScriptedReply::redirect("/new")
                                            : ScriptedReply::answer(200, R"({"id":"d1"})");
    });
    const auto r = resultWithin(fastRetries()->send(get(app, "/old")), 10000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, HttpResponse::Outcome::Ok) << r->networkError.toStdString();
    const auto requests = app.requests();
    ASSERT_EQ(requests.size(), 2);
    EXPECT_TRUE(requests[1].startsWith("GET /new "));
    EXPECT_TRUE(requests[1].toLower().contains("\r\nauthorization:")) << "same origin: the token goes along";
}

TEST(HttpOrigin, TheDpsLookupKeepsTheDeviceTokenFromOtherOrigins)
{
    HostileHttpServer elsewhere(
        [](const QByteArray&) { return ScriptedReply::answer(200, R"({"status":"assigned"})"); });
    const QByteArray location = elsewhere.baseUrl().toUtf8() + "/0ne0000000A/registrations/dev-1";
    HostileHttpServer dps([&](const QByteArray&) { return ScriptedReply::redirect(location, 307); });
    auto http = fastRetries();
    auto a = resultWithin(checkDpsRegistration(http, dps.baseUrl(), QStringLiteral("0ne0000000A"),
                              QStringLiteral("dev-1"), "dGVzdGtleQ==", 3000),
        10000);
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->reached());
    EXPECT_TRUE(a->transportError.explanation.contains(QStringLiteral("another origin")))
        << a->transportError.explanation.toStdString();
    EXPECT_EQ(elsewhere.connections(), 0);

    // An endpoint that may not have the token is not even asked.
    const int before = dps.connections();
    a = resultWithin(checkDpsRegistration(http, QStringLiteral("http://user@127.0.0.1:%1").arg(dps.port()),
                         QStringLiteral("0ne0000000A"), QStringLiteral("dev-1"), "dGVzdGtleQ==", 3000),
        10000);
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->reached());
    EXPECT_TRUE(a->transportError.explanation.contains(QStringLiteral("user-info")))
        << a->transportError.explanation.toStdString();
    EXPECT_EQ(dps.connections(), before);
}

TEST(HttpOrigin, TheWorkerItselfSendsNoCredentialsToAUrlThatMayNotHaveThem)
{
    HostileHttpServer app([](const QByteArray&) { return ScriptedReply::answer(200, "{}"); });
    HttpRequest r = get(app, "/x");
    r.url = QUrl(QStringLiteral("http://someone@127.0.0.1:%1/x").arg(app.port()));
    const auto response = resultWithin(fastRetries()->send(r), 10000);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->outcome, HttpResponse::Outcome::Refused);
    EXPECT_TRUE(response->networkError.contains(QStringLiteral("user-info"))) << response->networkError.toStdString();
    EXPECT_EQ(app.connections(), 0);
}

TEST(HttpLimits, ADripFeedingServerIsCutOffAtTheDeadline)
{
    HostileHttpServer app([](const QByteArray&) {
        auto r = headThenMore("Content-Length: 100000\r\n");
        r.dripEveryMs = 200; // far more often than any timeout: a transfer timeout would never fire
        return r;
    });
    auto http = fastRetries();
    HttpRequest r = get(app, "/drip");
    r.timeoutMs = 1000;
    r.deadlineMs = 1000;
    QElapsedTimer clock;
    clock.start();
    auto response = resultWithin(http->send(r), 10000);
    ASSERT_TRUE(response) << "still running after 10 s";
    EXPECT_EQ(response->outcome, HttpResponse::Outcome::Timeout);
    EXPECT_EQ(response->attempts, 1) << "no time left for a retry";
    EXPECT_GE(clock.elapsed(), 900);
    EXPECT_LT(clock.elapsed(), 2500);

    // Without a deadline each attempt is still bounded as a whole.
    r.deadlineMs = 0;
    r.timeoutMs = 600;
    r.maxAttempts = 2;
    clock.restart();
    response = resultWithin(http->send(r), 10000);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->outcome, HttpResponse::Outcome::Timeout);
    EXPECT_EQ(response->attempts, 2);
    EXPECT_LT(clock.elapsed(), 3000);
}

TEST(HttpLimits, AHugeContentLengthIsRefusedBeforeTheBody)
{
    HostileHttpServer app([](const QByteArray&) {
        auto r = headThenMore("Content-Length: 3000000000\r\n");
        r.endless = true;
        return r;
    });
    CentralClient client(profileFor(app), fastRetries());
    QElapsedTimer clock;
    clock.start();
    const auto r = resultWithin(client.device(QStringLiteral("d1")), 20000);
    // The answer's time, not the client's teardown: Qt's HTTP thread may go on draining the
    // endless body for a while after the abort when it reads slower than the server writes
    // (under AddressSanitizer it does, and destroying the network manager then waits for it).
    const qint64 answeredMs = clock.elapsed();
    ASSERT_TRUE(r);
    ASSERT_FALSE(r->ok());
    EXPECT_TRUE(r->error.explanation.contains(QStringLiteral("larger than 64 MiB")))
        << r->error.explanation.toStdString();
    EXPECT_EQ(r->error.attempts, 1) << "not retried";
    EXPECT_EQ(app.requests().size(), 1);
    EXPECT_LT(answeredMs, 5000);
}

TEST(HttpLimits, AnEndlessBodyIsCutAtTheCap)
{
    HostileHttpServer app([](const QByteArray&) {
        auto r = headThenMore("Connection: close\r\n"); // no length: the body runs until the server closes
        r.endless = true;
        return r;
    });
    HttpRequest request = get(app, "/endless");
    request.maxBodyBytes = 1024 * 1024;
    const auto r = resultWithin(fastRetries()->send(request), 20000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, HttpResponse::Outcome::Refused);
    EXPECT_TRUE(r->networkError.contains(QStringLiteral("larger than 1 MiB"))) << r->networkError.toStdString();
    EXPECT_TRUE(r->body.isEmpty()) << "a partial body is not handed on";
    EXPECT_EQ(app.requests().size(), 1);
}

TEST(HttpLimits, ARetryAfterBeyondTheDeadlineEndsAtOnce)
{
    HostileHttpServer app([](const QByteArray&) {
        return ScriptedReply::answer(
            429, R"({"error":{"code":"TooManyRequests","message":"slow down"}})", "Retry-After: 100000\r\n");
    });
    auto http = fastRetries();
    for (int deadline : { 3000, 0 }) { // 0: no deadline, but far beyond what is ever waited for
        const auto before = app.requests().size();
        QElapsedTimer clock;
        clock.start();
        const auto r
            = resultWithin(CentralClient(profileFor(app, 3000, deadline), http).device(QStringLiteral("d1")), 10000);
        ASSERT_TRUE(r);
        ASSERT_FALSE(r->ok());
        EXPECT_EQ(r->error.httpStatus, 429);
        EXPECT_TRUE(r->error.explanation.contains(QStringLiteral("asks to retry after 100000 s")))
            << r->error.explanation.toStdString();
        EXPECT_LT(clock.elapsed(), 1500) << "deadline " << deadline;
        EXPECT_EQ(app.requests().size() - before, 1);
    }
}

TEST(HttpLimits, ARetryAfterWithinTheDeadlineIsWaitedFor)
{
    std::atomic<int> asked { 0 };
    HostileHttpServer app([&](const QByteArray&) {
        return asked++ == 0 ? ScriptedReply::answer(429, "{}", "Retry-After: 1\r\n")
                            : ScriptedReply::answer(200, R"({"id":"d1"})");
    });
    QElapsedTimer clock;
    clock.start();
    const auto r
        = resultWithin(CentralClient(profileFor(app, 3000, 5000), fastRetries()).device(QStringLiteral("d1")), 10000);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->ok()) << r->error.summary().toStdString();
    EXPECT_GE(clock.elapsed(), 950);
}

TEST(HttpLimits, DeviceListLinksThatLoopEndWithAnError)
{
    // Links to the first page itself, back to the first page from the second, and a new link
    // forever (the page cap).
    std::atomic<int> served { 0 };
    std::atomic<int> mode { 0 };
    std::atomic<quint16> port { 0 };
    HostileHttpServer app([&](const QByteArray& head) {
        const int n = ++served;
        QString next = QStringLiteral("http://127.0.0.1:%1/api/devices?api-version=2022-07-31").arg(port.load());
        if (mode == 1 && !head.contains("page=b"))
            next += QStringLiteral("&page=b");
        if (mode == 2)
            next += QStringLiteral("&page=%1").arg(n);
        return ScriptedReply::answer(200, listPage(next));
    });
    port = app.port();
    auto http = fastRetries();
    struct Case {
        int mode;
        int maxPages;
        const char* says;
        int requests;
    };
    for (const Case& c :
        { Case { 0, 100, "already read", 1 }, Case { 1, 100, "already read", 2 }, Case { 2, 5, "past 5 pages", 5 } }) {
        mode = c.mode;
        served = 0;
        std::atomic<int> pages { 0 };
        const auto r = resultWithin(CentralClient(profileFor(app), http)
                                        .listDevices(
                                            [&](const QList<Device>&) {
                                                ++pages;
                                                return true;
                                            },
                                            c.maxPages),
            20000);
        ASSERT_TRUE(r) << "mode " << c.mode << " did not end";
        ASSERT_FALSE(r->ok()) << "mode " << c.mode;
        EXPECT_TRUE(r->error.explanation.contains(QLatin1String(c.says))) << r->error.explanation.toStdString();
        EXPECT_EQ(served.load(), c.requests) << "mode " << c.mode;
        EXPECT_EQ(pages.load(), c.requests) << "the pages read were delivered";
    }
}

TEST(HttpLimits, ANextLinkToAnotherSchemeOrPortIsNotFollowed)
{
    std::atomic<int> served { 0 };
    std::atomic<int> variant { 0 };
    HostileHttpServer app([&](const QByteArray&) {
        ++served;
        return ScriptedReply::answer(200,
            listPage(variant == 0 ? QStringLiteral("https://127.0.0.1:1/api/devices?page=2")
                                  : QStringLiteral("http://127.0.0.1:1/api/devices?page=2")));
    });
    for (int v : { 0, 1 }) {
        variant = v;
        served = 0;
        const auto r = resultWithin(
            CentralClient(profileFor(app), fastRetries()).listDevices([](const QList<Device>&) { return true; }),
            10000);
        ASSERT_TRUE(r);
        ASSERT_FALSE(r->ok());
        EXPECT_TRUE(r->error.explanation.contains(QStringLiteral("another origin")))
            << r->error.explanation.toStdString();
        EXPECT_EQ(served.load(), 1);
    }
}

// Issue 12: every link followed was kept byte for byte, so 20,000 pages with huge links held
// gigabytes; a link longer than 16 KiB ends the listing, one at the limit is still followed.
// A pacer shared by several workers spaces their requests' starts: six requests at 20 a second
// cannot all have arrived before five intervals passed, however the load delays them.
TEST(HttpPacing, RequestsSharingAPacerStartNoFasterThanItsRate)
{
    std::atomic<int> served { 0 };
    HostileHttpServer app([&served](const QByteArray&) {
        ++served;
        return ScriptedReply::answer(200, "{}");
    });
    auto pacer = std::make_shared<RequestPacer>(20);
    auto first = fastRetries();
    auto second = fastRetries();
    QElapsedTimer clock;
    clock.start();
    std::vector<QFuture<HttpResponse>> calls;
    for (int i = 0; i < 6; ++i) {
        HttpRequest r = get(app, "/paced");
        r.pacer = pacer;
        calls.push_back((i % 2 ? first : second)->send(r));
    }
    for (auto& call : calls) {
        const auto r = resultWithin(call, 10000);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->outcome, HttpResponse::Outcome::Ok) << r->networkError.toStdString();
    }
    EXPECT_GE(clock.elapsed(), 250) << "six starts 50 ms apart";
    EXPECT_EQ(served.load(), 6);

    // A slot beyond the call's deadline ends it without sending anything.
    auto slow = std::make_shared<RequestPacer>(1);
    slow->reserve();
    slow->reserve(); // the next free slot is two seconds away
    HttpRequest late = get(app, "/late");
    late.pacer = slow;
    late.deadlineMs = 300;
    const auto r = resultWithin(first->send(late), 10000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, HttpResponse::Outcome::Timeout);
    EXPECT_TRUE(r->pacedPastDeadline);
    EXPECT_TRUE(r->networkError.startsWith(QStringLiteral("not sent: the request rate (1 a second) has no free slot")))
        << r->networkError.toStdString();
    EXPECT_EQ(served.load(), 6) << "nothing was sent";
}

TEST(HttpLimits, AHugeNextLinkEndsTheListing)
{
    std::atomic<int> linkBytes { 0 };
    std::atomic<quint16> port { 0 };
    HostileHttpServer app([&](const QByteArray& head) {
        if (head.contains("page=2"))
            return ScriptedReply::answer(200, DevicePage);
        QString next = QStringLiteral("http://127.0.0.1:%1/api/devices?page=2&pad=").arg(port.load());
        next += QString(linkBytes.load() - next.size(), QLatin1Char('a'));
        return ScriptedReply::answer(200, listPage(next));
    });
    port = app.port();
    auto http = fastRetries();
    for (int bytes : { CentralClient::MaxNextLinkBytes, CentralClient::MaxNextLinkBytes + 1, 100 * 1024 }) {
        linkBytes = bytes;
        const auto before = app.requests().size();
        std::atomic<int> devices { 0 };
        const auto r = resultWithin(CentralClient(profileFor(app), http).listDevices([&](const QList<Device>& page) {
            devices += int(page.size());
            return true;
        }),
            10000);
        ASSERT_TRUE(r) << bytes;
        if (bytes <= CentralClient::MaxNextLinkBytes) {
            ASSERT_TRUE(r->ok()) << r->error.explanation.toStdString();
            EXPECT_EQ(*r->value, 2);
            EXPECT_EQ(app.requests().size() - before, 2) << "a link at the limit is followed";
            continue;
        }
        ASSERT_FALSE(r->ok()) << bytes;
        EXPECT_EQ(r->error.kind, CentralError::Kind::InvalidResponse);
        EXPECT_TRUE(r->error.explanation.contains(QStringLiteral("nextLink is %1 bytes long").arg(bytes)))
            << r->error.explanation.toStdString();
        EXPECT_EQ(app.requests().size() - before, 1) << "the long link is not followed";
        EXPECT_EQ(devices.load(), 1) << "the page read was delivered";
    }
}

TEST(HttpWorkerLifetime, DestroyedWithRequestsInFlightAndWaitingToRetry)
{
    HostileHttpServer silent([](const QByteArray&) { return silence(); });
    HostileHttpServer throttling(
        [](const QByteArray&) { return ScriptedReply::answer(503, "{}", "Retry-After: 60\r\n"); });
    auto worker = std::make_unique<HttpWorker>();
    auto inFlight = worker->send(get(silent, "/never"));
    auto waiting = worker->send(get(throttling, "/later"));
    ASSERT_TRUE(silent.waitForRequests(1, 5000));
    ASSERT_TRUE(throttling.waitForRequests(1, 5000));
    QElapsedTimer clock;
    clock.start();
    worker.reset();
    EXPECT_LT(clock.elapsed(), 2000);
    ASSERT_TRUE(inFlight.isFinished());
    ASSERT_TRUE(waiting.isFinished());
    ASSERT_EQ(inFlight.resultCount(), 1);
    EXPECT_EQ(inFlight.result().outcome, HttpResponse::Outcome::Cancelled);
    ASSERT_EQ(waiting.resultCount(), 1);
    EXPECT_EQ(waiting.result().outcome, HttpResponse::Outcome::Cancelled);
}

TEST(HttpWorkerLifetime, ReleasedOnItsOwnThreadWithAnotherRequestPending)
{
    HostileHttpServer app([](const QByteArray& head) {
        if (!head.startsWith("GET /quick "))
            return silence();
        auto r = ScriptedReply::answer(200, "{}");
        r.delayMs = 300; // the continuation below is attached long before the answer comes
        return r;
    });
    auto owner = std::make_shared<std::shared_ptr<HttpWorker>>(std::make_shared<HttpWorker>());
    auto pending = (*owner)->send(get(app, "/never"));
    ASSERT_TRUE(app.waitForRequests(1, 5000));
    QThread* const testThread = QThread::currentThread();
    std::atomic<bool> onHttpThread { false };
    auto quick = (*owner)
                     ->send(get(app, "/quick"))
                     .then(QtFuture::Launch::Sync, [owner, testThread, &onHttpThread](const HttpResponse& r) {
                         onHttpThread = QThread::currentThread() != testThread;
                         owner->reset(); // the last owner lets go from inside the worker's own callback
                         return r.outcome;
                     });
    const auto quickOutcome = resultWithin(quick, 10000);
    ASSERT_TRUE(quickOutcome);
    EXPECT_EQ(*quickOutcome, HttpResponse::Outcome::Ok);
    EXPECT_TRUE(onHttpThread.load());
    const auto r = resultWithin(pending, 10000);
    ASSERT_TRUE(r) << "the pending call must end when its worker goes";
    EXPECT_EQ(r->outcome, HttpResponse::Outcome::Cancelled);
}

// iotc-diag against the same servers: it must end by itself with exit 2 and a clear message.

namespace {

QStringList devicesAt(const QString& baseUrl)
{
    return { QStringLiteral("devices"), QStringLiteral("--base-url"), baseUrl, QStringLiteral("--token"), Token,
        QStringLiteral("--timeout"), QStringLiteral("3") };
}

long childPeakRssKiB()
{
    rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss;
}

} // namespace

TEST(HostileHttpCli, ARedirectToAnotherPortDoesNotCarryTheToken)
{
    HostileHttpServer elsewhere([](const QByteArray&) { return ScriptedReply::answer(200, DevicePage); });
    const QByteArray location = elsewhere.baseUrl().toUtf8() + "/api/devices?api-version=2022-07-31";
    HostileHttpServer app([&](const QByteArray&) { return ScriptedReply::redirect(location); });
    const auto e = runDiag(devicesAt(app.baseUrl()), {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_NE(e.err.find("another origin"), std::string::npos) << e.err;
    EXPECT_EQ(e.err.find("T0KEN"), std::string::npos) << "the token is never printed";
    EXPECT_FALSE(elsewhere.sawHeader("Authorization"));
    EXPECT_EQ(elsewhere.connections(), 0);
}

TEST(HostileHttpCli, ADripFeedingServerEndsWithinTheTimeout)
{
    HostileHttpServer app([](const QByteArray&) {
        auto r = headThenMore("Content-Length: 100000\r\n");
        r.dripEveryMs = 2000;
        return r;
    });
    const auto e = runDiag(devicesAt(app.baseUrl()), {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_GE(e.elapsedMs, 2500) << "it waited for the answer, up to the timeout";
    EXPECT_LT(e.elapsedMs, 3000 + 4000) << "--timeout 3 plus a margin";
    EXPECT_NE(e.err.find("no complete answer"), std::string::npos) << e.err;
    EXPECT_EQ(e.err.find("device not open"), std::string::npos) << "no Qt warning on a timeout: " << e.err;
}

TEST(HostileHttpCli, ASilentServerTimesOutOnceWithoutQtWarnings)
{
    HostileHttpServer app([](const QByteArray&) { return silence(); });
    auto args = devicesAt(app.baseUrl());
    args.last() = QStringLiteral("1"); // --timeout 1
    const auto e = runDiag(args, {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_LT(e.elapsedMs, 1000 + 3000) << "one attempt: the deadline leaves no time for a retry";
    // The attempt gets what is left of the 1 s deadline: 1000 ms, or a little less on a slow start.
    const auto at = e.err.find("no complete answer within ");
    ASSERT_NE(at, std::string::npos) << e.err;
    const int ms = std::atoi(e.err.c_str() + at + std::strlen("no complete answer within "));
    EXPECT_GE(ms, 500) << e.err;
    EXPECT_LE(ms, 1000) << e.err;
    EXPECT_EQ(e.err.find("device not open"), std::string::npos) << "an aborted reply is not read: " << e.err;
}

TEST(HostileHttpCli, AHugeOrEndlessBodyEndsFastInBoundedMemory)
{
    for (const char* head : { "Content-Length: 3000000000\r\n", "Connection: close\r\n" }) {
        HostileHttpServer app([head](const QByteArray&) {
            auto r = headThenMore(head);
            r.endless = true;
            return r;
        });
        const auto e = runDiag(devicesAt(app.baseUrl()), {}, 30000);
        EXPECT_TRUE(endedCleanly(e, { 2 })) << head;
        EXPECT_NE(e.err.find("larger than 64 MiB"), std::string::npos) << e.err;
        EXPECT_LT(e.elapsedMs, 15000) << head;
        EXPECT_EQ(app.requests().size(), 1) << "not retried";
    }
    EXPECT_LT(childPeakRssKiB(), 384 * 1024) << "iotc-diag's peak memory, in KiB (the cap is 64 MiB)";
}

TEST(HostileHttpCli, ARetryAfterLongerThanTheTimeoutIsNotWaitedFor)
{
    HostileHttpServer app([](const QByteArray&) {
        return ScriptedReply::answer(
            429, R"({"error":{"code":"TooManyRequests","message":"slow down"}})", "Retry-After: 100000\r\n");
    });
    const auto e = runDiag(devicesAt(app.baseUrl()), {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_LT(e.elapsedMs, 3000 + 2000);
    EXPECT_NE(e.err.find("asks to retry after 100000 s"), std::string::npos) << e.err;
    EXPECT_EQ(app.requests().size(), 1);
}

TEST(HostileHttpCli, ADeviceListLinkingToItselfEnds)
{
    std::atomic<quint16> port { 0 };
    HostileHttpServer app([&port](const QByteArray&) {
        return ScriptedReply::answer(
            200, listPage(QStringLiteral("http://127.0.0.1:%1/api/devices?api-version=2022-07-31").arg(port.load())));
    });
    port = app.port();
    const auto e = runDiag(devicesAt(app.baseUrl()), {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_NE(e.err.find("already read"), std::string::npos) << e.err;
    EXPECT_EQ(app.requests().size(), 1);
}

TEST(HostileHttpCli, AHugeDeviceListLinkEnds)
{
    std::atomic<quint16> port { 0 };
    HostileHttpServer app([&port](const QByteArray&) {
        return ScriptedReply::answer(200,
            listPage(QStringLiteral("http://127.0.0.1:%1/api/devices?page=2&pad=").arg(port.load())
                + QString(100 * 1024, QLatin1Char('a'))));
    });
    port = app.port();
    const auto e = runDiag(devicesAt(app.baseUrl()), {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_NE(e.err.find("at most 16384 are accepted"), std::string::npos) << e.err;
    EXPECT_EQ(app.requests().size(), 1);
}

// Issue 12: the strict option parsing refused --interval 0.05, which had always worked; a poll
// still waits for the previous answer, so a short interval cannot stack requests up.
TEST(HostileHttpCli, MonitorPropertiesTakesAShortInterval)
{
    HostileHttpServer app([](const QByteArray& head) {
        return head.contains("/properties") ? ScriptedReply::answer(200, R"({"mode":1})")
                                            : ScriptedReply::answer(404, R"({"error":{"code":"NotFound"}})");
    });
    auto args = QStringList { QStringLiteral("monitor-properties"), QStringLiteral("d1"), QStringLiteral("--base-url"),
        app.baseUrl(), QStringLiteral("--token"), Token, QStringLiteral("--interval"), QStringLiteral("0.05"),
        QStringLiteral("--timeout"), QStringLiteral("1") };
    auto e = runDiag(args, {}, 30000);
    EXPECT_TRUE(endedCleanly(e, { 0 }));
    EXPECT_NE(e.out.find("\"mode\""), std::string::npos) << e.out;
    EXPECT_NE(e.err.find(", 0 failed."), std::string::npos) << e.err;
    int polls = 0;
    for (const auto& head : app.requests())
        polls += head.contains("/properties") ? 1 : 0;
    EXPECT_GE(polls, 3) << "polled every 50 ms for a second";
    args[7] = QStringLiteral("0");
    e = runDiag(args, {}, 30000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_NE(e.err.find("--interval"), std::string::npos) << e.err;
}

TEST(HostileHttpCli, UrlsThatMayNotHaveTheTokenAreRefusedBeforeAnyConnection)
{
    HostileHttpServer app([](const QByteArray&) { return ScriptedReply::answer(200, DevicePage); });
    const QString port = QString::number(app.port());
    const QStringList token { QStringLiteral("--token"), Token };
    const QStringList urls { QStringLiteral("http://localhost.evil"), QStringLiteral("http://127.0.0.1@example.com"),
        QStringLiteral("http://localhost.evil:") + port, QStringLiteral("http://user@127.0.0.1:") + port,
        QStringLiteral("http://127.0.0.1:") + port + QStringLiteral("?x=1"),
        QStringLiteral("http://127.0.0.1:") + port + QStringLiteral("#@example.com"),
        QStringLiteral("ftp://127.0.0.1:") + port };
    for (const QString& url : urls) {
        const auto e
            = runDiag(QStringList { QStringLiteral("devices"), QStringLiteral("--base-url"), url } + token, {}, 20000);
        EXPECT_TRUE(endedCleanly(e, { 2 })) << url.toStdString();
        EXPECT_NE(e.err.find("devices: --base-url "), std::string::npos) << e.err;
    }
    // --app builds the URL: an @ in it would move the host.
    auto e = runDiag(QStringList { QStringLiteral("devices"), QStringLiteral("--app"),
                         QStringLiteral("x@127.0.0.1:") + port + QLatin1Char('/') }
            + token,
        {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_NE(e.err.find("devices: --app"), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("the host it names is 127.0.0.1"), std::string::npos) << e.err;
    // The DPS endpoint receives a device's SAS token: the same rule.
    for (const char* dps : { "http://example.com", "http://localhost.evil", "http://127.0.0.1@example.com" }) {
        e = runDiag(
            devicesAt(app.baseUrl()) + QStringList { QStringLiteral("--dps-endpoint"), QLatin1String(dps) }, {}, 20000);
        EXPECT_TRUE(endedCleanly(e, { 2 })) << dps;
        EXPECT_NE(e.err.find("devices: --dps-endpoint "), std::string::npos) << e.err;
    }
    EXPECT_EQ(app.connections(), 0) << "nothing was asked before the URLs were checked";
}

TEST(HostileHttpCli, TheDeviceTokenDoesNotFollowADpsRedirect)
{
    HostileHttpServer elsewhere(
        [](const QByteArray&) { return ScriptedReply::answer(200, R"({"status":"assigned"})"); });
    const QByteArray location = elsewhere.baseUrl().toUtf8() + "/0ne0000000A/registrations/dev-1";
    HostileHttpServer app([&](const QByteArray& head) {
        if (head.startsWith("GET /api/devices/dev-1/credentials"))
            return ScriptedReply::answer(200,
                R"({"idScope":"0ne0000000A","symmetricKey":{"primaryKey":"dGVzdGtleQ==","secondaryKey":"dGVzdGtleQ=="}})");
        if (head.startsWith("GET /api/devices/dev-1"))
            return ScriptedReply::answer(
                200, R"({"id":"dev-1","enabled":true,"provisioned":true,"template":"dtmi:x;1"})");
        return ScriptedReply::redirect(location, 307);
    });
    const auto e
        = runDiag({ QStringLiteral("registration-info"), QStringLiteral("dev-1"), QStringLiteral("--base-url"),
                      app.baseUrl(), QStringLiteral("--token"), Token, QStringLiteral("--dps-endpoint"),
                      app.baseUrl() + QStringLiteral("/dps"), QStringLiteral("--timeout"), QStringLiteral("3") },
            {}, 20000);
    EXPECT_TRUE(endedCleanly(e, { 1 })) << "DPS unreachable is a reported problem";
    EXPECT_NE(e.out.find("another origin"), std::string::npos) << e.out;
    EXPECT_EQ(elsewhere.connections(), 0);
    EXPECT_FALSE(elsewhere.sawHeader("Authorization"));
}

// Issue 12: diagnose --device-log read its log with the 64 MiB document cap while scan-log
// allows 128 MiB for the same kind of file. (The files are sparse; no connection is given, so
// diagnose stops right after reading the log.)
TEST(HostileCliLimits, DiagnoseReadsADeviceLogAsLongAsScanLogDoes)
{
    QTemporaryDir dir;
    const auto sparse = [&](const char* name, qint64 bytes) {
        QFile f(dir.filePath(QLatin1String(name)));
        EXPECT_TRUE(f.open(QIODevice::WriteOnly) && f.resize(bytes));
        return f.fileName();
    };
    const QString over64 = sparse("65MiB.log", (qint64(65) << 20));
    const QString over128 = sparse("129MiB.log", (qint64(129) << 20));
    auto e = runDiag(
        { QStringLiteral("diagnose"), QStringLiteral("d1"), QStringLiteral("--device-log"), over64 }, {}, 60000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_EQ(e.err.find("larger than"), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("say which application"), std::string::npos) << "read the log, then asked: " << e.err;
    e = runDiag(
        { QStringLiteral("diagnose"), QStringLiteral("d1"), QStringLiteral("--device-log"), over128 }, {}, 60000);
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_NE(e.err.find("larger than 128 MiB"), std::string::npos) << e.err;
}
