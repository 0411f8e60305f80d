#pragma once

#include "central/centralclient.h"
#include "template/capabilityindex.h"
#include "validate/issue.h"
#include "validate/payloadvalidator.h"

#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace iotc {

// What the resolver keeps and asks at most. Device ids come from devices (or a capture): 200,000
// made-up ones must neither take gigabytes nor cost 200,000 REST calls in one go.
struct ResolverLimits {
    size_t devices = 20000; // answers kept, the least recently used go first (as the pipeline's statistics)
    size_t lookupsPerBatch = 200; // new devices looked up per batch; the rest wait for a later batch
};

// Which validator judges a device's messages: its template, fetched once through the REST client
// (device -> template -> flattened index), or one fixed template for every device (offline use).
// When no template can be had, the reason is an issue to report, not a stall.
class TemplateResolver {
public:
    explicit TemplateResolver(std::shared_ptr<CentralClient> client);
    explicit TemplateResolver(std::shared_ptr<const DeviceTemplate> fixed);

    struct Resolution {
        std::shared_ptr<const PayloadValidator> validator; // null when none
        QString templateId;
        std::optional<Issue> problem; // why there is no validator
        std::optional<std::string> edgeRuntimeVersion; // an IoT Edge gateway's runtime, when its tag tells
    };
    // Blocking on the first call for a device (REST round trips); cached afterwards. A device the
    // current batch put off (see prepare) or failed to look up gets that answer once, without a
    // request; once cancelled, nothing is asked. Those answers are a passing "template-unavailable".
    Resolution forDevice(const QString& deviceId);
    // Begins a batch: looks up the batch's devices not known yet, side by side: one wait for all of
    // them instead of one round trip after another (an app's thousand devices at start-up). At most
    // lookupsPerBatch of them (devices put off before go first); the rest are put off to a later batch.
    void prepare(const std::vector<QString>& deviceIds);

    // Devices already listed (a fleet's device list): their template is known, so they are never
    // looked up one by one (no GET /devices/{id}); each template is still fetched once. Any thread.
    void knowDevices(const QList<Device>& devices);

    // Any thread: every wait ends now and no request starts any more (the owner is closing).
    void cancel();
    bool cancelled() const { return m_cancelled.load(); }

    void setLimits(const ResolverLimits& limits);
    const ResolverLimits& limits() const { return m_limits; }
    size_t knownDevices() const;
    quint64 evictions() const { return m_evictions.load(); } // answers dropped for the cap
    quint64 deferredLookups() const { return m_deferredLookups.load(); } // devices put off to a later batch

private:
    struct Known {
        Resolution resolution;
        std::list<QString>::iterator recency; // in m_recency
    };
    Resolution fromDevice(const QString& deviceId, const Result<Device>& device);
    Resolution templateFor(const QString& templateId);
    Resolution parsed(const QString& templateId, const Result<QJsonObject>& answer);
    static Resolution withTemplate(const QString& templateId, const Resolution& forTemplate);
    std::optional<QFuture<Result<QJsonObject>>> edgeModulesFor(const Resolution& r, const QString& deviceId);
    void addEdgeRuntime(Resolution& r, std::optional<QFuture<Result<QJsonObject>>> modules);
    void remember(const QString& deviceId, const Resolution& r);
    void evictOne(); // under m_mutex
    // Waits for an answer unless cancelled; false: cancelled (or no answer will ever come).
    template <class T> bool await(const QFuture<T>& future);

    std::shared_ptr<CentralClient> m_client;
    std::shared_ptr<const PayloadValidator> m_fixed;
    ResolverLimits m_limits;
    mutable std::mutex m_mutex;
    QHash<QString, Known> m_devices; // looked up once per event: hashed, not a tree
    std::list<QString> m_recency; // the keys of m_devices, the least recently used first
    std::map<QString, Resolution> m_templates;
    // The answers of the current batch that are not kept (a device put off, a passing failure):
    // handed out once each by forDevice, so a batch asks no device twice; gone at the next prepare.
    QHash<QString, Resolution> m_thisBatch;
    QSet<QString> m_putOff; // devices put off by earlier batches: looked up first next time
    QHash<QString, QString> m_listed; // knowDevices(): device id -> the template the list told
    std::atomic<quint64> m_evictions { 0 };
    std::atomic<quint64> m_deferredLookups { 0 };
    // cancel() wakes whoever waits for an answer.
    std::atomic<bool> m_cancelled { false };
    std::mutex m_waitMutex;
    std::condition_variable m_woken;
};

} // namespace iotc
