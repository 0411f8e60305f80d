#pragma once

#include <QObject>
#include <QPointer>

#include <memory>

class QWidget;

namespace iotc {

class Session;
class SecretStore;

// Signing in to an application: the Connect dialog, the secrets it reads and saves (one store for
// the whole run, so its in-memory fallback lasts), getting the token off the GUI thread, handing the
// profile to the session, the demo app, and telling how it went (a state line, a message box).
class SignInFlow : public QObject {
    Q_OBJECT
public:
    // Dialogs and message boxes open over window. Create it after whatever else listens to the
    // session's connected(): its own connected(bool) comes last, once the views are reset.
    SignInFlow(Session* session, QWidget* window);
    ~SignInFlow() override;

    void showConnectDialog();
    // The built-in simulated app, started off the GUI thread; demoStarted() tells how it went.
    void startDemo();

    // Unattended (a scripted screenshot): a failed connection is said in the state line only.
    void setUnattended(bool on) { m_unattended = on; }
    static QString notConnectedText();

Q_SIGNALS:
    void stateChanged(const QString& text); // the connection state line: connecting, connected, not connected
    void message(const QString& text, int timeoutMs); // a passing status-bar message
    void demoRequested(); // "Try the demo" in the Connect dialog
    void demoStarted(bool ok);
    void connected(bool ok); // after the session's own connected() / connectionFailed() listeners

private:
    Session* m_session;
    QPointer<QWidget> m_window;
    std::shared_ptr<SecretStore> m_secrets;
    bool m_demoRequested = false;
    bool m_unattended = false;
};

} // namespace iotc
