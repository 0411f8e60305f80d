#include "knowledgepane.h"

#include "devicelogfile.h"

#include "screenshotsafe.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

KnowledgePane::KnowledgePane(QWidget* parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_results(new QListWidget(this))
    , m_entry(new QTextBrowser(this))
    , m_log(new QPlainTextEdit(this))
    , m_findings(new QTableWidget(0, 4, this))
    , m_scanSummary(new QLabel(this))
{
    m_search->setPlaceholderText(tr("Search codes and messages: 401002, IoTHubUnauthorized, throttled…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search error codes"));
    m_results->setAccessibleName(tr("Error codes"));
    m_entry->setAccessibleName(tr("Error code explanation"));
    m_log->setPlaceholderText(tr("Paste a device log here (or Load…), then Scan."));
    m_log->setAccessibleName(tr("Device log"));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_findings->setHorizontalHeaderLabels({ tr("Line"), tr("Code"), tr("What it means"), tr("What to do") });
    m_findings->horizontalHeader()->setStretchLastSection(true);
    m_findings->verticalHeader()->hide();
    m_findings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_findings->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findings->setAccessibleName(tr("Codes found in the log"));
    m_scanSummary->setObjectName(QStringLiteral("scanSummary"));

    auto* load = new QPushButton(tr("&Load log…"), this);
    auto* scanButton = new QPushButton(tr("&Scan"), this);
    scanButton->setShortcut(QKeySequence(QStringLiteral("Ctrl+Return")));
    scanButton->setToolTip(tr("Find every known error code in the log (Ctrl+Enter)"));

    auto* codes = new QWidget(this);
    auto* codesLayout = new QVBoxLayout(codes);
    codesLayout->setContentsMargins(0, 0, 0, 0);
    codesLayout->addWidget(m_search);
    auto* codesSplit = new QSplitter(Qt::Horizontal, codes);
    codesSplit->addWidget(m_results);
    codesSplit->addWidget(m_entry);
    codesSplit->setStretchFactor(1, 2);
    codesLayout->addWidget(codesSplit, 1);

    auto* logs = new QWidget(this);
    auto* logsLayout = new QVBoxLayout(logs);
    logsLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_scanSummary, 1);
    bar->addWidget(load);
    bar->addWidget(scanButton);
    logsLayout->addLayout(bar);
    auto* logSplit = new QSplitter(Qt::Vertical, logs);
    logSplit->addWidget(m_log);
    logSplit->addWidget(m_findings);
    logsLayout->addWidget(logSplit, 1);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(codes);
    split->addWidget(logs);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_search, &QLineEdit::textChanged, this, &KnowledgePane::search);
    connect(m_results, &QListWidget::currentRowChanged, this, &KnowledgePane::showEntry);
    connect(scanButton, &QPushButton::clicked, this, &KnowledgePane::scan);
    connect(load, &QPushButton::clicked, this, [this] {
        openDeviceLog(this, [this](const QString& text, const QString&, const QString& error) {
            if (!error.isEmpty()) {
                m_scanSummary->setText(error);
                return;
            }
            setLog(text);
            scan();
        });
    });
    connect(&m_watcher, &QFutureWatcher<LogScan>::finished, this, &KnowledgePane::showFindings);
    connect(m_findings, &QTableWidget::currentCellChanged, this, [this](int row) {
        const int line = m_findings->item(row, 0) ? m_findings->item(row, 0)->text().toInt() : 0;
        if (line <= 0)
            return;
        QTextCursor c(m_log->document()->findBlockByNumber(line - 1));
        m_log->setTextCursor(c);
        m_log->centerCursor();
    });
    search({});
}

KnowledgePane::~KnowledgePane()
{
    m_watcher.waitForFinished();
}

