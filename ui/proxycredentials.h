#pragma once

#include "net/networksettings.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace iotc {

// A proxy setting (NetworkSettings::proxy) taken apart for the workbench: the address the user may
// see and save ("http://proxy.example:8080", "direct" or "" for the system's), the user name, and
// the password, which only the keyring keeps.
struct ProxyParts {
    QString address;
    QString user;
    QString password;
};

// Splits "http://user:password@host:port" into its address and credentials; any other text (empty,
// "direct", something not a URL) is the address as it is, with no credentials.
ProxyParts splitProxyCredentials(const QString& proxy);
// The setting NetworkSettings::proxy takes: the address with the credentials put in, encoded (an
// '@' or ':' in a password is fine). Credentials need an http address: with "", "direct" or text
// that is no URL, the address is returned as it is.
QString joinProxyCredentials(const QString& address, const QString& user, const QString& password);
QString joinProxyCredentials(const ProxyParts& parts);

// The proxy setting to use once the user gave credentials for a proxy that asked for them: the
// configured proxy's address if there is one, else the proxy the failure named, else the system's
// proxy for the application; with user and password put in. Empty when no proxy can be told.
QString proxySettingWithCredentials(const NetworkSettings& current, const QString& namedProxy,
    const QString& appBaseUrl, const QString& user, const QString& password);

// The keyring entry holding the proxy password saved with an application (its base URL).
QString proxySecretKey(const QString& baseUrl);

// Whether a failure (live monitoring's) is a proxy asking for credentials; proxy gets the one it
// names ("proxy.example:8080"), or empty when it names none.
bool proxyAsksForCredentials(const QString& failure, QString* proxy = nullptr);

// Asked when live monitoring stopped because a proxy wants a user name and password.
class ProxyCredentialsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ProxyCredentialsDialog(const QString& proxy, QWidget* parent = nullptr);

    QString user() const;
    QString password() const;
    bool remember() const;
    void setUser(const QString& user);
    void setPassword(const QString& password);
    void setRemember(bool on);

private:
    QLineEdit* m_user;
    QLineEdit* m_password;
    QCheckBox* m_remember;
    QLabel* m_notice;
};

} // namespace iotc
