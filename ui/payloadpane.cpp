#include "payloadpane.h"

#include "issuemodel.h"
#include "validate/payloadvalidator.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

PayloadPane::PayloadPane(QWidget* parent)
    : QWidget(parent)
    , m_payload(new QPlainTextEdit(this))
    , m_kind(new QComboBox(this))
    , m_component(new QLineEdit(this))
    , m_module(new QLineEdit(this))
    , m_contentType(new QLineEdit(QStringLiteral("application/json"), this))
    , m_contentEncoding(new QLineEdit(QStringLiteral("utf-8"), this))
    , m_validate(new QPushButton(tr("&Validate"), this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new IssueModel(this))
{
    setObjectName(QStringLiteral("payloadPane"));
    m_payload->setObjectName(QStringLiteral("payloadEdit"));
    m_payload->setAccessibleName(tr("Payload"));
    m_payload->setPlaceholderText(tr("Paste a telemetry or reported-properties payload, e.g. {\"temperature\": 21.5}"));
    m_payload->setFont(QFont(QStringLiteral("monospace")));
    m_kind->addItems({ tr("Telemetry"), tr("Reported properties") });
    m_kind->setAccessibleName(tr("Payload kind"));
    m_component->setObjectName(QStringLiteral("componentEdit"));
    m_component->setPlaceholderText(tr("none (dt-subject)"));
    m_module->setPlaceholderText(tr("none (IoT Edge module id)"));
    m_contentType->setPlaceholderText(tr("none"));
    m_contentEncoding->setPlaceholderText(tr("none"));
    m_validate->setObjectName(QStringLiteral("validateButton"));
    m_validate->setToolTip(tr("Validate the payload against the template (Ctrl+Return)"));
    m_summary->setObjectName(QStringLiteral("validationSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_table->setObjectName(QStringLiteral("issueTable"));
    m_table->setModel(m_model);
    m_table->setWordWrap(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    for (int c :
        { IssueModel::SeverityColumn, IssueModel::CodeColumn, IssueModel::PathColumn, IssueModel::ActualColumn })
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(IssueModel::MessageColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("Issues"));

    auto* form = new QFormLayout;
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Component"), m_component);
    form->addRow(tr("Module"), m_module);
    form->addRow(tr("Content type"), m_contentType);
    form->addRow(tr("Content encoding"), m_contentEncoding);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_payload, 1);
    layout->addLayout(form);
    layout->addWidget(m_validate);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 4);

    connect(m_validate, &QPushButton::clicked, this, &PayloadPane::validate);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(shortcut, &QShortcut::activated, this, &PayloadPane::validate);
    connect(&m_watcher, &QFutureWatcher<std::vector<Issue>>::finished, this, &PayloadPane::showResult);
    m_summary->setText(tr("Load a template, paste a payload, then Validate."));
}

void PayloadPane::setTemplate(std::shared_ptr<const DeviceTemplate> tpl)
{
    m_template = std::move(tpl);
}

void PayloadPane::setPayload(const QString& text)
{
    m_payload->setPlainText(text);
}

void PayloadPane::setComponent(const QString& component)
{
    m_component->setText(component);
}

void PayloadPane::validate()
{
    if (!m_template) {
        m_summary->setText(tr("Load a device template first (File → Open template…)."));
        return;
    }
    if (m_watcher.isRunning())
        return;
    MessageContext context;
    context.kind = m_kind->currentIndex() == 1 ? PayloadKind::ReportedProperties : PayloadKind::Telemetry;
    context.component = m_component->text().trimmed().toStdString();
    context.module = m_module->text().trimmed().toStdString();
    if (!m_contentType->text().trimmed().isEmpty())
        context.contentType = m_contentType->text().trimmed().toStdString();
    if (!m_contentEncoding->text().trimmed().isEmpty())
        context.contentEncoding = m_contentEncoding->text().trimmed().toStdString();
    const std::string body = m_payload->toPlainText().toStdString();
    m_validate->setEnabled(false);
    m_summary->setText(tr("Validating…"));
    // Parsing and validation run on a worker: the GUI thread only paints.
    m_watcher.setFuture(
        QtConcurrent::run([tpl = m_template, body, context] { return PayloadValidator(tpl).validate(body, context); }));
}

void PayloadPane::showResult()
{
    auto issues = m_watcher.result();
    size_t errors = 0, warnings = 0;
    for (const auto& i : issues) {
        errors += i.severity == Severity::Error;
        warnings += i.severity == Severity::Warning;
    }
    const int count = static_cast<int>(issues.size());
    m_model->setIssues(std::move(issues));
    m_table->resizeRowsToContents();
    m_summary->setText(count == 0
            ? tr("No issues: the payload matches the template.")
            : tr("%1 issue(s): %2 error(s), %3 warning(s).").arg(count).arg(errors).arg(warnings));
    m_validate->setEnabled(true);
    Q_EMIT validated(count);
}

} // namespace iotc
