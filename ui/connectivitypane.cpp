#include "connectivitypane.h"

#include "central/centralclient.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

QString glyph(const QString& status)
{
    if (status == QLatin1String("passed"))
        return QStringLiteral("✔");
    if (status == QLatin1String("failed"))
        return QStringLiteral("✖");
    return QStringLiteral("–");
}

} // namespace

ConnectivityPane::ConnectivityPane(QWidget* parent)
    : QWidget(parent)
    , m_intro(new QLabel)
    , m_protocol(new QComboBox)
    , m_probe(new QPushButton(tr("&Probe as the device…")))
    , m_netcheck(new QPushButton(tr("Check this &network…")))
    , m_steps(new QTreeWidget)
    , m_verdict(new QLabel)
{
    m_intro->setWordWrap(true);
    m_intro->setText(tr("Connects as the device: DPS registration, its hub over the protocol chosen and one telemetry "
                        "message, then "
                        "watches it arrive in the application and validates it. The real device is disconnected "
                        "while the probe runs."));
    m_protocol->addItem(tr("MQTT (8883)"), QStringLiteral("mqtt"));
    m_protocol->addItem(tr("MQTT over WebSockets (443)"), QStringLiteral("mqtt-ws"));
    m_protocol->addItem(tr("AMQP (5671)"), QStringLiteral("amqp"));
    m_protocol->addItem(tr("AMQP over WebSockets (443)"), QStringLiteral("amqp-ws"));
    m_protocol->addItem(tr("All four, in turn"), QStringLiteral("all"));
    m_protocol->setAccessibleName(tr("Protocol"));
    m_protocol->setToolTip(tr("How the probe connects to the hub: as the device does, or every way a device can"));
    m_steps->setColumnCount(4);
    m_steps->setHeaderLabels({ tr("Step"), tr("Result"), tr("Time"), tr("Detail") });
    m_steps->setRootIsDecorated(false);
    m_steps->setWordWrap(true);
    m_steps->header()->setStretchLastSection(true);
    m_steps->setAccessibleName(tr("Probe steps"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_probe);
    auto* protocolLabel = new QLabel(tr("P&rotocol:"));
    protocolLabel->setBuddy(m_protocol);
    controls->addWidget(protocolLabel);
    controls->addWidget(m_protocol);
    controls->addStretch();
    controls->addWidget(m_netcheck);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(controls);
    layout->addWidget(m_steps, 1);
    layout->addWidget(m_verdict);

    connect(m_probe, &QPushButton::clicked, this, &ConnectivityPane::probe);
    connect(m_netcheck, &QPushButton::clicked, this, &ConnectivityPane::networkCheckRequested);
    connect(&m_watcher, &QFutureWatcher<ProbeReport>::finished, this, [this] {
        m_report = m_watcher.result();
        showReport(m_report);
        m_probe->setEnabled(!m_device.isEmpty());
        emit finished(m_report);
    });
    setTarget({}, {});
}

ConnectivityPane::~ConnectivityPane()
{
    // Every step is bounded by its time-out: waiting here ends, and the device is let go.
    m_watcher.waitForFinished();
}

void ConnectivityPane::setTarget(const ConnectionProfile& profile, const QString& deviceId)
{
    if (m_watcher.isRunning())
        m_watcher.waitForFinished();
    m_profile = profile;
    m_device = deviceId;
    m_steps->clear();
    m_verdict->clear();
    m_probe->setEnabled(!deviceId.isEmpty() && !profile.baseUrl.isEmpty());
}

void ConnectivityPane::setPorts(int mqtt, int amqp, int webSocket)
{
    m_mqttPort = mqtt;
    m_amqpPort = amqp;
    m_webSocketPort = webSocket;
    m_protocol->setItemText(0, tr("MQTT (%1)").arg(mqtt));
    m_protocol->setItemText(1, tr("MQTT over WebSockets (%1)").arg(webSocket));
    m_protocol->setItemText(2, tr("AMQP (%1)").arg(amqp));
    m_protocol->setItemText(3, tr("AMQP over WebSockets (%1)").arg(webSocket));
}

void ConnectivityPane::probe()
{
    if (m_device.isEmpty() || m_watcher.isRunning())
        return;
    const auto answer = QMessageBox::question(this, tr("Probe as the device"),
        tr("The probe connects to IoT Hub as %1. IoT Hub allows one connection per device, so if %1 is connected "
           "now it is disconnected while the probe runs (a few seconds) and reconnects afterwards, if it retries.\n\n"
           "Go ahead?")
            .arg(m_device),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        probeConfirmed();
}

void ConnectivityPane::probeConfirmed()
{
    if (m_device.isEmpty() || m_watcher.isRunning())
        return;
    m_steps->clear();
    m_verdict->setText(tr("Probing %1 as the device…").arg(m_device));
    m_probe->setEnabled(false);
    ProbeOptions options;
    options.deviceId = m_device;
    options.mqttPort = m_mqttPort;
    options.amqpPort = m_amqpPort;
    options.websocketPort = m_webSocketPort;
    const QString protocol = m_protocol->currentData().toString();
    if (protocol == QLatin1String("all"))
        options.protocols = { DeviceProtocol::Mqtt, DeviceProtocol::MqttWebSocket, DeviceProtocol::Amqp,
            DeviceProtocol::AmqpWebSocket };
    else
        options.protocols = { deviceProtocolFromName(protocol).value_or(DeviceProtocol::Mqtt) };
    options.caFile = m_profile.network.caFile;
    options.stepTimeoutMs = std::min(m_profile.timeoutMs > 0 ? m_profile.timeoutMs : 15000, 30000);
    QPointer<ConnectivityPane> self(this);
    options.stepDone = [self](const ProbeStep& step) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, step] {
                if (self)
                    self->stepDone(step);
            },
            Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run(
        [profile = m_profile, options] { return runDeviceProbe(std::make_shared<CentralClient>(profile), options); }));
}

