#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace iotc {

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

private:
    QLineEdit* m_app;
    QLineEdit* m_token;
    QCheckBox* m_az;
    QLineEdit* m_eventHub;
    QCheckBox* m_remember;
    QLabel* m_notice;
};

} // namespace iotc
