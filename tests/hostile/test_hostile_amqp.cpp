// A hostile Event Hubs endpoint and hostile connection strings, through the real iotc-diag: a
// $management reply of the wrong types or with two billion partitions, events whose annotations
// and bodies are not what IoT Hub sends, an IPv6 loopback endpoint, connection strings that are
// no such thing. Every run ends by itself, within a bound, without a signal, with a clear message
// (and never the key).
#include "hostilecli.h"

#include <proton/annotation_key.hpp>
#include <proton/binary.hpp>
#include <proton/codec.h>
#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/container.hpp>
#include <proton/delivery.hpp>
#include <proton/error.h>
#include <proton/listen_handler.hpp>
#include <proton/listener.hpp>
#include <proton/message.h>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/sender.hpp>
#include <proton/sender_options.hpp>
#include <proton/source.hpp>
#include <proton/target.hpp>
#include <proton/transport.hpp>

#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <thread>

using namespace iotc::hostile;

namespace {

// An encoded message built with Proton's C API (any type anywhere), plus raw sections after it.
proton::message fromC(const std::function<void(pn_message_t*)>& fill, const std::string& moreSections = {})
{
    pn_message_t* c = pn_message();
    fill(c);
    std::vector<char> bytes(1 << 16);
    size_t size = bytes.size();
    while (pn_message_encode(c, bytes.data(), &size) == PN_OVERFLOW) {
        bytes.resize(bytes.size() * 4);
        size = bytes.size();
    }
    pn_message_free(c);
    bytes.resize(size);
    bytes.insert(bytes.end(), moreSections.begin(), moreSections.end());
    proton::message m;
    m.decode(bytes);
    return m;
}

void putString(pn_data_t* d, const char* s)
{
    pn_data_put_string(d, pn_bytes(std::strlen(s), s));
}

void putSymbol(pn_data_t* d, const char* s)
{
    pn_data_put_symbol(d, pn_bytes(std::strlen(s), s));
}

// A $management reply with status 200 and a body map filled by `body`.
proton::message managementReply(const std::function<void(pn_data_t*)>& body)
{
    return fromC([&](pn_message_t* c) {
        pn_data_t* p = pn_message_properties(c);
        pn_data_put_map(p);
        pn_data_enter(p);
        putString(p, "status-code");
        pn_data_put_int(p, 200);
        pn_data_exit(p);
        pn_data_t* b = pn_message_body(c);
        pn_data_put_map(b);
        pn_data_enter(b);
        body(b);
        pn_data_exit(b);
    });
}

// An amqp-value section holding lists in lists, `depth` deep.
std::string nestedBodySection(int depth)
{
    std::string out("\0\x53\x77", 3);
    const size_t total = out.size() + static_cast<size_t>(depth) * 9 + 1;
    for (int i = 0; i < depth; ++i) {
        const uint32_t size = static_cast<uint32_t>(total - out.size() - 5);
        out += '\xd0';
        for (int shift : { 24, 16, 8, 0 })
            out += static_cast<char>((size >> shift) & 0xff);
        out += std::string("\0\0\0\x01", 4);
    }
    out += '\x45';
    return out;
}

// The Event Hubs side, on Proton's own loop: accepts any token on $cbs, answers $management with
// `management`, and sends `events` on the first partition link that asks for them.
class HostileEndpoint : public proton::messaging_handler, public proton::listen_handler {
public:
    HostileEndpoint(std::function<proton::message()> management, std::vector<proton::message> events = {})
        : m_management(std::move(management))
        , m_events(std::move(events))
        , m_container(*this, "iotc-hostile-eventhub")
    {
    }
    ~HostileEndpoint() override
    {
        if (m_thread.joinable()) {
            m_container.stop();
            m_thread.join();
        }
    }

    // The port listened on, 0 when the host cannot be listened on (no IPv6 here, say).
    int listen(const std::string& host)
    {
        m_container.auto_stop(false);
        auto port = m_port.get_future();
        m_container.listen(host + ":0", static_cast<proton::listen_handler&>(*this));
        m_thread = std::thread([this] {
            try {
                m_container.run();
            } catch (const std::exception&) {
            }
        });
        return port.wait_for(std::chrono::seconds(10)) == std::future_status::ready ? port.get() : 0;
    }

    // listen_handler
    void on_open(proton::listener& l) override { report(l.port()); }
    void on_error(proton::listener&, const std::string&) override { report(0); }
    proton::connection_options on_accept(proton::listener&) override
    {
        proton::connection_options o;
        o.handler(*this);
        o.sasl_allowed_mechs("ANONYMOUS");
        return o;
    }

