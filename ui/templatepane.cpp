#include "templatepane.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace iotc {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

void addScope(QTreeWidgetItem* parent, const CapabilityScope& scope)
{
    for (const auto& c : scope.capabilities()) {
        auto* item = new QTreeWidgetItem(parent);
        item->setText(0, q(c.name));
        item->setText(1,
            QString::fromLatin1(capabilityKindName(c.kind)) + (c.writable ? QStringLiteral(" (writable)") : QString()));
        item->setText(2, c.schema ? q(c.schema->typeName) : QString());
        item->setText(3, q(c.interfaceId));
        item->setToolTip(0, c.displayName.empty() ? q(c.name) : q(c.displayName));
    }
}

void addModel(QTreeWidgetItem* parent, const ModelIndex& model)
{
    auto* root = new QTreeWidgetItem(parent, { QObject::tr("Root (no component)") });
    root->setText(3, q(model.root.interfaceId));
    addScope(root, model.root);
    root->setExpanded(true);
    for (const auto& component : model.components) {
        auto* item = new QTreeWidgetItem(parent, { QObject::tr("Component %1").arg(q(component.name)) });
        item->setText(3, q(component.interfaceId));
        addScope(item, component);
        item->setExpanded(true);
    }
}

} // namespace

TemplatePane::TemplatePane(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("templatePane"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_tree->setObjectName(QStringLiteral("templateTree"));
    m_tree->setAccessibleName(tr("Device template capabilities"));
    m_tree->setHeaderLabels({ tr("Name"), tr("Kind"), tr("Schema"), tr("Interface") });
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_tree);
    setMessage(tr("No device template loaded. Use File → Open template… (Ctrl+O)."));
}

void TemplatePane::setMessage(const QString& message)
{
    m_title->setText(message);
}

void TemplatePane::setTemplate(std::shared_ptr<const DeviceTemplate> tpl)
{
    m_tree->clear();
    if (!tpl) {
        setMessage(tr("No device template loaded."));
        return;
    }
    QString title = tr("Template %1").arg(q(tpl->displayName.empty() ? tpl->id : tpl->displayName));
    if (!tpl->id.empty() && !tpl->displayName.empty())
        title += QStringLiteral("  ·  ") + q(tpl->id);
    for (const auto& note : tpl->notes)
        title += QStringLiteral("\n") + tr("Note: %1").arg(q(note));
    setMessage(title);
    auto* device = new QTreeWidgetItem(m_tree, { tr("Device") });
    addModel(device, tpl->model);
    device->setExpanded(true);
    for (const auto& module : tpl->modules) {
        auto* item = new QTreeWidgetItem(m_tree, { tr("Module %1").arg(q(module.name)) });
        item->setText(3, q(module.modelId));
        addModel(item, module.model);
        item->setExpanded(true);
    }
}

} // namespace iotc
