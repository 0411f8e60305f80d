#include "timeserieschart.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace iotc {

TimeSeriesChart::TimeSeriesChart(QWidget* parent)
    : QChartView(parent)
    , m_series(new QLineSeries)
    , m_x(new QDateTimeAxis)
    , m_y(new QValueAxis)
{
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->addSeries(m_series);
    m_x->setFormat(QStringLiteral("HH:mm:ss"));
    m_x->setTitleText(tr("UTC"));
    m_x->setTickCount(5);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setTheme(
        palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    setAccessibleName(tr("Telemetry chart"));
    clear(tr("Click a numeric field to plot it"));
}

int TimeSeriesChart::pointCount() const
{
    return static_cast<int>(m_series->count());
}

void TimeSeriesChart::clear(const QString& message)
{
    m_title.clear();
    m_series->clear();
    chart()->setTitle(message);
}

void TimeSeriesChart::plot(const QString& title, const std::deque<QPointF>& points)
{
    m_title = title;
    chart()->setTitle(title);
    QList<QPointF> list(points.begin(), points.end());
    m_series->replace(list);
    if (list.isEmpty())
        return;
    const auto [lo, hi] = std::minmax_element(
        list.begin(), list.end(), [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); });
    const double pad = std::max(1e-6, (hi->y() - lo->y()) * 0.1);
    m_y->setRange(lo->y() - pad, hi->y() + pad);
    const qint64 first = static_cast<qint64>(list.front().x());
    const qint64 last = std::max<qint64>(static_cast<qint64>(list.back().x()), first + 1000);
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(first, Qt::UTC), QDateTime::fromMSecsSinceEpoch(last, Qt::UTC));
}

} // namespace iotc
