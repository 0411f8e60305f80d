#include "session.h"

#include "central/centralclient.h"
#include "central/queuedcontinuation.h"
#include "monitor/livemonitor.h"
#include "sim/simulatedapp.h"

#include <QThread>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

Session::Session(QObject* parent)
    : QObject(parent)
    , m_worker(new QThread(this))
{
    m_worker->setObjectName(QStringLiteral("workbench-worker"));
    m_worker->start();
    connect(&m_demoStarter, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = m_demoStarter.result();
        if (!error.isEmpty()) {
            m_demo.reset();
            Q_EMIT connectionFailed(tr("The demo app did not start: %1").arg(error));
            return;
        }
        const auto& e = m_demo->endpoints();
        ConnectionProfile profile = ConnectionProfile::forBaseUrl(e.baseUrl);
        profile.setToken(e.apiToken);
        profile.dpsEndpoint = e.dpsEndpoint;
        profile.timeoutMs = 10000;
        QString error2;
        connectTo(profile, EventHubTarget::fromConnectionString(e.eventHubConnectionString, error2));
    });
}

Session::~Session()
{
    m_monitor.reset();
    m_demoStarter.waitForFinished();
    m_worker->quit();
    m_worker->wait();
    m_client.reset();
    m_demo.reset();
}

QString Session::appLabel() const
{
    if (!m_client)
        return tr("not connected");
    const QUrl url(m_profile.baseUrl);
    return (m_demo ? tr("demo app at ") : QString()) + url.host()
        + (url.port() > 0 ? QLatin1Char(':') + QString::number(url.port()) : QString());
}

void Session::startDemo(int extraDevices)
{
    if (m_demo || m_demoStarter.isRunning())
        return;
    disconnect();
    Q_EMIT connecting(tr("Starting the demo app…"));
    sim::SimOptions options;
    options.extraDevices = extraDevices;
    m_demo = std::make_unique<sim::SimulatedApp>(options);
    // Binding sockets and starting threads is I/O: not on the GUI thread.
    m_demoStarter.setFuture(QtConcurrent::run([app = m_demo.get()]() -> QString {
        try {
            app->start();
            return {};
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    }));
}

void Session::connectTo(const ConnectionProfile& profile, std::optional<EventHubTarget> eventHub)
{
    m_monitor.reset();
    m_client.reset();
    Q_EMIT monitorChanged(nullptr);
    const int generation = ++m_generation;
    m_profile = profile;
    m_eventHub = std::move(eventHub);
    auto client = std::make_shared<CentralClient>(profile);
    Q_EMIT connecting(tr("Connecting to %1…").arg(QUrl(profile.baseUrl).host()));
    thenQueued(client->getJson(QStringLiteral("/deviceTemplates"), QStringLiteral("list device templates")), this,
        [this, client, generation](const Result<QJsonObject>& r) {
            if (generation != m_generation)
                return; // superseded by another connect
            if (!r.ok()) {
                QString text = r.error.summary();
                if (!r.error.explanation.isEmpty())
                    text += QStringLiteral("\n") + r.error.explanation;
                Q_EMIT connectionFailed(text);
                return;
            }
            m_client = client;
            Q_EMIT connected();
        });
}

void Session::disconnect()
{
    ++m_generation;
    m_monitor.reset();
    Q_EMIT monitorChanged(nullptr);
    m_client.reset();
    if (m_demo) {
        m_demoStarter.waitForFinished();
        m_demo.reset();
    }
}

void Session::startMonitor(const ConsumerStart& start, const QString& consumerGroup)
{
    if (!m_client)
        return;
    m_start = start;
    m_consumerGroup = consumerGroup.isEmpty() ? QStringLiteral("$Default") : consumerGroup;
    m_monitor.reset();
    LiveMonitorOptions options;
    options.consumer.start = m_start;
    options.consumer.consumerGroup = m_consumerGroup;
    options.target = m_eventHub;
    m_monitor = std::make_unique<LiveMonitor>(m_client, options);
    Q_EMIT monitorChanged(m_monitor.get());
    m_monitor->start();
}

void Session::replay(const QString& path)
{
    m_monitor.reset();
    LiveMonitorOptions options;
    options.target = m_eventHub;
    m_monitor = std::make_unique<LiveMonitor>(m_client, options);
    Q_EMIT monitorChanged(m_monitor.get());
    m_monitor->replay(path);
}

void Session::stopMonitor()
{
    if (m_monitor)
        m_monitor->stop();
}

} // namespace iotc
