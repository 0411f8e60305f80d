#pragma once

#include "central/connection.h"

#include <QDialog>
#include <QFuture>

#include <memory>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;
class QWidget;

namespace iotc {

class SecretStore;

// Where the application is and how to sign in: app subdomain or base URL, an API token or
// "use az login", an optional Event Hubs connection string; or "Try the demo". Secrets go to the
// OS keyring (QtKeychain) when asked to, never to the settings file. Its Network section says how the
// application is reached: the event stream's transport, a proxy (its password goes with the other
// secrets) and a CA file for a TLS-inspecting proxy.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget* parent = nullptr);

    enum Result { Connect = QDialog::Accepted, Demo = 2 };

    QString application() const; // subdomain or URL as typed
    QString token() const;
    bool useAzLogin() const;
    QString eventHubConnectionString() const;
    bool rememberSecrets() const;

    void setApplication(const QString& app);
    void setToken(const QString& token);
    void setEventHubConnectionString(const QString& cs);
    void setNotice(const QString& text);
    QString notice() const;

    // The Network section. networkSettings() has the proxy with its user and password put in and
    // the CA file's path, not its certificates (signIn() reads them, off the GUI thread).
    NetworkSettings networkSettings() const;
    void setNetworkSettings(const NetworkSettings& network);
    // Whether the user changed a network field since the last setNetworkSettings().
    bool networkEdited() const { return m_networkEdited; }
    bool networkShown() const;
    void showNetwork(bool on);

    // Fills in the token, Event Hubs connection string and proxy password saved for the application,
    // read from the keyring on a worker thread (fields the user already typed in are kept).
    void prefillSecrets(std::shared_ptr<SecretStore> secrets);

    // Where the typed application is (subdomain or URL), without credentials.
    ConnectionProfile profile() const;
    struct SignIn {
        QString authorization; // the Authorization header value
        QString error;
        QString errorTitle; // what failed, for a message box's title
        QList<QSslCertificate> extraCaCertificates; // read from the CA file
    };
    // Off the GUI thread: the CA file's certificates, az login's token or the pasted one, and the
    // secrets saved when asked (the proxy password as proxySecretKey(profile().baseUrl)).
    QFuture<SignIn> signIn(std::shared_ptr<SecretStore> secrets) const;

Q_SIGNALS:
    // The user finished editing the application field and it names another one than before (not
    // setApplication()).
    void applicationChanged();

private:
    void buildNetworkSection(QFormLayout* form);
    void updateNetworkSummary();
    // Credentials typed into the proxy address move to the user and password fields.
    void moveProxyCredentials();

    QLineEdit* m_app;
    QLineEdit* m_token;
    QCheckBox* m_az;
    QLineEdit* m_eventHub;
    QCheckBox* m_remember;
    QToolButton* m_networkToggle;
    QWidget* m_caRow; // the CA file and its Browse button
    QComboBox* m_transport;
    QLineEdit* m_proxy;
    QLineEdit* m_proxyUser;
    QLineEdit* m_proxyPassword;
    QLineEdit* m_caFile;
    QLabel* m_notice;
    QFormLayout* m_form = nullptr;
    bool m_networkRowsShown = true;
    NetworkSettings m_networkBase; // what the section does not show (ports) comes from here
    QString m_lastBaseUrl;
    bool m_networkEdited = false;
};

} // namespace iotc
