#pragma once

#include <QChartView>

#include <utility>
#include <vector>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;

namespace iotc {

// The overview's bar chart: devices by cause, one horizontal bar per cause, the largest on top.
// Clicking a bar names its cause (causeClicked).
class CauseChart : public QChartView {
    Q_OBJECT
public:
    explicit CauseChart(QWidget* parent = nullptr);

    // (cause code, label, devices), drawn in this order from the top.
    struct Bar {
        QString cause;
        QString label;
        int devices = 0;
    };
    void setBars(const std::vector<Bar>& bars);
    int barCount() const { return static_cast<int>(m_bars.size()); }
    const std::vector<Bar>& bars() const { return m_bars; }

Q_SIGNALS:
    void causeClicked(const QString& cause);

private:
    QHorizontalBarSeries* m_series;
    QBarSet* m_set;
    QBarCategoryAxis* m_categories;
    QValueAxis* m_values;
    std::vector<Bar> m_bars;
};

} // namespace iotc
