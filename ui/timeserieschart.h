#pragma once

#include <QChartView>
#include <QPointF>

#include <deque>

class QLineSeries;
class QDateTimeAxis;
class QValueAxis;

namespace iotc {

// The time-series chart (the overview has a bar chart of its own, causechart.h): a numeric field
// over time (UTC), fed with (ms since epoch, value) points.
class TimeSeriesChart : public QChartView {
    Q_OBJECT
public:
    explicit TimeSeriesChart(QWidget* parent = nullptr);

    void plot(const QString& title, const std::deque<QPointF>& points);
    void clear(const QString& message);
    QString title() const { return m_title; }
    int pointCount() const;

private:
    QLineSeries* m_series;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    QString m_title;
};

} // namespace iotc