    // messaging_handler
    void on_connection_open(proton::connection& c) override { c.open(); }
    void on_receiver_open(proton::receiver& r) override { r.open(); }
    void on_sender_open(proton::sender& s) override
    {
        const std::string source = s.source().address();
        if (source == "$cbs" || source == "$management")
            m_replies[source] = s;
        else
            m_partition = s;
        proton::sender_options o;
        o.delivery_mode(proton::delivery_mode::AT_MOST_ONCE);
        s.open(o);
    }
    void on_sendable(proton::sender& s) override
    {
        if (s != m_partition || m_sent)
            return;
        m_sent = true;
        for (const auto& m : m_events)
            s.send(m);
    }
    void on_message(proton::delivery& d, proton::message& m) override
    {
        const std::string node = d.receiver().target().address();
        proton::message reply;
        if (node == "$cbs")
            reply.properties().put("status-code", int32_t(200));
        else if (node == "$management")
            reply = m_management();
        else
            return;
        reply.correlation_id(m.id());
        if (auto it = m_replies.find(node); it != m_replies.end())
            it->second.send(reply);
        d.accept();
    }
    // A client going away is no error of ours.
    void on_transport_error(proton::transport&) override { }
    void on_connection_error(proton::connection&) override { }
    void on_session_error(proton::session&) override { }
    void on_receiver_error(proton::receiver&) override { }
    void on_sender_error(proton::sender&) override { }
    void on_error(const proton::error_condition&) override { }

private:
    void report(int port)
    {
        if (!m_reported) {
            m_reported = true;
            m_port.set_value(port);
        }
    }

