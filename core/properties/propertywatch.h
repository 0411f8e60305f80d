#pragma once

#include "propertysnapshot.h"

#include "central/centralerror.h"
#include "validate/issue.h"

#include <QMetaType>
#include <QObject>

#include <memory>
#include <vector>

namespace iotc {

class CentralClient;
class PropertyMonitor;
class TemplateResolver;

// One poll's result, ready to paint: the snapshot, what changed and what the template says about
// the reported values and the writable properties' acknowledgements.
struct PropertyView {
    PropertySnapshot snapshot;
    QList<PropertyChange> changes;
    std::vector<Issue> issues;
    QString templateId;
    int polls = 0;
};

// A property monitor plus validation, for a view: create it, move it to a worker thread and call
// start() there (queued). Template lookups, JSON and diffs all happen on that thread.
class PropertyWatch : public QObject {
    Q_OBJECT
public:
    PropertyWatch(std::shared_ptr<CentralClient> client, QString deviceId, int intervalMs = 5000);
    ~PropertyWatch() override;

    const QString& deviceId() const { return m_deviceId; }

public Q_SLOTS:
    void start();
    void stop();
    void pollNow();

Q_SIGNALS:
    void updated(const iotc::PropertyView& view);
    void failed(const QString& error);

private:
    std::shared_ptr<CentralClient> m_client;
    QString m_deviceId;
    int m_intervalMs;
    std::shared_ptr<TemplateResolver> m_resolver;
    PropertyMonitor* m_monitor = nullptr;
};

} // namespace iotc

Q_DECLARE_METATYPE(iotc::PropertyView)
