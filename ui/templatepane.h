#pragma once

#include "template/capabilityindex.h"

#include <QWidget>

#include <memory>

class QTreeWidget;
class QLabel;

namespace iotc {

// Shows a device template's flattened capabilities: root, components and edge modules.
class TemplatePane : public QWidget {
    Q_OBJECT
public:
    explicit TemplatePane(QWidget* parent = nullptr);

    void setTemplate(std::shared_ptr<const DeviceTemplate> tpl);
    void setMessage(const QString& message);

private:
    QLabel* m_title;
    QTreeWidget* m_tree;
};

} // namespace iotc