void KnowledgePane::search(const QString& text)
{
    if (m_search->text() != text)
        m_search->setText(text);
    m_results->clear();
    const auto& kb = KnowledgeBase::builtIn();
    std::vector<const KnowledgeEntry*> hits;
    if (text.trimmed().isEmpty()) {
        for (const auto& e : kb.entries())
            hits.push_back(&e);
    } else {
        hits = kb.search(text.trimmed().toStdString());
    }
    for (const auto* e : hits) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(q(e->code), q(e->title)), m_results);
        item->setData(Qt::UserRole, q(e->code));
    }
    if (m_results->count() > 0)
        m_results->setCurrentRow(0);
    else
        m_entry->setHtml(tr("<p>No code or message matches “%1”.</p>").arg(text.toHtmlEscaped()));
}

QString KnowledgePane::entryText() const
{
    return m_entry->toPlainText();
}

void KnowledgePane::showEntry()
{
    auto* item = m_results->currentItem();
    const auto* e = item ? KnowledgeBase::builtIn().byCode(item->data(Qt::UserRole).toString().toStdString()) : nullptr;
    if (!e)
        return;
    QString aliases;
    for (const auto& a : e->aliases)
        aliases += (aliases.isEmpty() ? QString() : QStringLiteral(", ")) + q(a);
    m_entry->setHtml(
        tr("<h3>%1 <small>(%2, %3)</small></h3><p>%4</p><p><b>What to do:</b> %5</p>%6<p><small>Source: "
           "%7</small></p>")
            .arg(q(e->code).toHtmlEscaped(), q(e->kind).toHtmlEscaped(), QString::fromLatin1(severityName(e->severity)),
                q(e->description).toHtmlEscaped(), q(e->mitigation).toHtmlEscaped(),
                aliases.isEmpty() ? QString() : tr("<p>Also written as: %1</p>").arg(aliases.toHtmlEscaped()),
                q(e->source).toHtmlEscaped()));
}

void KnowledgePane::setLog(const QString& text)
{
    // Device logs often hold connection strings: masked while screenshot-safe mode is on (the
    // codes the scan looks for are not secrets, so it finds the same).
    m_log->setPlainText(displaySafe(text));
}

void KnowledgePane::scan()
{
    if (m_watcher.isRunning())
        return;
    m_scanSummary->setText(tr("Scanning…"));
    // The scan runs on a pool thread over a copy of the text.
    m_watcher.setFuture(QtConcurrent::run([bytes = m_log->toPlainText().toUtf8()] {
        return scanLog(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
    }));
}

void KnowledgePane::showFindings()
{
    const LogScan s = m_watcher.result();
    m_findings->setRowCount(0);
    m_findings->setRowCount(static_cast<int>(s.findings.size()));
    QList<QTextEdit::ExtraSelection> marks;
    int row = 0;
    for (const auto& f : s.findings) {
        m_findings->setItem(row, 0, new QTableWidgetItem(QString::number(f.line)));
        m_findings->setItem(row, 1, new QTableWidgetItem(q(f.entry->code)));
        m_findings->setItem(
            row, 2, new QTableWidgetItem(q(f.entry->title) + QStringLiteral(": ") + q(f.entry->description)));
        m_findings->setItem(row, 3, new QTableWidgetItem(q(f.entry->mitigation)));
        for (int c = 0; c < 4; ++c)
            m_findings->item(row, c)->setToolTip(displaySafe(q(f.text)));
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_log->document()->findBlockByNumber(static_cast<int>(f.line) - 1));
        mark.format.setBackground(f.entry->severity == Severity::Error ? QColor(0xffd7d5) : QColor(0xfff1b8));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        marks << mark;
        ++row;
    }
    m_log->setExtraSelections(marks);
    m_scanSummary->setText(tr("%1 line(s), %2 code(s) found%3")
                               .arg(s.lines)
                               .arg(s.findings.size())
                               .arg(s.dropped ? tr(", %1 more not listed").arg(s.dropped) : QString()));
    Q_EMIT scanned(static_cast<int>(s.findings.size()));
}

} // namespace iotc
