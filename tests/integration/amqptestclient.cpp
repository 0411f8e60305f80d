#include "amqptestclient.h"

#include <proton/annotation_key.hpp>
#include <proton/codec/encoder.hpp>
#include <proton/codec/map.hpp>
#include <proton/codec/vector.hpp>
#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/container.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/sender.hpp>
#include <proton/source.hpp>
#include <proton/source_options.hpp>
#include <proton/target_options.hpp>
#include <proton/timestamp.hpp>
#include <proton/tracker.hpp>
#include <proton/transport.hpp>
#include <proton/work_queue.hpp>

#include <chrono>
#include <future>
#include <thread>

namespace iotc::test {

namespace {

std::string text(const proton::value& v)
{
    switch (v.type()) {
    case proton::STRING:
        return proton::get<std::string>(v);
    case proton::SYMBOL:
        return proton::get<proton::symbol>(v);
    case proton::LONG:
        return std::to_string(proton::get<int64_t>(v));
    case proton::TIMESTAMP:
        return std::to_string(proton::get<proton::timestamp>(v).milliseconds());
    default:
        return proton::to_string(v);
    }
}

class ScriptRunner : public proton::messaging_handler {
public:
    ScriptRunner(const AmqpScript& script, AmqpResult& result)
        : m_script(script)
        , m_result(result)
    {
    }

    void on_container_start(proton::container& c) override
    {
        proton::connection_options o;
        o.sasl_allowed_mechs("ANONYMOUS");
        c.connect("amqp://" + m_script.hostPort, o);
    }

    void on_connection_open(proton::connection& c) override
    {
        m_connection = c;
        if (m_script.putToken)
            openRequestLinks("$cbs");
        else
            next();
    }

    void on_sendable(proton::sender& s) override
    {
        if (s.target().address() == "$cbs" && !m_cbsSent) {
            m_cbsSent = true;
            proton::message m;
            m.id(proton::message_id(uint64_t(1)));
            m.reply_to("reply-$cbs");
            m.body(m_script.putToken->second);
            m.properties().put("operation", std::string("put-token"));
            m.properties().put("type", std::string("servicebus.windows.net:sastoken"));
            m.properties().put("name", m_script.putToken->first);
            s.send(m);
        } else if (s.target().address() == "$management" && !m_managementSent) {
            m_managementSent = true;
            proton::message m;
            m.id(proton::message_id(uint64_t(2)));
            m.reply_to("reply-$management");
            m.properties().put("operation", std::string("READ"));
            m.properties().put("type", *m_script.managementType);
            m.properties().put("name", m_script.managementName);
            if (!m_script.managementPartition.empty())
                m.properties().put("partition", m_script.managementPartition);
            s.send(m);
        }
    }

    void on_message(proton::delivery& d, proton::message& m) override
    {
        const std::string from = d.receiver().source().address();
        if (from == "$cbs") {
            m_result.cbsStatus = static_cast<int>(proton::coerce<int64_t>(m.properties().get("status-code")));
            m_result.cbsDescription = proton::get<std::string>(m.properties().get("status-description"));
            next();
            return;
        }
        if (from == "$management") {
            m_result.managementStatus = static_cast<int>(proton::coerce<int64_t>(m.properties().get("status-code")));
            if (m.body().type() == proton::MAP)
                proton::get(m.body(), m_result.management);
            next();
            return;
        }
        if (m_script.settledWithCreditInHalves) {
            if (d.settled())
                d.settle();
            if (proton::receiver r = d.receiver(); r.credit() <= m_script.credit / 2)
                r.add_credit(m_script.credit - r.credit());
        }
        if (m_script.receiveCount && m_result.events.size() >= m_script.receiveCount)
            return; // already closing: what is still in flight is not counted
        ReceivedEvent e;
        if (m_script.keepBodies) {
            if (m.body().type() == proton::BINARY) {
                const auto b = proton::get<proton::binary>(m.body());
                e.body.assign(b.begin(), b.end());
            } else {
                e.body = proton::to_string(m.body());
            }
            std::map<proton::symbol, proton::value> all;
            proton::get(m.message_annotations().value(), all);
            for (const auto& [k, v] : all) {
                e.annotations[k] = text(v);
                if (k == std::string("x-opt-enqueued-time"))
                    e.enqueuedTimeIsTimestamp = v.type() == proton::TIMESTAMP;
            }
            if (!m.content_type().empty())
                e.contentType = m.content_type();
            if (!m.content_encoding().empty())
                e.contentEncoding = m.content_encoding();
        }
        if (m_script.keepBodies) // a plain counting receiver (benchmarks) decodes nothing
            e.sequenceNumber = proton::coerce<int64_t>(
                m.message_annotations().get(proton::annotation_key(proton::symbol("x-opt-sequence-number"))));
        m_result.events.push_back(std::move(e));
        if (m_script.receiveCount && m_result.events.size() >= m_script.receiveCount) {
            m_result.receiveSeconds
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_receiveStart).count();
            m_connection.close();
        }
    }

