#include "eventstream.h"

#include "capturefile.h"
#include "monitorpipeline.h"
#include "templateresolver.h"
#include "tokenrenewal.h"

#include "central/centralerror.h"

#include <algorithm>

namespace iotc {

namespace {

constexpr size_t TakeAtOnce = 2000; // events per batch handed on
constexpr int StatusIntervalMs = 1000;

} // namespace

const char* monitorPhaseName(MonitorStatus::Phase p)
{
    switch (p) {
    case MonitorStatus::Phase::Idle:
        return "idle";
    case MonitorStatus::Phase::GettingTokens:
        return "getting tokens";
    case MonitorStatus::Phase::Running:
        return "running";
    case MonitorStatus::Phase::Failed:
        return "failed";
    case MonitorStatus::Phase::Stopped:
        return "stopped";
    }
    return "";
}

QString eventHubTokensError(const CentralError& error)
{
    QString why = EventStream::tr("Cannot read the application's event hubs: %1").arg(error.summary());
    if (error.httpStatus == 401 || error.httpStatus == 403)
        why += EventStream::tr(" — generateEventSasTokens needs an Entra ID token (az login; iotc-diag --az) in most "
                               "apps: an API token cannot generate event SAS tokens. Or give an Event Hubs "
                               "connection string.");
    return why;
}

EventStream::EventStream(std::shared_ptr<CentralClient> client, std::shared_ptr<TemplateResolver> resolver,
    EventStreamOptions options, QObject* parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_options(std::move(options))
    , m_pipeline(std::make_unique<MonitorPipeline>(
          resolver ? std::move(resolver) : std::make_shared<TemplateResolver>(std::shared_ptr<CentralClient>()),
          m_options.historyPerField))
    , m_tick(this) // children: they move to another thread with this object
    , m_tokens(this)
{
    qRegisterMetaType<ObservationBatch>();
    qRegisterMetaType<MonitorStatus>();
    // The application's network setting (proxy, CAs, transport) unless the caller gave the stream one.
    if (m_client && m_options.consumer.network == NetworkSettings {})
        m_options.consumer.network = m_client->profile().network;
    m_pipeline->setCollectFields(m_options.collectFields);
    m_pipeline->setStatsMinimum(m_options.statsMinimum);
    connect(&m_tokens, &QFutureWatcherBase::finished, this, &EventStream::tokensArrived);
    m_tick.setInterval(StatusIntervalMs);
    connect(&m_tick, &QTimer::timeout, this, &EventStream::publishStatus);
    m_rateClock.start();
}

EventStream::~EventStream()
{
    shutdown();
}

void EventStream::start()
{
    m_stopped = false;
    if (!m_consumers.empty() || m_askingTokens)
        return;
    m_failed = 0;
    if (m_options.target) {
        startConsumers({ *m_options.target });
    } else if (!m_client) {
        fail(tr("Not connected to an application, and no Event Hubs connection string."));
    } else {
        setPhase(MonitorStatus::Phase::GettingTokens, tr("Asking the application for its event hubs…"));
        // Not waited for: this thread stays free to stop. A slow application would otherwise hold
        // the stream (and closing the window) for the request's whole timeout.
        m_askingTokens = true;
        m_tokens.setFuture(m_client->eventSasTokens());
    }
}

void EventStream::tokensArrived()
{
    m_askingTokens = false;
    if (m_stopped)
        return;
    if (m_tokens.future().resultCount() == 0) { // cancelled: the REST client went away
        fail(tr("The request for the application's event hubs was cancelled."));
        return;
    }
    const auto r = m_tokens.result();
    if (!r.ok()) {
        fail(eventHubTokensError(r.error));
        return;
    }
    QString error;
    const auto targets = EventHubTarget::fromEventSasTokens(*r.value, error);
    if (targets.isEmpty()) {
        fail(error);
        return;
    }
    startConsumers(targets);
}

void EventStream::startConsumers(const QList<EventHubTarget>& targets)
{
    QStringList hubs;
    for (const auto& t : targets) {
        hubs << t.entityPath;
        auto c = std::make_unique<EventHubConsumer>(t, m_options.consumer);
        if (!m_options.target) // the application's tokens expire: ask it for new ones in time
            renewTokensThrough(m_client, c.get(), t.entityPath);
        connect(c.get(), &EventHubConsumer::eventsAvailable, this, &EventStream::drain);
        connect(c.get(), &EventHubConsumer::stateChanged, this, &EventStream::publishStatus);
        connect(c.get(), &EventHubConsumer::failed, this, &EventStream::consumerFailed);
        m_consumers.push_back(std::move(c));
    }
    m_hubs = hubs;
    setPhase(MonitorStatus::Phase::Running, tr("Reading %1").arg(hubs.join(QStringLiteral(", "))));
    Q_EMIT started(hubs);
    if (m_stopped || m_consumers.empty()) // stopped by whoever heard it
        return;
    for (auto& c : m_consumers)
        c->start();
    m_tick.start();
}

void EventStream::consumerFailed(const QString& why)
{
    m_consumerFailure = why;
    if (++m_failed == static_cast<int>(m_consumers.size()))
        fail(why);
    else
        publishStatus();
}

void EventStream::stop()
{
    m_stopped = true; // tokens still on their way are not used
    // Stop receiving first, then hand on everything received: nothing in between is lost.
    for (auto& c : m_consumers)
        c->stop();
    drain();
    retireConsumers();
    m_tick.stop();
    stopCapture();
    setPhase(MonitorStatus::Phase::Stopped, tr("Stopped"));
}

void EventStream::shutdown()
{
    m_stopped = true;
    // The capture first: complete, and never open beside a new capture of the same file.
    if (m_capture) {
        m_capture->close();
        m_capture.reset();
    }
    for (auto& c : m_consumers)
        c->stop();
    m_consumers.clear();
    m_tick.stop();
}

void EventStream::retireConsumers()
{
    for (const auto& c : m_consumers) {
        m_retiredDropped += c->dropped();
        m_retiredFiltered += c->filtered();
        m_retiredReconnects += c->reconnects();
    }
    m_consumers.clear();
}

QString EventStream::startCapture(const QString& path)
{
    try {
        auto writer = std::make_unique<CaptureWriter>(path);
        stopCapture();
        m_capture = std::move(writer);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    m_status.captureError.clear();
    publishStatus();
    return {};
}

void EventStream::stopCapture()
{
    if (!m_capture)
        return;
    m_status.captureError = m_capture->close();
    m_status.captured = m_capture->written();
    m_status.captureFailed = m_capture->failed();
    m_capture.reset();
    publishStatus();
}

void EventStream::feed(std::vector<TelemetryEvent> events)
{
    if (events.empty() || closing())
        return;
    m_status.received += events.size();
    hand(std::move(events));
}

void EventStream::drain()
{
    for (auto& c : m_consumers) {
        for (;;) {
            if (closing() || m_limitReached)
                return; // a shutdown follows, or enough was taken: what is queued is dropped
            size_t most = TakeAtOnce;
            if (m_options.maxEvents > 0)
                most
                    = std::min(most, static_cast<size_t>(m_options.maxEvents - static_cast<qint64>(m_status.received)));
            auto events = c->take(most);
            if (events.empty())
                break;
            m_status.received += events.size();
            if (m_capture) {
                for (const auto& e : events)
                    m_capture->write(e);
                m_capture->flush();
            }
            hand(std::move(events));
            if (m_options.maxEvents > 0 && static_cast<qint64>(m_status.received) >= m_options.maxEvents) {
                m_limitReached = true;
                Q_EMIT limitReached();
                return;
            }
        }
    }
}

// Hands a batch on: raw to whoever listens, then validated.
void EventStream::hand(std::vector<TelemetryEvent> events)
{
    if (closing())
        return;
    Q_EMIT eventsReceived(events);
    if (!m_options.validate || closing())
        return;
    auto batch = std::make_shared<std::vector<Observation>>(m_pipeline->process(std::move(events)));
    if (closing())
        return;
    Q_EMIT observations(batch);
}

void EventStream::fail(const QString& reason)
{
    setPhase(MonitorStatus::Phase::Failed, reason);
    if (!closing())
        Q_EMIT failed(reason);
}

void EventStream::setPhase(MonitorStatus::Phase phase, const QString& message)
{
    m_status.phase = phase;
    m_status.message = message;
    publishStatus();
}

void EventStream::publishStatus()
{
    if (closing())
        return;
    m_status.partitions.clear();
    m_status.route.clear();
    m_status.dropped = m_retiredDropped;
    m_status.filtered = m_retiredFiltered;
    m_status.reconnects = m_retiredReconnects;
    for (const auto& c : m_consumers) {
        for (auto p : c->partitions())
            m_status.partitions.push_back(std::move(p));
        m_status.dropped += c->dropped();
        m_status.filtered += c->filtered();
        m_status.reconnects += c->reconnects();
        if (const QString route = c->route(); !route.isEmpty() && m_status.route.isEmpty())
            m_status.route = route;
    }
    if (m_status.route != m_announcedRoute) {
        m_announcedRoute = m_status.route;
        if (!m_announcedRoute.isEmpty())
            Q_EMIT routeChanged(m_announcedRoute);
    }
    const qint64 ms = m_rateClock.elapsed();
    if (ms >= StatusIntervalMs) {
        m_status.eventsPerSecond
            = static_cast<double>(m_status.received - m_rateBase) * 1000.0 / static_cast<double>(ms);
        m_rateBase = m_status.received;
        m_rateClock.restart();
    }
    m_status.capturing = m_capture != nullptr;
    if (m_capture) {
        m_status.captured = m_capture->written();
        m_status.captureFailed = m_capture->failed();
    }
    m_status.evictedDevices = m_pipeline->evictions().devices;
    m_status.evictedFields = m_pipeline->evictions().fields;
    Q_EMIT statusChanged(m_status);
}

} // namespace iotc
