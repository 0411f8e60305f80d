#pragma once

#include "provisioning/provisioningcheck.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QPushButton;

namespace iotc {

class CentralClient;

// One device's provisioning status as the guide explains it: the status (with the honest
// "blocked or waiting for approval"), what it means, what to do, DPS's own answer, how the device
// authenticates (keys never shown), its template, and the operator's next step.
class ProvisioningPanel : public QWidget {
    Q_OBJECT
public:
    explicit ProvisioningPanel(QWidget* parent = nullptr);
    ~ProvisioningPanel() override;

    void setDevice(std::shared_ptr<CentralClient> client, const QString& deviceId);
    void recheck();
    // Asked before a PATCH; tests answer for the user.
    void setConfirmer(std::function<bool(const QString& question)> confirm) { m_confirm = std::move(confirm); }

    const ProvisioningReport* report() const { return m_done ? &m_report : nullptr; }
    QString statusTitle() const;
    QString text() const; // everything the panel says, for tests and exports
    QPushButton* enableButton() const { return m_enable; }

Q_SIGNALS:
    void checked();

private:
    void show(const ProvisioningReport& r);
    void setEnabledOnApp(bool enabled);

    std::shared_ptr<CentralClient> m_client;
    QString m_device;
    QLabel* m_title;
    QLabel* m_meaning;
    QLabel* m_mitigation;
    QLabel* m_dps;
    QLabel* m_details;
    QPushButton* m_recheck;
    QPushButton* m_enable;
    QPushButton* m_block;
    QFutureWatcher<ProvisioningReport> m_watcher;
    ProvisioningReport m_report;
    bool m_done = false;
    std::function<bool(const QString&)> m_confirm;
};

} // namespace iotc
