#pragma once

#include "triage/livetriage.h"

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
// group. Painted from ready snapshots (at most one a second) whose groups hold at most
// LiveTriage::GroupSample devices each (the rest counted), so 100,000 devices stay responsive.
class OverviewPane : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPane(QWidget* parent = nullptr);

    void clear(const QString& message);
    // Paints a judgement made elsewhere (LiveTriage): its groups carry the devices shown per cause.
    void setSnapshot(const std::shared_ptr<const TriageSnapshot>& snapshot);
    // What the overview cannot see, said above it (the stream is off or failed); empty: nothing.
    void setBlindness(const QString& why);
    void setApplication(const QString& name) { m_application = name; }

    std::shared_ptr<const TriageResult> result() const { return m_snapshot ? m_snapshot->result : nullptr; }
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
    std::shared_ptr<const TriageSnapshot> m_snapshot;
    QString m_application;
};

} // namespace iotc
