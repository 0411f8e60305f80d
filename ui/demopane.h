#pragma once

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace iotc {

namespace sim {
struct SimEndpoints;
struct ScenarioCatalog;
} // namespace sim

// What the built-in demo app is: where it listens and which device acts out which situation of
// the troubleshooting guide.
class DemoPane : public QWidget {
    Q_OBJECT
public:
    explicit DemoPane(QWidget* parent = nullptr);

    void showStarting();
    void showRunning(const sim::SimEndpoints& endpoints, const sim::ScenarioCatalog& catalog);
    void showFailed(const QString& error);

private:
    QLabel* m_status;
    QTreeWidget* m_devices;
};

} // namespace iotc
