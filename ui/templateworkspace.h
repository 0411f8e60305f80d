#pragma once

#include "template/capabilityindex.h"

#include <QFutureWatcher>
#include <QSplitter>

#include <functional>
#include <memory>

namespace iotc {

class TemplatePane;
class PayloadPane;

// The "Template & payload" tab: a template's flattened capabilities beside a payload to validate
// against it. Templates are read and parsed on a worker thread.
class TemplateWorkspace : public QSplitter {
    Q_OBJECT
public:
    explicit TemplateWorkspace(QWidget* parent = nullptr);
    ~TemplateWorkspace() override;

    void openTemplate(const QString& path);
    // The built-in temperature-controller template with the guide's first example payload.
    void openDemoTemplate();

    TemplatePane* templatePane() const { return m_templatePane; }
    PayloadPane* payloadPane() const { return m_payloadPane; }

Q_SIGNALS:
    void templateLoaded(bool ok, const QString& what);

private:
    struct LoadResult {
        std::shared_ptr<const DeviceTemplate> tpl;
        QString error;
    };
    void startLoad(const QString& label, std::function<LoadResult()> job);
    void loadFinished();

    TemplatePane* m_templatePane;
    PayloadPane* m_payloadPane;
    QFutureWatcher<LoadResult> m_loader;
    QString m_loading;
};

} // namespace iotc
