#pragma once

#include "monitor/livemonitor.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTextBrowser;
class QSortFilterProxyModel;

namespace iotc {

class RawDataModel;
class RawDataFilter;

// The Raw data table with its filters (text, issue code, only messages with problems) and a detail
// view of the selected message: the payload with its marks, every issue with its suggestion, the
// annotations, application properties and the raw bytes.
class RawDataPane : public QWidget {
    Q_OBJECT
public:
    explicit RawDataPane(bool showDeviceColumn, QWidget* parent = nullptr);

    RawDataModel* model() const { return m_model; }
    QSortFilterProxyModel* filtered() const;
    QTableView* view() const { return m_view; }
    QTextBrowser* detail() const { return m_detail; }

    void setDevice(const QString& deviceId);
    void append(const ObservationBatch& batch);
    void setOnlyProblems(bool on);
    void setCodeFilter(const QString& code);
    void setTextFilter(const QString& text);
    void selectRow(int filteredRow);

private:
    void showDetail();
    void updateSummary();

    RawDataModel* m_model;
    RawDataFilter* m_filter;
    QLineEdit* m_text;
    QComboBox* m_code;
    QCheckBox* m_problems;
    QCheckBox* m_follow;
    QLabel* m_summary;
    QTableView* m_view;
    QTextBrowser* m_detail;
    QTimer m_textDebounce;
};

} // namespace iotc
