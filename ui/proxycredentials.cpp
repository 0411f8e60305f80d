#include "proxycredentials.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>
#include <QVBoxLayout>

namespace iotc {

namespace {

bool isProxyKeyword(const QString& t)
{
    return t.isEmpty() || t.compare(QLatin1String("direct"), Qt::CaseInsensitive) == 0
        || t.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0
        || t.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0;
}

// The proxy text as a URL (parseProxySetting's reading: "host:port" is http://host:port), or an
// invalid one.
QUrl proxyUrl(const QString& t)
{
    if (isProxyKeyword(t))
        return {};
    QUrl url(t.contains(QLatin1String("://")) ? t : QStringLiteral("http://") + t, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    return url;
}

} // namespace

ProxyParts splitProxyCredentials(const QString& proxy)
{
    const QString t = proxy.trimmed();
    QUrl url = proxyUrl(t);
    if (!url.isValid() || url.userInfo().isEmpty())
        return { t, {}, {} };
    ProxyParts parts { {}, url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded) };
    url.setUserInfo({});
    parts.address = url.toString();
    return parts;
}

QString joinProxyCredentials(const QString& address, const QString& user, const QString& password)
{
    const QString t = address.trimmed();
    if (user.isEmpty())
        return t;
    QUrl url = proxyUrl(t);
    if (!url.isValid())
        return t;
    url.setUserName(user, QUrl::DecodedMode);
    url.setPassword(password, QUrl::DecodedMode);
    return url.toString(QUrl::FullyEncoded);
}

QString joinProxyCredentials(const ProxyParts& parts)
{
    return joinProxyCredentials(parts.address, parts.user, parts.password);
}

QString proxySettingWithCredentials(const NetworkSettings& current, const QString& namedProxy,
    const QString& appBaseUrl, const QString& user, const QString& password)
{
    QString address = splitProxyCredentials(current.proxy).address;
    if (!proxyUrl(address).isValid())
        address = namedProxy;
    if (!proxyUrl(address).isValid()) {
        const QUrl app(appBaseUrl);
        address = proxyDisplay(proxyFor(current, app.host(), app.port(443)));
    }
    if (!proxyUrl(address).isValid())
        return {};
    return joinProxyCredentials(address, user, password);
}

QString proxySecretKey(const QString& baseUrl)
{
    return QStringLiteral("proxy:") + baseUrl;
}

bool proxyAsksForCredentials(const QString& failure, QString* proxy)
{
    if (!failure.contains(QLatin1String("asks for credentials")))
        return false;
    if (proxy) {
        static const QRegularExpression named(QStringLiteral("the proxy (\\S+) asks for credentials"));
        const auto m = named.match(failure);
        *proxy = m.hasMatch() ? m.captured(1) : QString();
    }
    return true;
}

ProxyCredentialsDialog::ProxyCredentialsDialog(const QString& proxy, QWidget* parent)
    : QDialog(parent)
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember the password in the OS keyring"), this))
    , m_notice(new QLabel(this))
{
    setWindowTitle(tr("The proxy asks for credentials"));
    auto* why
        = new QLabel(tr("Live telemetry stopped: the proxy %1 asks for a user name and password. Give them to connect "
                        "again through it (they are used for the application's REST calls too).")
                         .arg(proxy.isEmpty() ? tr("in use") : proxy),
            this);
    why->setWordWrap(true);
    m_user->setAccessibleName(tr("Proxy user"));
    m_password->setAccessibleName(tr("Proxy password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setChecked(true);
    m_notice->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect again"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_user->text().trimmed().isEmpty()) {
            m_notice->setText(tr("Give the user name the proxy knows you by."));
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(why);
    layout->addLayout(form);
    layout->addWidget(m_notice);
    layout->addWidget(buttons);
    resize(460, sizeHint().height());
}

QString ProxyCredentialsDialog::user() const
{
    return m_user->text().trimmed();
}

QString ProxyCredentialsDialog::password() const
{
    return m_password->text();
}

bool ProxyCredentialsDialog::remember() const
{
    return m_remember->isChecked();
}

void ProxyCredentialsDialog::setUser(const QString& user)
{
    m_user->setText(user);
    if (!user.isEmpty())
        m_password->setFocus();
}

void ProxyCredentialsDialog::setPassword(const QString& password)
{
    m_password->setText(password);
}

void ProxyCredentialsDialog::setRemember(bool on)
{
    m_remember->setChecked(on);
}

} // namespace iotc
