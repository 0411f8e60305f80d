#pragma once

#include "diagnose/diagnosis.h"
#include "template/capabilityindex.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QTabWidget;
class QTableView;

namespace iotc {

class Session;
class SecretStore;
class TemplatePane;
class TemplateWorkspace;
class PayloadPane;
class DevicePicker;
class DeviceView;
class RawDataPane;
class DeviceActivityModel;
class KnowledgePane;
class MonitorStatusWidget;

namespace sim {
class SimulatedApp;
}

// Assembles the panes and actions and routes the session's data to them; the panes do the rest.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The Template tab: a template file, or the built-in demo template with the guide's payload.
    void openTemplate(const QString& path);
    void openDemoTemplate();
    // The built-in simulated app (started off the GUI thread) plus the demo template.
    void openDemo(bool withDemoTemplate = true);
    void showConnectDialog();

    Session* session() const { return m_session; }
    sim::SimulatedApp* demoApp() const;
    TemplatePane* templatePane() const;
    PayloadPane* payloadPane() const;
    DevicePicker* devicePicker() const { return m_picker; }
    DeviceView* deviceView() const { return m_deviceView; }
    RawDataPane* appRawData() const { return m_appRaw; }
    DeviceActivityModel* activity() const { return m_activity; }
    KnowledgePane* knowledgePane() const { return m_knowledge; }
    MonitorStatusWidget* monitorStatus() const { return m_monitorStatus; }
    QTabWidget* mainTabs() const { return m_tabs; }

    void selectDevice(const QString& id);
    bool showView(const QString& name); // device tabs (status, telemetry, …), app, codes, template
    // The device's report (findings, status, recent messages with issues), and writing it (blocking:
    // tests and --screenshot use it; the Export action writes on a worker thread).
    Diagnosis deviceReport() const;
    bool exportDeviceReport(const QString& path, QString& error);
    QImage screenshot();
    bool saveScreenshot(const QString& path);
    void copyScreenshot();
    void startCapture(const QString& path);
    void stopCapture();
    void replayCapture(const QString& path);

Q_SIGNALS:
    void templateLoaded(bool ok);
    void demoAppStarted(bool ok);
    void connected(bool ok);
    void devicesLoaded(qint64 count);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void wireSession();
    void showShortcuts();
    void exportInteractive();
    void restoreSettings();
    // Runs job (file writing) on a worker thread; a status-bar message or a warning when it is done.
    void runOffGuiThread(std::function<QString()> job, const QString& done, const QString& failedTitle);

    Session* m_session;
    DevicePicker* m_picker;
    QDockWidget* m_pickerDock;
    QTabWidget* m_tabs;
    DeviceView* m_deviceView;
    RawDataPane* m_appRaw;
    DeviceActivityModel* m_activity;
    QTableView* m_activityView;
    KnowledgePane* m_knowledge;
    TemplateWorkspace* m_template;
    MonitorStatusWidget* m_monitorStatus;
    QLabel* m_connection;
    std::shared_ptr<SecretStore> m_secrets; // one store: its in-memory fallback lasts the whole run
    QAction* m_monitorAction = nullptr;
    QAction* m_captureAction = nullptr;
    QList<QAction*> m_shortcutActions;
    bool m_demoRequested = false;
};

} // namespace iotc
