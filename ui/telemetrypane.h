#pragma once

#include "monitor/livemonitor.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace iotc {

class LatestValuesModel;
class TimeSeriesChart;

// Live telemetry for one device: the latest value of every field and a chart of the chosen
// numeric field (the first modeled one until the user clicks another). Pause freezes the view;
// what arrives meanwhile is counted and shown on resume.
class TelemetryPane : public QWidget {
    Q_OBJECT
public:
    explicit TelemetryPane(QWidget* parent = nullptr);

    void setDevice(const QString& deviceId);
    void append(const ObservationBatch& batch);
    void plotField(const QString& key);
    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    qint64 heldWhilePaused() const { return m_heldCount; }

    LatestValuesModel* model() const { return m_model; }
    TimeSeriesChart* chart() const { return m_chart; }
    QTableView* view() const { return m_view; }

private:
    void refreshChart();

    LatestValuesModel* m_model;
    QTableView* m_view;
    TimeSeriesChart* m_chart;
    QPushButton* m_pause;
    QLabel* m_summary;
    QString m_field;
    QTimer m_chartTimer;
    bool m_paused = false;
    bool m_chartDirty = false;
    std::vector<Observation> m_held; // this device's messages while paused, up to a cap
    qint64 m_skipped = 0; // over the cap, counted
    qint64 m_heldCount = 0;
    qint64 m_messages = 0;
    QString m_device;
};

} // namespace iotc
