#pragma once

#include "central/connection.h"

#include <QDialog>
#include <QFuture>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace iotc {

class SecretStore;

// Where the application is and how to sign in: app subdomain or base URL, an API token or
// "use az login", an optional Event Hubs connection string; or "Try the demo". Secrets go to the
// OS keyring (QtKeychain) when asked to, never to the settings file.
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

    // Fills in the token and Event Hubs connection string saved for the application, read from
    // the keyring on a worker thread (fields the user already typed in are kept).
    void prefillSecrets(std::shared_ptr<SecretStore> secrets);

    // Where the typed application is (subdomain or URL), without credentials.
    ConnectionProfile profile() const;
    struct SignIn {
        QString authorization; // the Authorization header value
        QString error;
    };
    // Off the GUI thread: az login's token or the pasted one, and the secrets saved when asked.
    QFuture<SignIn> signIn(std::shared_ptr<SecretStore> secrets) const;

private:
    QLineEdit* m_app;
    QLineEdit* m_token;
    QCheckBox* m_az;
    QLineEdit* m_eventHub;
    QCheckBox* m_remember;
    QLabel* m_notice;
};

} // namespace iotc