    std::function<proton::message()> m_management;
    std::vector<proton::message> m_events;
    proton::container m_container;
    std::promise<int> m_port;
    bool m_reported = false;
    std::thread m_thread;
    std::map<std::string, proton::sender> m_replies;
    proton::sender m_partition;
    bool m_sent = false;
};

const char* Key = "c2VjcmV0LWtleS1ieXRlcw==";

QString connectionString(const std::string& authority)
{
    return QString::fromStdString(
        "Endpoint=sb://" + authority + "/;SharedAccessKeyName=service;SharedAccessKey=" + Key + ";EntityPath=hub");
}

Ending monitor(const QString& cs, const QStringList& more = {})
{
    return runDiag(QStringList { QStringLiteral("monitor-events"), QStringLiteral("--eventhub-connection-string"), cs,
                       QStringLiteral("--timeout"), QStringLiteral("20") }
            + more,
        {}, 40000);
}

bool contains(const std::string& text, const char* part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(HostileAmqp, TwoBillionPartitionsAreRefusedNotOpened)
{
    HostileEndpoint endpoint([] {
        return managementReply([](pn_data_t* b) {
            putString(b, "partition_count");
            pn_data_put_int(b, 2147483647);
        });
    });
    const int port = endpoint.listen("127.0.0.1");
    ASSERT_GT(port, 0);
    const auto e = monitor(connectionString("127.0.0.1:" + std::to_string(port)));
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_LT(e.elapsedMs, 15000) << "refused at once, not after the run's timeout";
    EXPECT_TRUE(contains(e.err, "partition_count is 2147483647")) << e.err;
    EXPECT_FALSE(contains(e.err + e.out, Key));
}

TEST(HostileAmqp, AManagementReplyOfTheWrongTypesIsReportedNotThrown)
{
    // A status-description that is a number, a body keyed by numbers, partition_ids a list holding
    // a map. (Proton's C++ message insists on text keys in the properties: a peer need not.)
    HostileEndpoint endpoint([] {
        return fromC([](pn_message_t* c) {
            pn_data_t* p = pn_message_properties(c);
            pn_data_put_map(p);
            pn_data_enter(p);
            putString(p, "status-code");
            pn_data_put_long(p, 200);
            putString(p, "status-description");
            pn_data_put_int(p, 5);
            pn_data_exit(p);
            pn_data_t* b = pn_message_body(c);
            pn_data_put_map(b);
            pn_data_enter(b);
            pn_data_put_int(b, 1);
            pn_data_put_int(b, 2);
            putString(b, "partition_ids");
            pn_data_put_list(b);
            pn_data_enter(b);
            pn_data_put_map(b);
            pn_data_exit(b);
            pn_data_exit(b);
        });
    });
    const int port = endpoint.listen("127.0.0.1");
    ASSERT_GT(port, 0);
    const auto e = monitor(connectionString("127.0.0.1:" + std::to_string(port)));
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_TRUE(contains(e.err, "did not say which partitions it has")) << e.err;
    EXPECT_TRUE(contains(e.err, "partition_ids")) << e.err;
    EXPECT_FALSE(contains(e.err, "AMQP client stopped")) << "an error reported, not an exception out of Proton's loop";
}

TEST(HostileAmqp, AnIPv6LoopbackEndpointIsReached)
{
    HostileEndpoint endpoint([] {
        return managementReply([](pn_data_t* b) {
            putString(b, "partition_count");
            putString(b, "four");
        });
    });
    const int port = endpoint.listen("[::1]");
    if (port == 0)
        GTEST_SKIP() << "no IPv6 loopback here";
    const auto e = monitor(connectionString("[::1]:" + std::to_string(port)));
    EXPECT_TRUE(endedCleanly(e, { 2 }));
    EXPECT_TRUE(contains(e.err, "partition_count is not an integer")) << "the endpoint answered: " << e.err;
}

TEST(HostileAmqp, EventsOfEveryWrongShapeAreShownAndTheRunGoesOn)
{
    std::vector<proton::message> events;
    // Annotations of the wrong types, a body 100,000 lists deep.
    events.push_back(fromC(
        [](pn_message_t* c) {
            pn_data_t* a = pn_message_annotations(c);
            pn_data_put_map(a);
            pn_data_enter(a);
            pn_data_put_ulong(a, 3);
            putString(a, "a key that is a number");
            putSymbol(a, "x-opt-sequence-number");
            pn_data_put_list(a);
            putSymbol(a, "iothub-connection-device-id");
            pn_data_put_map(a);
            pn_data_enter(a);
            putString(a, "k");
            putString(a, "v");
            pn_data_exit(a);
            pn_data_exit(a);
        },
        nestedBodySection(100000)));
    // An amqp-sequence body, a described value for the module.
    events.push_back(fromC([](pn_message_t* c) {
        pn_data_t* a = pn_message_annotations(c);
        pn_data_put_map(a);
        pn_data_enter(a);
        putSymbol(a, "iothub-connection-module-id");
        pn_data_put_described(a);
        pn_data_enter(a);
        pn_data_put_ulong(a, 0x99);
        putString(a, "described");
        pn_data_exit(a);
        pn_data_exit(a);
        pn_message_set_inferred(c, true);
        pn_data_t* b = pn_message_body(c);
        pn_data_put_list(b);
        pn_data_enter(b);
        pn_data_put_int(b, 42);
        pn_data_exit(b);
    }));
    // And an ordinary one after them.
    proton::message last;
    last.message_annotations().put(
        proton::symbol("iothub-connection-device-id"), std::string("after-the-hostile-ones"));
    last.body(proton::binary(std::string("{\"t\":1}")));
    events.push_back(last);

    HostileEndpoint endpoint(
        [] {
            return managementReply([](pn_data_t* b) {
                putString(b, "partition_count");
                pn_data_put_int(b, 1);
            });
        },
        events);
    const int port = endpoint.listen("127.0.0.1");
    ASSERT_GT(port, 0);
    const auto e = monitor(connectionString("127.0.0.1:" + std::to_string(port)),
        { QStringLiteral("--max-messages"), QStringLiteral("3"), QStringLiteral("--properties"), QStringLiteral("all"),
            QStringLiteral("--start"), QStringLiteral("beginning") });
    EXPECT_TRUE(endedCleanly(e, { 0 }));
    EXPECT_TRUE(contains(e.out, "after-the-hostile-ones")) << e.out.substr(0, 2000) << e.err;
    EXPECT_TRUE(contains(e.out, "[[[[")) << "the nested body is shown as Proton renders it";
    EXPECT_TRUE(contains(e.out, "described")) << e.out.substr(0, 2000);
}

TEST(HostileAmqp, ConnectionStringsThatAreNoneAreRefusedWithoutTheKey)
{
    const std::string key = std::string(";SharedAccessKeyName=p;SharedAccessKey=") + Key;
    const struct {
        std::string text;
        const char* expected;
    } cases[] = {
        { "Endpoint=sb://[::1/" + key + ";EntityPath=hub", "not a valid" },
        { "Endpoint=sb://127.0.0.1:99999/" + key + ";EntityPath=hub", "port" },
        { "Endpoint=sb://:5671/" + key + ";EntityPath=hub", "host" },
        { "Endpoint=sb://x/" + key + ";EntityPath=../../etc", "event hub name" },
        { "Endpoint=sb://x/;SharedAccessKey=" + std::string(Key) + ";EntityPath=hub", "SharedAccessKeyName" },
        { "Endpoint=sb://x/" + key + ";EntityPath=hub;" + std::string(Key).substr(0, 12), "name=value" },
        { std::string(100000, ';') + "Endpoint", "too long" },
    };
    for (const auto& c : cases) {
        const auto e = monitor(QString::fromStdString(c.text));
        EXPECT_TRUE(endedCleanly(e, { 2 })) << c.text.substr(0, 200);
        EXPECT_TRUE(contains(e.err, c.expected)) << c.text.substr(0, 200) << " -> " << e.err;
        EXPECT_FALSE(contains(e.err + e.out, Key)) << "the key is never repeated";
        EXPECT_FALSE(contains(e.err + e.out, std::string(Key).substr(0, 12).c_str()));
    }
}
