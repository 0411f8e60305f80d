// The partition receivers of EventHubConsumer::Session: one per partition, resumed after the last
// sequence number seen, credit topped up in halves, and each partition's state kept for the Qt side.
#include "consumersession.h"

#include "amqpwire.h"
#include "eventdecode.h"
#include "peertext.h"

#include <proton/link.h>

namespace iotc {

namespace {

// The C link under a proton::receiver (the C++ options have no max message size in 0.37).
class RawLink : public proton::receiver {
public:
    explicit RawLink(const proton::receiver& r)
        : receiver(r)
    {
    }
    pn_link_t* raw() const { return pn_object(); }
};

} // namespace

void EventHubConsumer::Session::on_message(proton::delivery& d, proton::message& m)
{
    // Nothing the peer sent may throw out of here: the driver would end the connection.
    try {
        onMessage(d, m);
    } catch (const std::exception& e) {
        fail(QStringLiteral("A message from the event hub could not be handled: ") + QString::fromUtf8(e.what()));
    }
}

void EventHubConsumer::Session::onMessage(proton::delivery& d, proton::message& m)
{
    const proton::receiver r = d.receiver();
    if (r == m_cbsReceiver) {
        onCbsReply(m);
        return;
    }
    if (r == m_managementReceiver) {
        onManagementReply(m);
        return;
    }
    auto it = m_receivers.find(r.name());
    if (it != m_receivers.end())
        onEvent(it->second, m);
    if (d.settled())
        d.settle(); // frees it here; the service already settled it
    else
        d.accept(); // a peer that sends unsettled all the same gets its acknowledgement
    if (it == m_receivers.end()) {
        // A link of a connection being replaced: it gets no more credit.
        if (proton::receiver stale = r; stale.active())
            stale.close();
        return;
    }
    // Credit is topped up in halves, not after every event (Proton's credit window sends a flow
    // frame per message): at a trickle that is one write less per event.
    if (proton::receiver link = r; link.credit() <= m_options.credit / 2)
        link.add_credit(m_options.credit - link.credit());
}

void EventHubConsumer::Session::on_receiver_open(proton::receiver& r)
{
    auto it = m_receivers.find(r.name());
    if (it == m_receivers.end())
        return;
    {
        // From "latest", remember when reading began: a reconnect before the first event must not
        // skip what arrived in between.
        std::lock_guard lock(m_mutex);
        auto& started = m_startedAtMs[it->second];
        if (started == 0)
            started = nowMs() - 2000;
    }
    r.add_credit(m_options.credit);
    m_everReceiving = true; // the hub is reachable: from now on, lost connections are retried
    setState(it->second, PartitionState::State::Receiving, {}, {});
}

void EventHubConsumer::Session::on_receiver_close(proton::receiver& r)
{
    auto it = m_receivers.find(r.name());
    if (it == m_receivers.end() || m_stopping)
        return;
    const int partition = it->second;
    const auto error = r.error();
    m_receivers.erase(it);
    if (!error) {
        setState(partition, PartitionState::State::Stopped, {}, QStringLiteral("closed by the service"));
        return;
    }
    if (auto why = permanentCondition(error.name())) {
        setState(partition, PartitionState::State::Error, qs(error.name()),
            *why + QStringLiteral(" (") + qs(error.description()) + QLatin1Char(')'));
        return;
    }
    if (error.name() == "amqp:unauthorized-access") {
        // The token lapsed or was revoked: a new one is needed, not a reattach with the old one.
        // A key makes one; a ready-made token is tried once more only if it is another one.
        m_tokens.takeOffered();
        const qint64 inHand = m_tokens.expiryInHand();
        if (m_tokens.holdsValidToken(nowMs(), 5000) && (m_tokens.makesTokens() || inHand != m_refusedExpiry)) {
            m_refusedExpiry = inHand;
            lost(m_connection, error);
        } else {
            fail(QStringLiteral("The event hub token is no longer accepted (") + qs(error.description())
                + QStringLiteral("), and no newer one came from the application in time") + renewalFailure()
                + QStringLiteral(". Check that your role can still read the application's data, or use an "
                                 "Event Hubs connection string."));
        }
        return;
    }
    // Retryable link failure: reattach this partition after a pause, resuming where it was.
    m_lastProblem = qs(error.name()) + QStringLiteral(": ") + qs(error.description());
    setState(partition, PartitionState::State::Retrying, qs(error.name()), qs(error.description()));
    m_reattachAt[partition] = nowMs() + 1000;
}

std::string EventHubConsumer::Session::selectorFor(int partition)
{
    std::lock_guard lock(m_mutex);
    ConsumerStart start = m_options.start;
    if (start.kind == ConsumerStart::Kind::Latest && m_startedAtMs[partition] > 0) {
        start.kind = ConsumerStart::Kind::EnqueuedTime;
        start.enqueuedMs = m_startedAtMs[partition];
    }
    return startSelector(start, partition, m_states[partition].lastSequence);
}

void EventHubConsumer::Session::openPartition(int partition)
{
    {
        std::lock_guard lock(m_mutex);
        auto& s = m_states[partition];
        s.partition = partition;
        if (s.state == PartitionState::State::Error)
            return;
        s.state = PartitionState::State::Connecting;
    }
    const std::string address = m_target.entityPath.toStdString() + "/ConsumerGroups/"
        + m_options.consumerGroup.toStdString() + "/Partitions/" + std::to_string(partition);
    const std::string name = "iotc-p" + std::to_string(partition) + "-" + std::to_string(++m_linkSerial);
    m_receivers[name] = partition;
    proton::receiver link
        = m_connection.open_receiver(address, partitionReceiverOptions(address, selectorFor(partition), name));
    // Still before the attach frame is written (that happens after this handler returns).
    pn_link_set_max_message_size(RawLink(link).raw(), MaxLinkMessageBytes);
    m_owner.notifyState();
}

void EventHubConsumer::Session::onEvent(int partition, const proton::message& m)
{
    TelemetryEvent e;
    e.hub = m_target.entityPath;
    e.partition = partition;
    decodeAnnotations(m, e, m_texts, m_options.allProperties);
    // Only this thread changes m_states, so it reads without the lock; the writes below take it
    // (once per event) for the Qt side.
    const auto state = m_states.find(partition); // there since openPartition()
    if (state == m_states.end())
        return;
    auto& s = state->second;
    if (e.sequenceNumber >= 0 && e.sequenceNumber <= s.lastSequence)
        return; // a duplicate the service sent again: never passed on
    if (!m_filter.passes(e.deviceId, e.moduleId)) {
        std::lock_guard lock(m_mutex);
        seen(s, e.sequenceNumber);
        filtered++;
        return;
    }
    try {
        decodeContent(m, e, m_texts, m_options.allProperties);
    } catch (const std::exception& ex) {
        // An event whose properties Proton cannot map: keep it, say what could not be read.
        e.applicationProperties.append({ QStringLiteral("iotc-decode-error"), qs(ex.what()) });
    }
    {
        std::lock_guard lock(m_mutex);
        seen(s, e.sequenceNumber);
        if (m_queue.push(std::move(e)))
            dropped++; // the oldest went to make room
    }
    m_pacer.queued();
    notifySoon();
}

void EventHubConsumer::Session::seen(PartitionState& s, qint64 sequenceNumber)
{
    if (sequenceNumber >= 0)
        s.lastSequence = sequenceNumber;
    s.received++;
}

} // namespace iotc
