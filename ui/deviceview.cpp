#include "deviceview.h"

#include "connectivitypane.h"
#include "diagnosepane.h"
#include "issuesummarymodel.h"
#include "propertiespane.h"
#include "provisioningpanel.h"
#include "rawdatapane.h"
#include "session.h"
#include "telemetrypane.h"

#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace iotc {

DeviceView::DeviceView(Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_header(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_provisioning(new ProvisioningPanel(this))
    , m_telemetry(new TelemetryPane(this))
    , m_properties(new PropertiesPane(this))
    , m_raw(new RawDataPane(false, this))
    , m_issues(new IssueSummaryModel(this))
    , m_issuesView(new QTableView(this))
    , m_diagnose(new DiagnosePane(this))
    , m_connectivity(new ConnectivityPane(this))
{
    setObjectName(QStringLiteral("deviceView"));
    QFont f = m_header->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setBold(true);
    m_header->setFont(f);
    m_header->setObjectName(QStringLiteral("deviceHeader"));
    m_issuesView->setModel(m_issues);
    m_issuesView->verticalHeader()->hide();
    m_issuesView->horizontalHeader()->setStretchLastSection(true);
    m_issuesView->setWordWrap(true);
    m_issuesView->setColumnWidth(IssueSummaryModel::ExampleColumn, 320);
    m_issuesView->setAccessibleName(tr("Issues by code"));
    m_tabs->addTab(m_provisioning, tr("&Status"));
    m_tabs->addTab(m_telemetry, tr("&Telemetry"));
    m_tabs->addTab(m_properties, tr("P&roperties"));
    m_tabs->addTab(m_raw, tr("Ra&w data"));
    m_tabs->addTab(m_issuesView, tr("&Issues"));
    m_tabs->addTab(m_diagnose, tr("Dia&gnose"));
    m_tabs->addTab(m_connectivity, tr("&Connectivity"));
    m_tabs->setDocumentMode(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    connect(m_diagnose, &DiagnosePane::finished, this, [this](const Diagnosis& d) { m_issues->addDiagnosis(d); });
    connect(m_diagnose, &DiagnosePane::exportRequested, this, &DeviceView::exportRequested);
    connect(m_diagnose, &DiagnosePane::screenshotRequested, this, &DeviceView::screenshotRequested);
    connect(m_connectivity, &ConnectivityPane::networkCheckRequested, this, &DeviceView::networkCheckRequested);
    setDevice({});
}

void DeviceView::setDevice(const QString& deviceId)
{
    m_device = deviceId;
    m_header->setText(
        deviceId.isEmpty() ? tr("Pick a device on the left (Ctrl+F to search, Ctrl+L to open by ID)") : deviceId);
    const auto client = m_session->client();
    m_provisioning->setDevice(deviceId.isEmpty() ? nullptr : client, deviceId);
    m_telemetry->setDevice(deviceId);
    m_properties->setDevice(deviceId.isEmpty() ? nullptr : client, m_session->workerThread(), deviceId);
    m_raw->setDevice(deviceId.isEmpty() ? QStringLiteral("\x01none") : deviceId);
    m_issues->setDevice(deviceId);
    m_record.setDevice(deviceId);
    m_diagnose->setTarget(m_session->profile(), m_session->eventHubTarget(), deviceId);
    m_connectivity->setTarget(m_session->profile(), deviceId);
}

void DeviceView::append(const ObservationBatch& batch)
{
    if (m_device.isEmpty())
        return;
    m_telemetry->append(batch);
    m_properties->noteEvents(batch);
    m_raw->append(batch);
    m_issues->append(batch);
    m_record.append(batch);
}

bool DeviceView::showTab(const QString& name)
{
    static const QStringList names { QStringLiteral("status"), QStringLiteral("telemetry"),
        QStringLiteral("properties"), QStringLiteral("raw"), QStringLiteral("issues"), QStringLiteral("diagnose"),
        QStringLiteral("connectivity") };
    const int i = names.indexOf(name.toLower());
    if (i < 0)
        return false;
    m_tabs->setCurrentIndex(i);
    return true;
}

} // namespace iotc
