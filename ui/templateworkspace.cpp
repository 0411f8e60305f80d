#include "templateworkspace.h"

#include "payloadpane.h"
#include "templatepane.h"

#include "template/templateparser.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

TemplateWorkspace::TemplateWorkspace(QWidget* parent)
    : QSplitter(parent)
    , m_templatePane(new TemplatePane(this))
    , m_payloadPane(new PayloadPane(this))
{
    addWidget(m_templatePane);
    addWidget(m_payloadPane);
    setStretchFactor(1, 3);
    connect(&m_loader, &QFutureWatcher<LoadResult>::finished, this, &TemplateWorkspace::loadFinished);
}

TemplateWorkspace::~TemplateWorkspace()
{
    m_loader.waitForFinished();
}

void TemplateWorkspace::startLoad(const QString& label, std::function<LoadResult()> job)
{
    if (m_loader.isRunning()) {
        m_templatePane->setMessage(tr("Still loading %1…").arg(m_loading));
        return;
    }
    m_loading = label;
    m_templatePane->setMessage(tr("Loading %1…").arg(label));
    m_loader.setFuture(QtConcurrent::run(std::move(job)));
}

void TemplateWorkspace::openTemplate(const QString& path)
{
    startLoad(path, [path] {
        LoadResult result;
        try {
            result.tpl = std::make_shared<const DeviceTemplate>(loadTemplateFile(path.toStdString()));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void TemplateWorkspace::openDemoTemplate()
{
    m_payloadPane->setPayload(QStringLiteral("{\"Temperature\": 21.5}"));
    startLoad(tr("the demo template"), [] {
        LoadResult result;
        QFile file(QStringLiteral(":/demo/temperaturecontroller-2.expanded.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = tr("the built-in demo template is missing from this build");
            return result;
        }
        const QByteArray bytes = file.readAll();
        try {
            result.tpl = std::make_shared<const DeviceTemplate>(parseTemplateText(
                std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())), "demo template"));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    });
}

void TemplateWorkspace::loadFinished()
{
    const LoadResult result = m_loader.result();
    if (!result.tpl) {
        m_templatePane->setMessage(tr("Could not load %1:\n%2").arg(m_loading, result.error));
        Q_EMIT templateLoaded(false, m_loading);
        return;
    }
    m_templatePane->setTemplate(result.tpl);
    m_payloadPane->setTemplate(result.tpl);
    Q_EMIT templateLoaded(true, m_loading);
}

} // namespace iotc
