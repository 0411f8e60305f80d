#pragma once

#include "net/networksettings.h"

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
// The network settings (transport, proxy, CA file) are saved per application: the proxy password in
// the keyring with the other secrets, the rest in the settings file. When live telemetry stops
// because a proxy asks for credentials, it asks for them and connects again through the proxy.
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
    // Where secrets are read and saved (tests give one of their own).
    void setSecretStore(std::shared_ptr<SecretStore> secrets) { m_secrets = std::move(secrets); }

    // The network settings saved with an application (by its base URL): everything but the proxy
    // password (which is in the keyring) and the certificates (read from caFile when signing in).
    static NetworkSettings savedNetworkSettings(const QString& baseUrl);
    static void saveNetworkSettings(const QString& baseUrl, const NetworkSettings& network);

    // A proxy asked for credentials (the proxy it named, if any): asks the user for them and, on OK,
    // connects again with them in the session's proxy setting (REST and the event stream).
    void askProxyCredentials(const QString& namedProxy);

Q_SIGNALS:
    void stateChanged(const QString& text); // the connection state line: connecting, connected, not connected
    void message(const QString& text, int timeoutMs); // a passing status-bar message
    void demoRequested(); // "Try the demo" in the Connect dialog
    void demoStarted(bool ok);
    void connected(bool ok); // after the session's own connected() / connectionFailed() listeners
    void proxyCredentialsAsked(const QString& namedProxy); // before the dialog opens

private:
    Session* m_session;
    QPointer<QWidget> m_window;
    std::shared_ptr<SecretStore> m_secrets;
    bool m_demoRequested = false;
    bool m_unattended = false;
    bool m_rememberSecrets = true; // as last ticked in the Connect dialog
    bool m_askingProxy = false;
    int m_monitorGeneration = 0; // which monitor a proxy failure came from: one question per monitor
    int m_proxyAskedFor = -1;
};

} // namespace iotc
