#include "wiresender.h"

#include <proton/codec.h>
#include <proton/delivery.h>
#include <proton/link.h>
#include <proton/message.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

namespace iotc::sim {

namespace {

// proton::sender keeps its pn_link_t* protected; a derived view may read it.
class LinkAccess : public proton::sender {
public:
    explicit LinkAccess(const proton::sender& s)
        : proton::sender(s)
    {
    }
    pn_link_t* raw() const { return pn_object(); }
};

pn_bytes_t bytes(const std::string& s)
{
    return pn_bytes(s.size(), s.data());
}

void putSymbolString(pn_data_t* d, const char* key, const std::string& value)
{
    pn_data_put_symbol(d, pn_bytes(std::strlen(key), key));
    pn_data_put_string(d, bytes(value));
}

} // namespace

WireSender::WireSender()
    : m_message(pn_message())
{
    m_buffer.resize(4096);
}

WireSender::~WireSender()
{
    pn_message_free(m_message);
}

bool WireSender::encode(const StoredEvent& e)
{
    pn_message_clear(m_message);
    const std::string device = e.deviceId.toStdString();
    const std::string id = device + '-' + std::to_string(e.sequenceNumber);
    pn_atom_t atom;
    atom.type = PN_STRING;
    atom.u.as_bytes = bytes(id);
    pn_message_set_id(m_message, atom);
    if (e.messageSource != QLatin1String("Telemetry")) {
        // IoT Hub's own events (twin changes, lifecycle, connection state) carry a correlation-id
        // that identifies the event [iot-hub-non-telemetry-event-schema]: 12 hex digits here.
        char correlation[17];
        std::snprintf(correlation, sizeof correlation, "%012llx",
            static_cast<unsigned long long>(std::hash<std::string> {}(id)) & 0xffffffffffffULL);
        pn_atom_t c;
        c.type = PN_STRING;
        c.u.as_bytes = pn_bytes(12, correlation);
        pn_message_set_correlation_id(m_message, c);
    }
    if (e.contentType)
        pn_message_set_content_type(m_message, e.contentType->toStdString().c_str());
    if (e.contentEncoding)
        pn_message_set_content_encoding(m_message, e.contentEncoding->toStdString().c_str());

    pn_data_t* a = pn_message_annotations(m_message);
    pn_data_put_map(a);
    pn_data_enter(a);
    pn_data_put_symbol(a, pn_bytes(21, "x-opt-sequence-number"));
    pn_data_put_long(a, e.sequenceNumber);
    putSymbolString(a, "x-opt-offset", std::to_string(e.offset));
    pn_data_put_symbol(a, pn_bytes(19, "x-opt-enqueued-time"));
    pn_data_put_timestamp(a, e.enqueuedMs);
    putSymbolString(a, "iothub-connection-device-id", device);
    if (!e.moduleId.isEmpty())
        putSymbolString(a, "iothub-connection-module-id", e.moduleId.toStdString());
    putSymbolString(a, "iothub-connection-auth-method", e.authMethod.toStdString());
    putSymbolString(a, "iothub-connection-auth-generation-id", "638342000000000000");
    pn_data_put_symbol(a, pn_bytes(19, "iothub-enqueuedtime"));
    pn_data_put_timestamp(a, e.enqueuedMs);
    putSymbolString(a, "iothub-message-source", e.messageSource.toStdString());
    if (!e.component.isEmpty())
        putSymbolString(a, "dt-subject", e.component.toStdString());
    if (!e.modelId.isEmpty())
        putSymbolString(a, "dt-dataschema", e.modelId.toStdString());
    pn_data_exit(a);

    if (!e.applicationProperties.empty()) {
        pn_data_t* p = pn_message_properties(m_message);
        pn_data_put_map(p);
        pn_data_enter(p);
        for (const auto& [k, v] : e.applicationProperties) {
            pn_data_put_string(p, bytes(k.toStdString()));
            pn_data_put_string(p, bytes(v.toStdString()));
        }
        pn_data_exit(p);
    }

    // The body as a data section, the raw bytes the device sent.
    pn_data_t* body = pn_message_body(m_message);
    pn_data_put_binary(body, pn_bytes(static_cast<size_t>(e.body.size()), e.body.constData()));
    pn_message_set_inferred(m_message, true);

    for (;;) {
        size_t size = m_buffer.size();
        const int rc = pn_message_encode(m_message, m_buffer.data(), &size);
        if (rc == PN_OVERFLOW) {
            m_buffer.resize(m_buffer.size() * 2);
            continue;
        }
        m_size = rc == 0 ? size : 0;
        return rc == 0;
    }
}

bool WireSender::send(const proton::sender& link, const StoredEvent& event)
{
    pn_link_t* raw = LinkAccess(link).raw();
    if (pn_link_credit(raw) <= 0)
        return false;
    if (!encode(event))
        return true; // cannot happen with sane sizes; the event is skipped rather than stalling the link
    const uint64_t tag = ++m_tag;
    pn_delivery_t* d = pn_delivery(raw, pn_dtag(reinterpret_cast<const char*>(&tag), sizeof tag));
    pn_link_send(raw, m_buffer.data(), m_size);
    pn_link_advance(raw);
    pn_delivery_settle(d); // pre-settled: see the partition link's delivery mode
    return true;
}

} // namespace iotc::sim
