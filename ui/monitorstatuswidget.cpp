#include "monitorstatuswidget.h"

#include <QHBoxLayout>
#include <QLabel>

namespace iotc {

MonitorStatusWidget::MonitorStatusWidget(QWidget* parent)
    : QWidget(parent)
    , m_state(new QLabel(this))
    , m_rate(new QLabel(this))
    , m_dropped(new QLabel(this))
    , m_capture(new QLabel(this))
{
    m_state->setObjectName(QStringLiteral("monitorState"));
    m_dropped->setObjectName(QStringLiteral("monitorDropped"));
    m_capture->setObjectName(QStringLiteral("captureIndicator"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_state);
    layout->addWidget(m_rate);
    layout->addWidget(m_dropped);
    layout->addWidget(m_capture);
    clear(tr("Live telemetry: off"));
}

void MonitorStatusWidget::clear(const QString& text)
{
    m_state->setText(text);
    m_state->setToolTip({});
    m_rate->clear();
    m_dropped->clear();
    m_capture->clear();
}

QString MonitorStatusWidget::text() const
{
    return QStringList { m_state->text(), m_rate->text(), m_dropped->text(), m_capture->text() }.join(QLatin1Char(' '));
}

void MonitorStatusWidget::setStatus(const MonitorStatus& s)
{
    int receiving = 0;
    QStringList problems;
    QStringList all;
    for (const auto& p : s.partitions) {
        receiving += p.state == PartitionState::State::Receiving;
        const QString line = tr("partition %1: %2%3%4")
                                 .arg(p.partition)
                                 .arg(QString::fromLatin1(partitionStateName(p.state)))
                                 .arg(p.condition.isEmpty() ? QString() : QStringLiteral(" ") + p.condition)
                                 .arg(p.description.isEmpty() ? QString() : QStringLiteral(" — ") + p.description);
        all << line;
        if (p.state == PartitionState::State::Error || p.state == PartitionState::State::Retrying)
            problems << line + (p.retryInMs > 0 ? tr(" (retrying in %1 s)").arg(p.retryInMs / 1000.0) : QString());
    }
    QString state;
    switch (s.phase) {
    case MonitorStatus::Phase::Running:
        if (s.partitions.empty())
            state = tr("● Connecting to the event hub…");
        else if (s.route.isEmpty())
            state = tr("● Live: %1/%2 partitions receiving").arg(receiving).arg(s.partitions.size());
        else // how it travels: which transport, which proxy
            state
                = tr("● Live via %1 — %2/%3 partitions receiving").arg(s.route).arg(receiving).arg(s.partitions.size());
        break;
    case MonitorStatus::Phase::Failed:
        state = tr("✖ Live telemetry failed: %1").arg(s.message);
        break;
    default:
        state = tr("Live telemetry: %1").arg(QString::fromLatin1(monitorPhaseName(s.phase)));
        if (!s.message.isEmpty() && s.phase != MonitorStatus::Phase::Stopped)
            state += QStringLiteral(" — ") + s.message;
    }
    if (!problems.isEmpty())
        state += QStringLiteral(" — ⚠ ") + problems.join(QStringLiteral("; "));
    m_state->setText(state);
    m_state->setToolTip((s.route.isEmpty() ? QString() : tr("Via %1").arg(s.route) + QLatin1Char('\n')) + s.message
        + QStringLiteral("\n") + all.join(QLatin1Char('\n')));
    m_rate->setText(tr("%1 events/s · %2 received").arg(s.eventsPerSecond, 0, 'f', 1).arg(s.received));
    QString dropped;
    if (s.dropped > 0)
        dropped = tr("⚠ %1 dropped (queue full)").arg(s.dropped);
    if (s.reconnects > 0)
        dropped += (dropped.isEmpty() ? QString() : QStringLiteral(" · ")) + tr("%1 reconnect(s)").arg(s.reconnects);
    m_dropped->setText(dropped);
    m_capture->setText(s.capturing ? tr("⏺ REC %1 event(s)%2")
                                         .arg(s.captured)
                                         .arg(s.captureFailed ? tr(", %1 not written").arg(s.captureFailed) : QString())
                                   : QString());
}

} // namespace iotc
