#pragma once

#include "triage/fleettriage.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace iotc {

class CauseChart;

// The application overview, the first view after connecting: every device judged by fleet triage
// (core/triage, fed by the live stream on its own thread), as the counts line, a bar chart of
// devices by cause, and the devices with problems grouped by cause with the advice beside each
// group. Painted from ready results (at most one a second); a group shows at most
// MaxDevicesPerGroup devices (the rest counted), so 100,000 devices stay responsive.
class OverviewPane : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPane(QWidget* parent = nullptr);

    static constexpr int MaxDevicesPerGroup = 200;

    void clear(const QString& message);
    void setResult(const std::shared_ptr<const TriageResult>& result);
    // What the overview cannot see, said above it (the stream is off or failed); empty: nothing.
    void setBlindness(const QString& why);
    void setApplication(const QString& name) { m_application = name; }

    const std::shared_ptr<const TriageResult>& result() const { return m_result; }
    QString countsText() const;
    QTreeWidget* groups() const { return m_groups; }
    CauseChart* chart() const { return m_chart; }

Q_SIGNALS:
    void deviceActivated(const QString& deviceId, const iotc::TriageDevice& verdict);
    void causeActivated(const QString& cause, const QStringList& deviceIds);
    void screenshotRequested();

private:
    void activated(QTreeWidgetItem* item);
    void exportReport();

    QLabel* m_counts;
    QLabel* m_banner;
    CauseChart* m_chart;
    QTreeWidget* m_groups;
    QPushButton* m_export;
    QPushButton* m_copy;
    std::shared_ptr<const TriageResult> m_result;
    QString m_application;
};

} // namespace iotc
