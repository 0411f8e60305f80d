#pragma once

#include "diagnose/diagnoser.h"
#include "diagnose/diagnosis.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace iotc {

// The guided diagnosis for one device: the guide's checks ticking off as they run (on a worker
// thread), then the verdict on top and the evidence below, with Export report.
class DiagnosePane : public QWidget {
    Q_OBJECT
public:
    explicit DiagnosePane(QWidget* parent = nullptr);
    ~DiagnosePane() override;

    void setTarget(const ConnectionProfile& profile, std::optional<EventHubTarget> eventHub, const QString& deviceId);
    void setListenSeconds(int seconds);
    void setDeviceLog(const QString& text) { m_log = text; }
    bool running() const { return m_watcher.isRunning(); }
    const std::optional<Diagnosis>& diagnosis() const { return m_diagnosis; }
    QString verdictText() const;
    // Before a diagnosis runs: what the fleet triage already says of this device (rich text).
    void setTriageNote(const QString& html);
    QTreeWidget* checksView() const { return m_checks; }

public Q_SLOTS:
    void run();
    void loadDeviceLog();
    // While listening: finish now with what arrived so far.
    void stopListening();

Q_SIGNALS:
    void finished(const iotc::Diagnosis& d);
    void exportRequested();
    void screenshotRequested();

private:
    void progress(const QString& check, const QString& text);
    void show(const Diagnosis& d);

    ConnectionProfile m_profile;
    std::optional<EventHubTarget> m_eventHub;
    QString m_device;
    QString m_log;
    QSpinBox* m_listen;
    QSpinBox* m_lookback;
    QPushButton* m_run;
    QPushButton* m_logButton;
    QPushButton* m_export;
    QPushButton* m_copy;
    QLabel* m_verdict;
    QTreeWidget* m_checks;
    QFutureWatcher<Diagnosis> m_watcher;
    std::optional<Diagnosis> m_diagnosis;
    QElapsedTimer m_clock;
    QTimer m_ticker;
    std::shared_ptr<std::atomic<bool>> m_stop;
    QPushButton* m_stopButton;
};

} // namespace iotc
