#include "demopane.h"

#include "sim/scenariocatalog.h"
#include "sim/simulatedapp.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace iotc {

DemoPane::DemoPane(QWidget* parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_devices(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("demoPane"));
    m_status->setWordWrap(false);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setObjectName(QStringLiteral("demoStatus"));
    m_devices->setObjectName(QStringLiteral("demoDevices"));
    m_devices->setAccessibleName(tr("Demo devices and the situation each acts out"));
    m_devices->setHeaderLabels({ tr("Device"), tr("Situation"), tr("What it does") });
    m_devices->setRootIsDecorated(false);
    m_devices->setUniformRowHeights(true);
    m_devices->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_devices->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_devices);
}

void DemoPane::showStarting()
{
    m_status->setText(tr("Starting the simulated IoT Central app…"));
}

void DemoPane::showRunning(const sim::SimEndpoints& e, const sim::ScenarioCatalog& catalog)
{
    m_status->setText(tr("Simulated app \"%1\": %2 devices.\nREST and DPS on %3\nEvent Hubs on amqp://%4")
                          .arg(catalog.appName)
                          .arg(e.devices)
                          .arg(e.baseUrl, e.eventHubHost));
    m_devices->clear();
    for (const auto& d : catalog.devices) {
        auto* item = new QTreeWidgetItem(m_devices, { d.id, d.scenario, d.description });
        item->setToolTip(2, d.description);
    }
}

void DemoPane::showFailed(const QString& error)
{
    m_status->setText(tr("The simulated app could not start: %1").arg(error));
}

} // namespace iotc
