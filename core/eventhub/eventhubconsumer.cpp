#include "eventhubconsumer.h"

#include "consumersession.h"

#include <QDateTime>

namespace iotc {

const char* partitionStateName(PartitionState::State s)
{
    switch (s) {
    case PartitionState::State::Connecting:
        return "connecting";
    case PartitionState::State::Receiving:
        return "receiving";
    case PartitionState::State::Retrying:
        return "retrying";
    case PartitionState::State::Error:
        return "error";
    case PartitionState::State::Stopped:
        return "stopped";
    }
    return "unknown";
}

ConsumerStart ConsumerStart::minutesAgo(double minutes)
{
    ConsumerStart s;
    s.kind = Kind::EnqueuedTime;
    s.enqueuedMs = QDateTime::currentMSecsSinceEpoch() - static_cast<qint64>(minutes * 60000.0);
    return s;
}

EventHubConsumer::EventHubConsumer(EventHubTarget target, ConsumerOptions options, QObject* parent)
    : QObject(parent)
    , m_session(std::make_unique<Session>(*this, std::move(target), std::move(options)))
{
    qRegisterMetaType<TelemetryEvent>();
}

EventHubConsumer::~EventHubConsumer()
{
    m_session->stop();
}

void EventHubConsumer::start()
{
    m_session->start();
}

void EventHubConsumer::stop()
{
    m_session->stop();
}

std::vector<TelemetryEvent> EventHubConsumer::take(size_t max)
{
    return m_session->take(max);
}

quint64 EventHubConsumer::dropped() const
{
    return m_session->dropped.load();
}

quint64 EventHubConsumer::filtered() const
{
    return m_session->filtered.load();
}

int EventHubConsumer::reconnects() const
{
    return m_session->reconnects.load();
}

std::vector<PartitionState> EventHubConsumer::partitions() const
{
    return m_session->partitions();
}

QString EventHubConsumer::fatalError() const
{
    return m_session->fatal();
}

QString EventHubConsumer::route() const
{
    return m_session->route();
}

std::shared_ptr<TokenInbox> EventHubConsumer::tokenInbox() const
{
    return m_session->tokenInbox();
}

void EventHubConsumer::notifyTokenNeeded()
{
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT tokenNeeded(); }, Qt::QueuedConnection);
}

void EventHubConsumer::notifyEvents()
{
    // Paced by the session (at most ~30 a second); one post to the owner's thread at a time, and
    // whatever arrived until it runs is drained by the same signal.
    if (m_eventsPending.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_eventsPending = false;
            Q_EMIT eventsAvailable();
        },
        Qt::QueuedConnection);
}

void EventHubConsumer::notifyState()
{
    if (m_statePending.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_statePending = false;
            Q_EMIT stateChanged();
        },
        Qt::QueuedConnection);
}

} // namespace iotc
