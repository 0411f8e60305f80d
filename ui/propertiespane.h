#pragma once

#include "monitor/livemonitor.h"
#include "properties/propertywatch.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QThread;

namespace iotc {

class CentralClient;
class PropertyModel;

// Reported and desired properties of one device, polled on a worker thread, with each writable
// property's sync state and validation marks; an operator can send a new desired value and watch
// it go Pending -> Accepted (or Rejected / Stale).
class PropertiesPane : public QWidget {
    Q_OBJECT
public:
    explicit PropertiesPane(QWidget* parent = nullptr);
    ~PropertiesPane() override;

    void setDevice(std::shared_ptr<CentralClient> client, QThread* worker, const QString& deviceId);
    void setPollInterval(int ms) { m_intervalMs = ms; }
    PropertyModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

    // PATCHes {component: {name: value}} (or {name: value} at the root); value is JSON text.
    // sent() always comes on a later turn of the event loop, never inside this call.
    void sendDesired(const QString& key, const QString& jsonValue);
    // Live events: a twinChangeEvents message for this device asks for the properties at once,
    // instead of at the next poll.
    void noteEvents(const ObservationBatch& batch);
    int twinChangesSeen() const { return m_twinChanges; }

Q_SIGNALS:
    void updated();
    void sent(bool ok, const QString& message);

private:
    void stopWatch();
    void sayLater(bool ok, const QString& message); // sent(), queued

    std::shared_ptr<CentralClient> m_client;
    PropertyModel* m_model;
    QTableView* m_view;
    QLabel* m_summary;
    QLineEdit* m_key;
    QLineEdit* m_value;
    QPushButton* m_send;
    QPointer<PropertyWatch> m_watch;
    QString m_device;
    int m_intervalMs = 5000;
    int m_twinChanges = 0;
};

} // namespace iotc