void ConnectivityPane::stepDone(const ProbeStep& s)
{
    auto* item = new QTreeWidgetItem(m_steps);
    item->setText(0,
        s.protocol.isEmpty() || s.protocol == QLatin1String("https")
            ? s.name
            : QStringLiteral("%1 (%2)").arg(s.name, s.protocol));
    item->setText(1, glyph(s.status) + QLatin1Char(' ') + s.status);
    item->setText(2, s.ms >= 0 ? tr("%1 ms").arg(s.ms) : QString());
    item->setText(3, s.detail);
    item->setToolTip(3, s.mitigation.isEmpty() ? s.detail : s.mitigation);
    if (s.status == QLatin1String("passed"))
        item->setForeground(1, QColor(0x1b, 0x7f, 0x3b));
    else if (s.status == QLatin1String("failed"))
        item->setForeground(1, QColor(0xb0, 0x1c, 0x1c));
    m_steps->resizeColumnToContents(0);
    m_steps->resizeColumnToContents(1);
}

void ConnectivityPane::showReport(const ProbeReport& r)
{
    if (r.couldNotRun) {
        m_verdict->setText(tr("<b>The probe could not run:</b> %1").arg(r.whyNot.toHtmlEscaped()));
        return;
    }
    if (r.ok()) {
        m_verdict->setText(tr("<b>The message arrived and validated.</b> The device's credentials, DPS, the hub and "
                              "this network all work; the probe has disconnected."));
        return;
    }
    QString html = tr("<b>Failed at %1.</b> The probe has disconnected.").arg(r.failedStep().toHtmlEscaped());
    for (const auto& s : r.steps) {
        if (s.status == QLatin1String("failed") && !s.mitigation.isEmpty())
            html += QStringLiteral("<br>") + tr("What to do: %1").arg(s.mitigation.toHtmlEscaped());
    }
    m_verdict->setText(html);
}

} // namespace iotc
