#include "provisioningpanel.h"

#include "devicelistmodel.h"

#include "central/centralclient.h"
#include "central/queuedcontinuation.h"
#include "knowledge/knowledgebase.h"
#include "provisioning/dpscheck.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

namespace {

QLabel* wrapped(QWidget* parent, const QString& name)
{
    auto* l = new QLabel(parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setObjectName(name);
    return l;
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

ProvisioningPanel::ProvisioningPanel(QWidget* parent)
    : QWidget(parent)
    , m_title(wrapped(this, QStringLiteral("provisioningTitle")))
    , m_meaning(wrapped(this, QStringLiteral("provisioningMeaning")))
    , m_mitigation(wrapped(this, QStringLiteral("provisioningMitigation")))
    , m_dps(wrapped(this, QStringLiteral("provisioningDps")))
    , m_details(wrapped(this, QStringLiteral("provisioningDetails")))
    , m_recheck(new QPushButton(tr("&Re-check"), this))
    , m_enable(new QPushButton(tr("&Unblock / approve…"), this))
    , m_block(new QPushButton(tr("&Block…"), this))
{
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_title->setFont(big);
    m_recheck->setToolTip(tr("Ask IoT Central and DPS again (F5)"));
    m_recheck->setShortcut(QKeySequence::Refresh);
    m_enable->setToolTip(
        tr("PATCH the device with enabled:true — unblocks it, or approves a device waiting for approval"));
    m_block->setToolTip(tr("PATCH the device with enabled:false"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_recheck);
    buttons->addWidget(m_enable);
    buttons->addWidget(m_block);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_meaning);
    layout->addWidget(m_mitigation);
    layout->addWidget(m_dps);
    layout->addWidget(m_details);
    layout->addLayout(buttons);
    layout->addStretch(1);
    connect(m_recheck, &QPushButton::clicked, this, &ProvisioningPanel::recheck);
    connect(m_enable, &QPushButton::clicked, this, [this] { setEnabledOnApp(true); });
    connect(m_block, &QPushButton::clicked, this, [this] { setEnabledOnApp(false); });
    connect(&m_watcher, &QFutureWatcher<ProvisioningReport>::finished, this, [this] {
        if (m_watcher.future().resultCount() > 0)
            show(m_watcher.result());
    });
    m_confirm = [this](const QString& question) {
        return QMessageBox::question(this, tr("Change the device in IoT Central?"), question) == QMessageBox::Yes;
    };
    setDevice({}, {});
}

ProvisioningPanel::~ProvisioningPanel()
{
    m_watcher.waitForFinished();
}

void ProvisioningPanel::setDevice(std::shared_ptr<CentralClient> client, const QString& deviceId)
{
    m_client = std::move(client);
    m_device = deviceId;
    m_done = false;
    m_meaning->clear();
    m_mitigation->clear();
    m_dps->clear();
    m_details->clear();
    m_enable->setEnabled(false);
    m_block->setEnabled(false);
    m_recheck->setEnabled(m_client && !deviceId.isEmpty());
    if (!m_client || deviceId.isEmpty()) {
        m_title->setText(tr("No device selected"));
        return;
    }
    recheck();
}

void ProvisioningPanel::recheck()
{
    if (!m_client || m_device.isEmpty() || m_watcher.isRunning())
        return;
    m_title->setText(tr("Checking %1 with IoT Central and DPS…").arg(m_device));
    // REST and DPS round trips: a pool thread, never the GUI thread.
    m_watcher.setFuture(
        QtConcurrent::run([client = m_client, id = m_device] { return checkProvisioning(*client, id); }));
}

QString ProvisioningPanel::statusTitle() const
{
    return m_title->text();
}

QString ProvisioningPanel::text() const
{
    return QStringList { m_title->text(), m_meaning->text(), m_mitigation->text(), m_dps->text(), m_details->text() }
        .join(QLatin1Char('\n'));
}

void ProvisioningPanel::show(const ProvisioningReport& r)
{
    if (r.device.id != m_device) {
        recheck(); // an answer for a device no longer shown: ask for the one that is
        return;
    }
    m_report = r;
    m_done = true;
    if (!r.ok()) {
        m_title->setText(tr("✖ Could not read %1").arg(m_device));
        m_meaning->setText(r.error.summary());
        m_mitigation->setText(r.error.explanation);
        Q_EMIT checked();
        return;
    }
    const KnowledgeEntry& k = statusKnowledge(r.status);
    m_title->setText(statusGlyph(r.status) + QLatin1Char(' ') + statusText(r.status));
    m_meaning->setText(tr("<b>What it means:</b> %1").arg(q(k.description).toHtmlEscaped()));
    m_mitigation->setText(tr("<b>What to do:</b> %1").arg(q(k.mitigation).toHtmlEscaped()));
    QString dps;
    if (r.dps && r.dps->reached()) {
        dps = tr("<b>DPS answered</b> HTTP %1").arg(r.dps->httpStatus);
        if (!r.dps->status.isEmpty())
            dps += tr(": %1%2").arg(r.dps->status.toHtmlEscaped(),
                r.dps->assignedHub.isEmpty() ? QString() : tr(" to %1").arg(r.dps->assignedHub.toHtmlEscaped()));
        if (r.dps->errorCode) {
            dps += tr(", errorCode %1: %2").arg(*r.dps->errorCode).arg(r.dps->errorMessage.toHtmlEscaped());
            if (const auto* e = dpsKnowledge(*r.dps))
                dps += tr("<br><b>%1</b> — %2<br><b>What to do:</b> %3")
                           .arg(q(e->title).toHtmlEscaped(), q(e->description).toHtmlEscaped(),
                               q(e->mitigation).toHtmlEscaped());
        }
    } else {
        dps = r.dpsNote.toHtmlEscaped();
    }
    m_dps->setText(dps);
    m_details->setText(
        tr("Device ID: %1<br>Display name: %2<br>Template: %3<br>Credentials: %4 (keys hidden: "
           "••••••••)<br>ID scope: %5<br>enabled=%6, provisioned=%7%8")
            .arg(r.device.id.toHtmlEscaped(), r.device.displayName.toHtmlEscaped(),
                r.device.templateId.isEmpty() ? tr("none (unassigned)") : r.device.templateId.toHtmlEscaped(),
                r.credentialType.isEmpty() ? tr("not readable with this token") : r.credentialType,
                r.idScope.isEmpty() ? tr("—") : r.idScope.toHtmlEscaped(),
                r.device.enabled ? QStringLiteral("true") : QStringLiteral("false"),
                r.device.provisioned ? QStringLiteral("true") : QStringLiteral("false"),
                r.device.simulated ? tr(", simulated") : QString()));
    m_enable->setEnabled(!r.device.enabled);
    m_block->setEnabled(r.device.enabled);
    Q_EMIT checked();
}

void ProvisioningPanel::setEnabledOnApp(bool enabled)
{
    if (!m_client || m_device.isEmpty())
        return;
    const QString question = enabled
        ? tr("Set %1 to enabled? A blocked device is unblocked; a device waiting for approval is approved and may "
             "connect at once.")
              .arg(m_device)
        : tr("Block %1? It will not be able to connect until it is unblocked.").arg(m_device);
    if (!m_confirm || !m_confirm(question))
        return;
    m_enable->setEnabled(false);
    m_block->setEnabled(false);
    m_title->setText(enabled ? tr("Enabling %1…").arg(m_device) : tr("Blocking %1…").arg(m_device));
    thenQueued(m_client->setDeviceEnabled(m_device, enabled), this, [this](const Result<Device>& r) {
        if (!r.ok()) {
            m_title->setText(tr("✖ The change was refused"));
            m_meaning->setText(r.error.summary());
            m_mitigation->setText(r.error.explanation);
            Q_EMIT checked();
            return;
        }
        recheck();
    });
}

} // namespace iotc
