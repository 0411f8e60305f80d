#pragma once

#include <QDialog>
#include <QList>

class QAction;

namespace iotc {

// Help -> Keyboard shortcuts: every main action with its shortcut, as the menus name them.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    ShortcutsDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);
};

// A menu text without its mnemonic markers ("&Diagnose" -> "Diagnose", "A && B" -> "A & B").
QString plainActionText(const QString& text);

} // namespace iotc
