#include "propertiespane.h"

#include "propertymodel.h"

#include "central/centralclient.h"
#include "central/queuedcontinuation.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

namespace iotc {

PropertiesPane::PropertiesPane(QWidget* parent)
    : QWidget(parent)
    , m_model(new PropertyModel(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_key(new QLineEdit(this))
    , m_value(new QLineEdit(this))
    , m_send(new QPushButton(tr("Send desired value"), this))
{
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // A device has tens of properties, not thousands: columns fit their contents.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    // What matters first: the value, its sync state and what validation says; versions after.
    auto* header = m_view->horizontalHeader();
    header->moveSection(header->visualIndex(PropertyModel::SyncColumn), PropertyModel::DesiredColumn + 1);
    header->moveSection(header->visualIndex(PropertyModel::ValidationColumn), PropertyModel::DesiredColumn + 2);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(PropertyModel::ValidationColumn, QHeaderView::Interactive);
    header->resizeSection(PropertyModel::ValidationColumn, 360); // the whole text is in the tooltip
    m_view->setAccessibleName(tr("Properties"));
    m_summary->setObjectName(QStringLiteral("propertiesSummary"));
    m_summary->setWordWrap(true);
    m_key->setPlaceholderText(tr("component.property (e.g. thermostat1.targetTemperature)"));
    m_key->setAccessibleName(tr("Writable property"));
    m_value->setPlaceholderText(tr("value as JSON (e.g. 23.5)"));
    m_value->setAccessibleName(tr("Desired value"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_key, 2);
    bar->addWidget(m_value, 1);
    bar->addWidget(m_send);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addLayout(bar);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        if (!i.isValid())
            return;
        const QString component = m_model->index(i.row(), PropertyModel::ComponentColumn).data().toString();
        const QString name = m_model->index(i.row(), PropertyModel::NameColumn).data().toString();
        m_key->setText(component.startsWith(QLatin1Char('(')) ? name : component + QLatin1Char('.') + name);
    });
    connect(m_send, &QPushButton::clicked, this, [this] { sendDesired(m_key->text().trimmed(), m_value->text()); });
    connect(m_value, &QLineEdit::returnPressed, m_send, &QPushButton::click);
    setDevice({}, nullptr, {});
}

PropertiesPane::~PropertiesPane()
{
    stopWatch();
}

void PropertiesPane::stopWatch()
{
    if (m_watch) {
        QMetaObject::invokeMethod(m_watch, &PropertyWatch::stop);
        m_watch->deleteLater(); // on its own thread
        m_watch.clear();
    }
}

void PropertiesPane::setDevice(std::shared_ptr<CentralClient> client, QThread* worker, const QString& deviceId)
{
    stopWatch();
    m_client = std::move(client);
    m_device = deviceId;
    m_model->clear();
    const bool active = m_client && worker && !deviceId.isEmpty();
    m_send->setEnabled(active);
    if (!active) {
        m_summary->setText(tr("No device selected."));
        return;
    }
    m_summary->setText(tr("Reading the properties of %1…").arg(deviceId));
    auto* watch = new PropertyWatch(m_client, deviceId, m_intervalMs);
    watch->moveToThread(worker);
    m_watch = watch;
    connect(watch, &PropertyWatch::updated, this, [this](const PropertyView& view) {
        m_model->setView(view);
        int pending = 0, rejected = 0, stale = 0;
        for (const auto& p : view.snapshot.properties) {
            pending += p.sync == SyncState::Pending;
            rejected += p.sync == SyncState::Rejected;
            stale += p.sync == SyncState::Stale;
        }
        m_summary->setText(tr("%1 propert(ies) of %2, template %3; %4 issue(s); writable: %5 pending, %6 rejected, %7 "
                              "stale. Polled %8 time(s), every %9 s.")
                               .arg(view.snapshot.properties.size())
                               .arg(m_device, view.templateId.isEmpty() ? tr("(none)") : view.templateId)
                               .arg(view.issues.size())
                               .arg(pending)
                               .arg(rejected)
                               .arg(stale)
                               .arg(view.polls)
                               .arg(m_intervalMs / 1000.0));
        Q_EMIT updated();
    });
    connect(watch, &PropertyWatch::failed, this,
        [this](const QString& error) { m_summary->setText(tr("Could not read the properties: %1").arg(error)); });
    QMetaObject::invokeMethod(watch, &PropertyWatch::start);
}

void PropertiesPane::noteEvents(const ObservationBatch& batch)
{
    if (!batch || m_device.isEmpty())
        return;
    bool changed = false;
    for (const auto& o : *batch)
        changed
            = changed || (o.event.deviceId == m_device && o.event.messageSource == QLatin1String("twinChangeEvents"));
    if (!changed)
        return;
    ++m_twinChanges;
    if (m_watch)
        QMetaObject::invokeMethod(m_watch, &PropertyWatch::pollNow);
}

void PropertiesPane::sendDesired(const QString& key, const QString& jsonValue)
{
    if (!m_client || key.isEmpty()) {
        // Said, never dropped silently: the caller (and a waiting test) learns why nothing was sent.
        const QString why = key.isEmpty() ? tr("Name the property to set.")
                                          : tr("Not connected to a device: %1 was not sent.").arg(key);
        m_summary->setText(why);
        sayLater(false, why);
        return;
    }
    const QByteArray wrapped = "[" + jsonValue.toUtf8() + "]";
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
        const QString why = tr("Not a JSON value: %1 (a string needs quotes)").arg(jsonValue);
        m_summary->setText(why);
        sayLater(false, why);
        return;
    }
    const int dot = key.indexOf(QLatin1Char('.'));
    QJsonObject body;
    if (dot > 0)
        body.insert(key.left(dot), QJsonObject { { key.mid(dot + 1), doc.array().at(0) } });
    else
        body.insert(key, doc.array().at(0));
    m_send->setEnabled(false);
    m_summary->setText(tr("Sending %1 = %2…").arg(key, jsonValue));
    // Not then(this, ...): that runs inside this call when the answer is already in (a fast
    // server, this thread preempted), and sent() would come before the caller could wait for it.
    thenQueued(m_client->setProperties(m_device, body), this, [this, key](const Result<QJsonObject>& r) {
        m_send->setEnabled(true);
        const QString message = r.ok() ? tr("Sent %1; waiting for the device to acknowledge it.").arg(key)
                                       : tr("Could not set %1: %2").arg(key, r.error.summary());
        m_summary->setText(message);
        Q_EMIT sent(r.ok(), message);
        if (m_watch)
            QMetaObject::invokeMethod(m_watch, &PropertyWatch::pollNow);
    });
}

void PropertiesPane::sayLater(bool ok, const QString& message)
{
    QMetaObject::invokeMethod(
        this, [this, ok, message] { Q_EMIT sent(ok, message); }, Qt::QueuedConnection);
}

} // namespace iotc
