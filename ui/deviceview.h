#pragma once

#include "monitor/livemonitor.h"
#include "report/devicerecord.h"

#include <QWidget>

class QLabel;
class QTabWidget;
class QTableView;

namespace iotc {

class Session;
class ProvisioningPanel;
class TelemetryPane;
class PropertiesPane;
class RawDataPane;
class IssueSummaryModel;
class DiagnosePane;
class ConnectivityPane;

// Everything about the selected device, one tab per question: Status (provisioning), Telemetry,
// Properties, Raw data, Issues, Diagnose, Connectivity (the probe as the device).
class DeviceView : public QWidget {
    Q_OBJECT
public:
    explicit DeviceView(Session* session, QWidget* parent = nullptr);

    void setDevice(const QString& deviceId);
    const QString& deviceId() const { return m_device; }
    void append(const ObservationBatch& batch);
    bool showTab(const QString& name); // status, telemetry, properties, raw, issues, diagnose, connectivity

    ProvisioningPanel* provisioning() const { return m_provisioning; }
    TelemetryPane* telemetry() const { return m_telemetry; }
    PropertiesPane* properties() const { return m_properties; }
    RawDataPane* rawData() const { return m_raw; }
    IssueSummaryModel* issues() const { return m_issues; }
    DiagnosePane* diagnose() const { return m_diagnose; }
    ConnectivityPane* connectivity() const { return m_connectivity; }
    // This device's live messages as core values, for the export (bounded; not capped by a table).
    const DeviceRecord& record() const { return m_record; }
    QTabWidget* tabs() const { return m_tabs; }

Q_SIGNALS:
    void exportRequested();
    void screenshotRequested();
    void networkCheckRequested();

private:
    Session* m_session;
    QString m_device;
    QLabel* m_header;
    QTabWidget* m_tabs;
    ProvisioningPanel* m_provisioning;
    TelemetryPane* m_telemetry;
    PropertiesPane* m_properties;
    RawDataPane* m_raw;
    IssueSummaryModel* m_issues;
    QTableView* m_issuesView;
    DiagnosePane* m_diagnose;
    ConnectivityPane* m_connectivity;
    DeviceRecord m_record;
};

} // namespace iotc
