#include "rawdatapane.h"

#include "payloaddelegate.h"
#include "rawdatamodel.h"
#include "screenshotsafe.h"
#include "validate/issue.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace iotc {

class RawDataFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString text;
    QString code;
    bool onlyProblems = false;
    void refresh() { invalidateRowsFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex&) const override
    {
        const QModelIndex i = sourceModel()->index(row, 0);
        if (onlyProblems && !i.data(RawDataModel::HasProblemsRole).toBool())
            return false;
        if (!code.isEmpty() && !i.data(RawDataModel::IssueCodesRole).toStringList().contains(code))
            return false;
        return text.isEmpty() || i.data(RawDataModel::SearchTextRole).toString().contains(text, Qt::CaseInsensitive);
    }
};

RawDataPane::RawDataPane(bool showDeviceColumn, QWidget* parent)
    : QWidget(parent)
    , m_model(new RawDataModel(20000, this))
    , m_filter(new RawDataFilter(this))
    , m_text(new QLineEdit(this))
    , m_code(new QComboBox(this))
    , m_problems(new QCheckBox(tr("Only messages with &problems"), this))
    , m_follow(new QCheckBox(tr("&Follow newest"), this))
    , m_summary(new QLabel(this))
    , m_view(new QTableView(this))
    , m_detail(new QTextBrowser(this))
{
    m_filter->setSourceModel(m_model);
    m_text->setPlaceholderText(tr("Filter by text in the payload or device id"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Raw data text filter"));
    m_code->addItem(tr("All issue codes"), QString());
    m_code->setAccessibleName(tr("Issue code filter"));
    m_follow->setChecked(true);
    m_summary->setObjectName(QStringLiteral("rawSummary"));
    m_view->setModel(m_filter);
    m_view->setItemDelegateForColumn(RawDataModel::PayloadColumn, new PayloadDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_view->setColumnWidth(RawDataModel::TimeColumn, 100);
    m_view->setColumnWidth(RawDataModel::DeviceColumn, 150);
    m_view->setColumnWidth(RawDataModel::TypeColumn, 80);
    m_view->setColumnWidth(RawDataModel::ComponentColumn, 110);
    m_view->setColumnWidth(RawDataModel::ModuleColumn, 70);
    m_view->setColumnWidth(RawDataModel::PayloadColumn, 380);
    m_view->setColumnWidth(RawDataModel::UnmodeledColumn, 130);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnHidden(RawDataModel::DeviceColumn, !showDeviceColumn);
    m_view->setAccessibleName(tr("Raw data"));
    m_detail->setAccessibleName(tr("Message detail"));
    m_detail->setPlaceholderText(tr("Select a message to see its issues, annotations and raw bytes."));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_text, 2);
    bar->addWidget(m_code, 1);
    bar->addWidget(m_problems);
    bar->addWidget(m_follow);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    // Debounced: each change filters up to 20,000 payloads.
    m_textDebounce.setSingleShot(true);
    m_textDebounce.setInterval(250);
    connect(m_text, &QLineEdit::textChanged, &m_textDebounce, qOverload<>(&QTimer::start));
    connect(&m_textDebounce, &QTimer::timeout, this, [this] { setTextFilter(m_text->text()); });
    connect(m_code, &QComboBox::currentIndexChanged, this, [this] { setCodeFilter(m_code->currentData().toString()); });
    connect(m_problems, &QCheckBox::toggled, this, &RawDataPane::setOnlyProblems);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RawDataPane::showDetail);
    connect(m_model, &RawDataModel::countsChanged, this, &RawDataPane::updateSummary);
    // The detail is rendered text: render it again when screenshot-safe mode changes.
    connect(screenshotSafeNotifier(), &ScreenshotSafeNotifier::changed, this, &RawDataPane::showDetail);
    updateSummary();
}

QSortFilterProxyModel* RawDataPane::filtered() const
{
    return m_filter;
}

void RawDataPane::setDevice(const QString& deviceId)
{
    m_model->setDeviceFilter(deviceId);
    m_detail->clear();
}

void RawDataPane::append(const ObservationBatch& batch)
{
    m_model->append(batch);
    for (const auto& o : *batch) {
        if (!m_model->deviceFilter().isEmpty() && o.event.deviceId != m_model->deviceFilter())
            continue;
        for (const auto& i : o.issues) {
            const QString code = QString::fromStdString(i.code);
            if (m_code->findData(code) < 0)
                m_code->addItem(code, code);
        }
    }
    if (m_follow->isChecked() && !m_view->selectionModel()->hasSelection())
        m_view->scrollToBottom();
}

void RawDataPane::setOnlyProblems(bool on)
{
    if (m_problems->isChecked() != on)
        m_problems->setChecked(on);
    m_filter->onlyProblems = on;
    m_filter->refresh();
    updateSummary();
}

void RawDataPane::setCodeFilter(const QString& code)
{
    if (m_code->currentData().toString() != code) {
        if (m_code->findData(code) < 0)
            m_code->addItem(code, code);
        m_code->setCurrentIndex(m_code->findData(code));
    }
    m_filter->code = code;
    m_filter->refresh();
    updateSummary();
}

void RawDataPane::setTextFilter(const QString& text)
{
    m_filter->text = text.trimmed();
    m_filter->refresh();
    updateSummary();
}

void RawDataPane::selectRow(int filteredRow)
{
    const QModelIndex i = m_filter->index(filteredRow, RawDataModel::TimeColumn);
    m_view->setCurrentIndex(i);
    m_view->scrollTo(i);
}

void RawDataPane::updateSummary()
{
    QString text = tr("%n message(s)", nullptr, static_cast<int>(m_model->total()));
    if (m_filter->rowCount() != m_model->rowCount())
        text += tr(", %1 shown by the filter").arg(m_filter->rowCount());
    if (m_model->evicted() > 0)
        text += tr(" — %1 older message(s) not kept (the table keeps the newest %2)")
                    .arg(m_model->evicted())
                    .arg(m_model->cap());
    m_summary->setText(text);
}

void RawDataPane::showDetail()
{
    const QModelIndex current = m_view->currentIndex();
    const Observation* o = current.isValid() ? m_model->observationAt(m_filter->mapToSource(current).row()) : nullptr;
    if (!o) {
        m_detail->clear();
        return;
    }
    const auto& e = o->event;
    QString html
        = QStringLiteral("<p><b>%1</b> · %2 · %3%4%5</p>")
              .arg(e.deviceId.toHtmlEscaped(),
                  QDateTime::fromMSecsSinceEpoch(e.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs),
                  messageType(*o).toHtmlEscaped(),
                  e.component.isEmpty() ? QString() : QStringLiteral(" · component ") + e.component.toHtmlEscaped(),
                  e.moduleId.isEmpty() ? QString() : QStringLiteral(" · module ") + e.moduleId.toHtmlEscaped());
    html += QStringLiteral("<p style=\"font-family:monospace\">") + payloadHtml(*o, 4000) + QStringLiteral("</p>");
    if (o->issues.empty()) {
        html += tr("<p>✔ No issues: every field is modeled in template %1 and matches its schema.</p>")
                    .arg(o->templateId.toHtmlEscaped());
    } else {
        html += QStringLiteral("<ul>");
        for (const auto& i : o->issues) {
            html += QStringLiteral("<li><b>%1</b> <code>%2</code>%3: %4")
                        .arg(QString::fromLatin1(severityName(i.severity)),
                            QString::fromStdString(i.code).toHtmlEscaped(),
                            i.path.empty() ? QString()
                                           : QStringLiteral(" at <code>")
                                    + QString::fromStdString(i.path).toHtmlEscaped() + QStringLiteral("</code>"),
                            displaySafe(QString::fromStdString(i.message)).toHtmlEscaped());
            if (i.suggestion)
                html += QStringLiteral(" — <i>%1</i>").arg(QString::fromStdString(*i.suggestion).toHtmlEscaped());
            if (i.expected && i.code == codes::UnmodeledCapability)
                html += tr(" Modeled here: %1.").arg(QString::fromStdString(*i.expected).toHtmlEscaped());
            else if (i.expected)
                html += tr(" Expected %1").arg(QString::fromStdString(*i.expected).toHtmlEscaped())
                    + (i.actual ? tr(", got %1.").arg(displaySafe(QString::fromStdString(*i.actual)).toHtmlEscaped())
                                : QStringLiteral("."));
            html += QStringLiteral("</li>");
        }
        html += QStringLiteral("</ul>");
    }
    QStringList annotations;
    annotations << QStringLiteral("hub: %1, partition %2, sequence number %3, offset %4")
                       .arg(e.hub)
                       .arg(e.partition)
                       .arg(e.sequenceNumber)
                       .arg(e.offset);
    if (!e.modelId.isEmpty())
        annotations << QStringLiteral("dt-dataschema: ") + e.modelId;
    if (!e.authMethod.isEmpty())
        annotations << QStringLiteral("iothub-connection-auth-method: ") + e.authMethod;
    annotations << QStringLiteral("content-type: %1, content-encoding: %2")
                       .arg(e.contentType.value_or(QStringLiteral("(none)")),
                           e.contentEncoding.value_or(QStringLiteral("(none)")));
    for (const auto& [k, v] : e.applicationProperties)
        annotations << QStringLiteral("property %1: %2").arg(k, v);
    html += QStringLiteral("<p><b>Annotations and properties</b><br>")
        + displaySafe(annotations.join(QLatin1Char('\n')))
              .toHtmlEscaped()
              .replace(QLatin1Char('\n'), QStringLiteral("<br>"))
        + QStringLiteral("</p>");
    const QByteArray head = e.body.left(256);
    const QString bodyText = QString::fromUtf8(e.body);
    if (screenshotSafe() && displaySafe(bodyText) != bodyText)
        html += tr("<p><b>Raw bytes</b> (%1): hidden in screenshot-safe mode, the body holds a key or token.</p>")
                    .arg(e.body.size());
    else
        html += QStringLiteral("<p><b>Raw bytes</b> (%1, first %2 shown)<br><code>%3</code></p>")
                    .arg(e.body.size())
                    .arg(head.size())
                    .arg(QString::fromLatin1(head.toHex(' ')));
    m_detail->setHtml(html);
}

} // namespace iotc
