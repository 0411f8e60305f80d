#pragma once

#include "template/capabilityindex.h"
#include "validate/issue.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QPlainTextEdit;
class QLineEdit;
class QComboBox;
class QTableView;
class QLabel;
class QPushButton;

namespace iotc {

class IssueModel;

// Paste a payload, say what the message carried, validate against the loaded template (on a
// worker thread) and read the issues.
class PayloadPane : public QWidget {
    Q_OBJECT
public:
    explicit PayloadPane(QWidget* parent = nullptr);

    void setTemplate(std::shared_ptr<const DeviceTemplate> tpl);
    void setPayload(const QString& text);
    void setComponent(const QString& component);
    IssueModel* issueModel() const { return m_model; }

public Q_SLOTS:
    void validate();

Q_SIGNALS:
    void validated(int issueCount);

private:
    void showResult();

    std::shared_ptr<const DeviceTemplate> m_template;
    QPlainTextEdit* m_payload;
    QComboBox* m_kind;
    QLineEdit* m_component;
    QLineEdit* m_module;
    QLineEdit* m_contentType;
    QLineEdit* m_contentEncoding;
    QPushButton* m_validate;
    QLabel* m_summary;
    QTableView* m_table;
    IssueModel* m_model;
    QFutureWatcher<std::vector<Issue>> m_watcher;
};

} // namespace iotc