    void on_receiver_open(proton::receiver& r) override
    {
        if (m_script.settledWithCreditInHalves && r.source().address().rfind('$', 0) != 0)
            r.add_credit(m_script.credit);
        if (r.source().address() == m_script.receiveAddress.value_or("") && m_script.onReceiverOpen)
            m_script.onReceiverOpen();
    }

    void on_receiver_close(proton::receiver& r) override
    {
        if (r.error())
            m_result.linkError = r.error().name();
        if (r.source().address() == m_script.receiveAddress.value_or(""))
            m_connection.close();
    }
    void on_receiver_error(proton::receiver& r) override { m_result.linkError = r.error().name(); }
    void on_connection_error(proton::connection& c) override { m_result.connectionError = c.error().name(); }
    void on_connection_close(proton::connection& c) override
    {
        if (c.error())
            m_result.connectionError = c.error().name();
        finish();
    }
    void on_transport_error(proton::transport& t) override
    {
        if (m_result.connectionError.empty())
            m_result.connectionError = t.error().name();
        finish();
    }
    void on_transport_close(proton::transport&) override { finish(); }
    void on_error(const proton::error_condition&) override { }

    std::future<void> closed() { return m_closed.get_future(); }

private:
    // The connection is over: tell the waiting thread (which then stops the container).
    void finish()
    {
        if (!m_finished) {
            m_finished = true;
            m_closed.set_value();
        }
    }

    void openRequestLinks(const std::string& node)
    {
        proton::target_options to;
        to.address("reply-" + node);
        proton::receiver_options ro;
        ro.target(to);
        m_connection.open_receiver(node, ro);
        m_connection.open_sender(node);
    }

    // After each answer: the next step of the script.
    void next()
    {
        if (m_script.managementType && !m_managementOpened) {
            m_managementOpened = true;
            openRequestLinks("$management");
            return;
        }
        if (m_script.receiveAddress && !m_receiverOpened) {
            m_receiverOpened = true;
            proton::source_options so;
            so.address(*m_script.receiveAddress);
            if (!m_script.selector.empty()) {
                proton::source::filter_map fm;
                proton::value fv;
                proton::codec::encoder enc(fv);
                enc << proton::codec::start::described() << uint64_t(0x0000468C00000004ULL) << m_script.selector
                    << proton::codec::finish();
                fm.put(proton::symbol("apache.org:selector-filter:string"), fv);
                so.filters(fm);
            }
            proton::receiver_options ro;
            ro.source(so).credit_window(m_script.credit);
            if (m_script.settledWithCreditInHalves)
                ro.credit_window(0).delivery_mode(proton::delivery_mode::AT_MOST_ONCE).auto_accept(false);
            m_receiveStart = std::chrono::steady_clock::now();
            m_connection.open_receiver(*m_script.receiveAddress, ro);
            for (const auto& address : m_script.alsoReceiveFrom) {
                proton::source_options also = so;
                also.address(address);
                proton::receiver_options o = ro;
                o.source(also);
                m_connection.open_receiver(address, o);
            }
            return;
        }
        if (!m_script.receiveAddress)
            m_connection.close();
    }

    const AmqpScript& m_script;
    AmqpResult& m_result;
    proton::connection m_connection;
    bool m_cbsSent = false;
    bool m_managementSent = false;
    bool m_managementOpened = false;
    bool m_receiverOpened = false;
    std::chrono::steady_clock::time_point m_receiveStart;
    std::promise<void> m_closed;
    bool m_finished = false;
};

} // namespace

AmqpResult runAmqp(const AmqpScript& script)
{
    // The container runs on its own thread; this thread waits for the connection to end (or the
    // time limit) and then stops it from outside, which Proton 0.37 honours at once.
    AmqpResult result;
    ScriptRunner runner(script, result);
    auto closed = runner.closed();
    proton::container container(runner);
    std::thread thread([&] {
        try {
            container.run();
        } catch (const std::exception& e) {
            if (result.connectionError.empty())
                result.connectionError = e.what();
        }
    });
    if (closed.wait_for(std::chrono::milliseconds(script.timeoutMs)) == std::future_status::timeout)
        result.timedOut = true;
    container.stop();
    thread.join();
    return result;
}

std::string selectorFromBeginning()
{
    return "amqp.annotation.x-opt-offset > '-1'";
}

std::string selectorAfterSequence(int64_t sequenceNumber)
{
    return "amqp.annotation.x-opt-sequence-number > '" + std::to_string(sequenceNumber) + "'";
}

} // namespace iotc::test
