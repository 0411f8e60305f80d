#include "netcheckdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

QSpinBox* portBox(int value)
{
    auto* box = new QSpinBox;
    box->setRange(1, 65535);
    box->setValue(value);
    return box;
}

QStringList hostsIn(const QString& text)
{
    QStringList hosts;
    for (const auto& h : text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        hosts << h.trimmed();
    return hosts;
}

} // namespace

NetCheckDialog::NetCheckDialog(const NetworkSettings& network, const QStringList& eventHubHosts, QWidget* parent)
    : QDialog(parent)
    , m_network(network)
    , m_eventHubHosts(eventHubHosts)
    , m_dps(new QLineEdit(QStringLiteral("global.azure-devices-provisioning.net")))
    , m_hubs(new QLineEdit)
    , m_mqttPort(portBox(8883))
    , m_amqpPort(portBox(5671))
    , m_websocketPort(portBox(443))
    , m_run(new QPushButton(tr("&Check")))
    , m_copy(new QPushButton(tr("C&opy results")))
    , m_table(new QTableWidget(0, 7))
    , m_verdict(new QLabel)
{
    setWindowTitle(tr("Check this network"));
    m_dps->setAccessibleName(tr("DPS endpoint"));
    m_hubs->setAccessibleName(tr("IoT hubs"));
    m_hubs->setPlaceholderText(tr("the devices' hubs, e.g. iotc-1234.azure-devices.net (comma-separated)"));
    m_mqttPort->setAccessibleName(tr("MQTT port"));
    m_amqpPort->setAccessibleName(tr("AMQP port"));
    m_websocketPort->setAccessibleName(tr("WebSockets port"));

    auto* form = new QFormLayout;
    form->addRow(tr("&DPS endpoint:"), m_dps);
    form->addRow(tr("IoT &hubs:"), m_hubs);
    auto* ports = new QHBoxLayout;
    ports->addWidget(new QLabel(tr("MQTT")));
    ports->addWidget(m_mqttPort);
    ports->addWidget(new QLabel(tr("AMQP")));
    ports->addWidget(m_amqpPort);
    ports->addWidget(new QLabel(tr("HTTPS/WebSockets")));
    ports->addWidget(m_websocketPort);
    ports->addStretch();
    form->addRow(tr("Ports:"), ports);
    const QString through = proxyDisplay(proxyFor(m_network, m_dps->text(), 443));
    form->addRow(tr("Proxy:"), new QLabel(through.isEmpty() ? tr("none (direct)") : through));

    m_table->setHorizontalHeaderLabels(
        { tr("Result"), tr("Endpoint"), tr("Protocol"), tr("DNS"), tr("TCP"), tr("TLS"), tr("Detail") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setWordWrap(true);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setText(tr("Checks DNS, TCP and TLS to each endpoint a device needs, and this machine's clock. "
                          "No credentials are used."));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_run, QDialogButtonBox::ActionRole);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    m_run->setDefault(true);
    m_copy->setEnabled(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_run, &QPushButton::clicked, this, &NetCheckDialog::run);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(reportText()); });
    connect(&m_watcher, &QFutureWatcher<NetCheckReport>::finished, this, [this] {
        m_report = m_watcher.result();
        showReport();
        m_run->setEnabled(true);
        m_copy->setEnabled(true);
        emit finished();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_verdict);
    layout->addWidget(buttons);
    resize(900, 480);
}

NetCheckDialog::~NetCheckDialog()
{
    // The check ends on its own within its time-outs; the dialog waits for it rather than
    // leaving a worker with nobody to report to.
    m_watcher.waitForFinished();
}

void NetCheckDialog::setTargets(const QString& dpsHost, const QStringList& hubHosts, const NetPorts& ports)
{
    m_dps->setText(dpsHost);
    m_hubs->setText(hubHosts.join(QStringLiteral(", ")));
    m_mqttPort->setValue(ports.mqtt);
    m_amqpPort->setValue(ports.amqp);
    m_websocketPort->setValue(ports.websocket);
}

void NetCheckDialog::run()
{
    if (m_watcher.isRunning())
        return;
    const NetPorts ports { m_mqttPort->value(), m_amqpPort->value(), m_websocketPort->value() };
    const auto targets = deviceTargets(m_dps->text().trimmed(), hostsIn(m_hubs->text()), m_eventHubHosts, ports);
    NetCheckOptions options;
    options.network = m_network;
    m_run->setEnabled(false);
    m_copy->setEnabled(false);
    m_table->setRowCount(0);
    m_verdict->setText(tr("Checking %n endpoint(s)…", nullptr, static_cast<int>(targets.size())));
    m_watcher.setFuture(QtConcurrent::run([targets, options] { return runNetCheck(targets, options); }));
}

void NetCheckDialog::showReport()
{
    m_table->setRowCount(static_cast<int>(m_report.targets.size()));
    int row = 0;
    for (const auto& r : m_report.targets) {
        const QString tls = r.tls.ok ? r.tls.protocol : r.tls.attempted ? tr("failed") : QString();
        const QStringList cells { r.passed ? tr("✔ passed") : tr("✖ failed"),
            QStringLiteral("%1 %2:%3").arg(r.target.role, r.target.host).arg(r.target.port),
            QString::fromLatin1(protocolName(r.target.protocol)), r.dnsMs >= 0 ? tr("%1 ms").arg(r.dnsMs) : QString(),
            r.tcpMs >= 0 ? tr("%1 ms").arg(r.tcpMs) : QString(), tls, r.detail };
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == 0)
                item->setForeground(r.passed ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb0, 0x1c, 0x1c));
            if (c == 6 && !r.mitigation.isEmpty())
                item->setToolTip(r.mitigation);
            m_table->setItem(row, c, item);
        }
        ++row;
    }
    for (int c = 0; c < 6; ++c)
        m_table->resizeColumnToContents(c);
    m_table->resizeRowsToContents(); // the detail wraps in the stretched last column
    QString html = m_report.ok() ? tr("<b>Passed.</b>") : tr("<b>Failed.</b>");
    html += QStringLiteral("<ul>");
    for (const auto& line : m_report.verdictLines())
        html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    html += QStringLiteral("</ul>");
    m_verdict->setText(html);
}

QString NetCheckDialog::reportText() const
{
    QString text;
    for (const auto& r : m_report.targets) {
        text += QStringLiteral("%1 %2 %3:%4 (%5): %6\n")
                    .arg(r.passed ? QStringLiteral("[ok]  ") : QStringLiteral("[FAIL]"), r.target.role, r.target.host)
                    .arg(r.target.port)
                    .arg(QString::fromLatin1(protocolName(r.target.protocol)), r.detail);
    }
    if (m_report.clockSkewSeconds)
        text += tr("Clock: %1 s off the server's (positive: ahead)\n").arg(*m_report.clockSkewSeconds);
    text += m_report.ok() ? tr("Verdict: passed\n") : tr("Verdict: failed\n");
    for (const auto& line : m_report.verdictLines())
        text += QStringLiteral("  ") + line + QLatin1Char('\n');
    return text;
}

} // namespace iotc
