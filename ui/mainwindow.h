#pragma once

#include "template/capabilityindex.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

namespace iotc {

class TemplatePane;
class PayloadPane;

// Assembles the panes and actions; holds no logic of its own beyond wiring.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads a template file on a worker thread and shows it when ready.
    void openTemplate(const QString& path);
    // The built-in demo: the temperature controller template and the guide's first example payload.
    void openDemo();

    TemplatePane* templatePane() const { return m_templatePane; }
    PayloadPane* payloadPane() const { return m_payloadPane; }

Q_SIGNALS:
    void templateLoaded(bool ok);

private:
    struct LoadResult {
        std::shared_ptr<const DeviceTemplate> tpl;
        QString error;
    };
    void createActions();
    void startLoad(const QString& label, std::function<LoadResult()> job);
    void loadFinished();

    TemplatePane* m_templatePane;
    PayloadPane* m_payloadPane;
    QFutureWatcher<LoadResult> m_loader;
    QString m_loading;
};

} // namespace iotc
