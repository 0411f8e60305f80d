#include "propertywatch.h"

#include "propertymonitor.h"
#include "propertyvalidation.h"

#include "monitor/templateresolver.h"

namespace iotc {

PropertyWatch::PropertyWatch(std::shared_ptr<CentralClient> client, QString deviceId, int intervalMs)
    : m_client(std::move(client))
    , m_deviceId(std::move(deviceId))
    , m_intervalMs(intervalMs)
    , m_resolver(std::make_shared<TemplateResolver>(m_client))
{
    qRegisterMetaType<PropertyView>();
}

PropertyWatch::~PropertyWatch() = default;

void PropertyWatch::start()
{
    if (m_monitor)
        return;
    // The template first (blocking, on this worker thread): it names the components the REST
    // response nests and judges the reported values.
    const auto resolution = m_resolver->forDevice(m_deviceId);
    m_monitor = new PropertyMonitor(m_client, m_deviceId, this);
    m_monitor->setInterval(m_intervalMs);
    m_monitor->setComponentNames(componentNamesOf(resolution.validator.get()));
    connect(m_monitor, &PropertyMonitor::updated, this,
        [this, resolution](const PropertySnapshot& snapshot, const QList<PropertyChange>& changes) {
            PropertyView view { snapshot, changes,
                propertyIssues(snapshot, resolution.validator.get(), resolution.problem), resolution.templateId,
                m_monitor->polls() };
            Q_EMIT updated(view);
        });
    connect(m_monitor, &PropertyMonitor::pollFailed, this,
        [this](const CentralError& error) { Q_EMIT failed(error.summary()); });
    m_monitor->start();
}

void PropertyWatch::stop()
{
    if (m_monitor)
        m_monitor->stop();
}

void PropertyWatch::pollNow()
{
    if (!m_monitor)
        start();
    else
        m_monitor->start(); // polls at once and keeps the interval
}

} // namespace iotc
