#pragma once

#include "template/capabilityindex.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

namespace iotc {

class TemplatePane;
class PayloadPane;
class DemoPane;

namespace sim {
class SimulatedApp;
}

// Assembles the panes and actions; holds no logic of its own beyond wiring.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a template file on a worker thread and shows it when ready.
    void openTemplate(const QString& path);
    // The built-in demo: the temperature controller template and the guide's first example payload.
    void openDemo();

    // Starts the built-in simulated IoT Central app (on a worker thread) and shows what it serves.
    void startDemoApp();
    sim::SimulatedApp* demoApp() const { return m_demo.get(); }

    TemplatePane* templatePane() const { return m_templatePane; }
    PayloadPane* payloadPane() const { return m_payloadPane; }

Q_SIGNALS:
    void templateLoaded(bool ok);
    void demoAppStarted(bool ok);

private:
    struct LoadResult {
        std::shared_ptr<const DeviceTemplate> tpl;
        QString error;
    };
    void createActions();
    void startLoad(const QString& label, std::function<LoadResult()> job);
    void loadFinished();

    TemplatePane* m_templatePane;
    std::unique_ptr<sim::SimulatedApp> m_demo;
    QFutureWatcher<QString> m_demoStarter;
    PayloadPane* m_payloadPane;
    DemoPane* m_demoPane;
    QFutureWatcher<LoadResult> m_loader;
    QString m_loading;
};

} // namespace iotc
