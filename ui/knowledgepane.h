#pragma once

#include "knowledge/logscanner.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QTableWidget;
class QTextBrowser;

namespace iotc {

// Error codes and device logs: a searchable knowledge base (every code and status of the guide)
// and a box to paste or load a device log, scanned on a worker thread, with each code found
// highlighted on its line and explained.
class KnowledgePane : public QWidget {
    Q_OBJECT
public:
    explicit KnowledgePane(QWidget* parent = nullptr);
    ~KnowledgePane() override;

    void search(const QString& text);
    void setLog(const QString& text);
    void scan();
    QListWidget* results() const { return m_results; }
    QTableWidget* findings() const { return m_findings; }
    QString entryText() const;

Q_SIGNALS:
    void scanned(int findings);

private:
    void showEntry();
    void showFindings();

    QLineEdit* m_search;
    QListWidget* m_results;
    QTextBrowser* m_entry;
    QPlainTextEdit* m_log;
    QTableWidget* m_findings;
    QLabel* m_scanSummary;
    QFutureWatcher<LogScan> m_watcher;
};

} // namespace iotc
