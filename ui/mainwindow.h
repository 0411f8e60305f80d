#pragma once

#include "diagnose/diagnosis.h"
#include "monitor/livemonitor.h"
#include "net/netcheck.h"

#include <QMainWindow>

#include <functional>

class QAction;
class QDockWidget;
class QLabel;
class QTabWidget;

namespace iotc {

class AllDevicesPane;
class Session;
class SignInFlow;
class TemplatePane;
class TemplateWorkspace;
class PayloadPane;
class DevicePicker;
class DeviceView;
class RawDataPane;
class DeviceActivityModel;
class KnowledgePane;
class MonitorStatusWidget;
class OverviewPane;
class LiveTriage;

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
    SignInFlow* signIn() const { return m_signIn; }
    DevicePicker* devicePicker() const { return m_picker; }
    DeviceView* deviceView() const { return m_deviceView; }
    AllDevicesPane* allDevices() const { return m_allDevices; }
    RawDataPane* appRawData() const;
    DeviceActivityModel* activity() const;
    KnowledgePane* knowledgePane() const { return m_knowledge; }
    MonitorStatusWidget* monitorStatus() const { return m_monitorStatus; }
    QTabWidget* mainTabs() const { return m_tabs; }
    OverviewPane* overview() const { return m_overview; }

    // The main actions, kept by name: the toolbar is built from them, the shortcuts dialog lists
    // every action with a key (shortcutActions()).
    struct Actions {
        QAction* connect = nullptr;
        QAction* demo = nullptr;
        QAction* openTemplate = nullptr;
        QAction* exportReport = nullptr;
        QAction* saveScreenshot = nullptr;
        QAction* copyScreenshot = nullptr;
        QAction* monitor = nullptr;
        QAction* capture = nullptr;
        QAction* openCapture = nullptr;
        QAction* searchDevices = nullptr;
        QAction* openDevice = nullptr;
        QAction* diagnose = nullptr;
        QAction* screenshotSafe = nullptr;
        QAction* shortcuts = nullptr;
        QAction* netcheck = nullptr;
    };
    const Actions& mainActions() const { return m_actions; }
    QList<QAction*> toolBarActions() const;
    const QList<QAction*>& shortcutActions() const { return m_shortcutActions; }

    // Opens the device (in the picker when it is listed) and shows the Device page.
    void selectDevice(const QString& id);
    bool showView(const QString& name); // device tabs (status, telemetry, …), app, codes, template
    QString currentDevice() const;
    // Selects the device's newest Raw data message, so its detail shows (as a user clicking it).
    void selectNewestMessage();
    // A scripted run (--screenshot): nothing waits for a click (a failed connection is not a dialog).
    void setUnattended(bool on);
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
    void createToolBar();
    void wireSession();
    void routeObservations(const ObservationBatch& batch);
    void triageStreamStatus(const MonitorStatus& status);
    static constexpr double OverviewLookbackMinutes = 5;
    void showShortcuts();
    void showNetCheck();
    void exportInteractive();
    void restoreSettings();
    // Runs job (file writing) on a worker thread; a status-bar message or a warning when it is done.
    void runOffGuiThread(std::function<QString()> job, const QString& done, const QString& failedTitle);

    Session* m_session;
    DevicePicker* m_picker;
    QDockWidget* m_pickerDock;
    QTabWidget* m_tabs;
    OverviewPane* m_overview;
    LiveTriage* m_triage;
    bool m_triageListening = false;
    std::optional<NetCheckReport> m_lastNetCheck; // the last Tools > Check this network, for the device's report
    DeviceView* m_deviceView;
    AllDevicesPane* m_allDevices;
    KnowledgePane* m_knowledge;
    TemplateWorkspace* m_template;
    MonitorStatusWidget* m_monitorStatus;
    QLabel* m_connection;
    SignInFlow* m_signIn = nullptr;
    Actions m_actions;
    QList<QAction*> m_shortcutActions;
};

} // namespace iotc
