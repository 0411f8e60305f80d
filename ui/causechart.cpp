#include "causechart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace iotc {

CauseChart::CauseChart(QWidget* parent)
    : QChartView(parent)
    , m_series(new QHorizontalBarSeries)
    , m_set(new QBarSet(tr("Devices")))
    , m_categories(new QBarCategoryAxis)
    , m_values(new QValueAxis)
{
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setTitle(tr("Devices by cause"));
    chart->setAnimationOptions(QChart::NoAnimation);
    m_set->setColor(QColor(0xb0, 0x3a, 0x2e));
    m_series->append(m_set);
    m_series->setLabelsVisible(true);
    m_series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(m_series);
    chart->addAxis(m_categories, Qt::AlignLeft);
    chart->addAxis(m_values, Qt::AlignBottom);
    m_series->attachAxis(m_categories);
    m_series->attachAxis(m_values);
    m_values->setLabelFormat(QStringLiteral("%d"));
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    setAccessibleName(tr("Devices by cause"));
    connect(m_set, &QBarSet::clicked, this, [this](int index) {
        // Drawn bottom-up: index 0 is the last bar of m_bars.
        const int i = static_cast<int>(m_bars.size()) - 1 - index;
        if (i >= 0 && i < static_cast<int>(m_bars.size()))
            Q_EMIT causeClicked(m_bars[static_cast<size_t>(i)].cause);
    });
}

void CauseChart::setBars(const std::vector<Bar>& bars)
{
    m_bars = bars;
    m_set->remove(0, m_set->count());
    QStringList labels;
    int most = 0;
    // A horizontal bar series draws its first category at the bottom: append in reverse.
    for (auto it = m_bars.rbegin(); it != m_bars.rend(); ++it) {
        labels << QStringLiteral("%1 (%2)").arg(it->label).arg(it->devices);
        m_set->append(it->devices);
        most = std::max(most, it->devices);
    }
    m_categories->clear();
    m_categories->append(labels);
    // Whole-device ticks from 0: a step of 1, 2, 5, 10, 20, 50 ... so that about five of them span the
    // longest bar (a fractional tick labelled %d would misstate every bar).
    int step = 1;
    for (int base = 1; step * 5 < most; base *= 10) {
        for (int m : { 1, 2, 5 }) {
            step = m * base;
            if (step * 5 >= most)
                break;
        }
    }
    const int upper = step * (most / step + 1);
    m_values->setTickType(QValueAxis::TicksDynamic);
    m_values->setTickAnchor(0);
    m_values->setTickInterval(step);
    m_values->setRange(0, upper);
}

} // namespace iotc
