#include "connectdialog.h"

#include "proxycredentials.h"

#include "central/originpolicy.h"
#include "central/secretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <tuple>

namespace iotc {

ConnectDialog::ConnectDialog(QWidget* parent)
    : QDialog(parent)
    , m_app(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_az(new QCheckBox(tr("Use my &az login (Entra ID token from the Azure CLI)"), this))
    , m_eventHub(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember secrets in the OS keyring"), this))
    , m_networkToggle(new QToolButton(this))
    , m_caRow(new QWidget(this))
    , m_transport(new QComboBox(this))
    , m_proxy(new QLineEdit(this))
    , m_proxyUser(new QLineEdit(this))
    , m_proxyPassword(new QLineEdit(this))
    , m_caFile(new QLineEdit(this))
    , m_notice(new QLabel(this))
{
    setWindowTitle(tr("Connect to an IoT Central application"));
    m_app->setPlaceholderText(tr("myapp  or  https://myapp.azureiotcentral.com"));
    m_app->setAccessibleName(tr("Application"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("SharedAccessSignature sr=… (Administration → API tokens)"));
    m_token->setAccessibleName(tr("API token"));
    m_eventHub->setEchoMode(QLineEdit::Password);
    m_eventHub->setPlaceholderText(
        tr("optional: Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=…"));
    m_eventHub->setAccessibleName(tr("Event Hubs connection string"));
    m_remember->setChecked(true);
    m_notice->setWordWrap(true);
    connect(m_az, &QCheckBox::toggled, m_token, &QLineEdit::setDisabled);

    auto* form = new QFormLayout;
    form->addRow(tr("&Application:"), m_app);
    form->addRow(tr("API &token:"), m_token);
    form->addRow(QString(), m_az);
    form->addRow(tr("&Event Hubs:"), m_eventHub);
    form->addRow(QString(), m_remember);
    buildNetworkSection(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    auto* demo = buttons->addButton(tr("Try the &demo"), QDialogButtonBox::ActionRole);
    demo->setToolTip(tr("Start the built-in simulated IoT Central app, whose devices act out every failure in the "
                        "troubleshooting guide"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_app->text().trimmed().isEmpty()) {
            setNotice(tr("Say which application: its subdomain (myapp) or its URL."));
            return;
        }
        // The same rule as the command line's: the token goes only to https, or http on loopback.
        if (QString why; !isAllowedServiceUrl(profile().baseUrl, &why)) {
            setNotice(tr("The application's URL %1.").arg(why));
            return;
        }
        if (!m_az->isChecked() && m_token->text().trimmed().isEmpty()) {
            setNotice(tr("Paste an API token, or tick “Use my az login”."));
            return;
        }
        moveProxyCredentials();
        const auto proxy = splitProxyCredentials(m_proxy->text());
        if (!proxy.address.isEmpty()) {
            QNetworkProxy parsed;
            QString why;
            if (!parseProxySetting(networkSettings().proxy, parsed, why)) {
                showNetwork(true);
                m_proxy->setFocus();
                setNotice(tr("The proxy: %1.").arg(why));
                return;
            }
        }
        if (const QString user = m_proxyUser->text().trimmed();
            !user.isEmpty() && joinProxyCredentials(proxy.address, user, QString()) == proxy.address) {
            showNetwork(true);
            m_proxy->setFocus();
            setNotice(tr("A proxy user and password go with a proxy address: type it (http://host:port), or "
                         "clear them to use the system proxy."));
            return;
        }
        m_lastBaseUrl = profile().baseUrl; // the focus leaving the field as the dialog closes changes nothing
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(demo, &QPushButton::clicked, this, [this] { done(Demo); });
    connect(m_app, &QLineEdit::editingFinished, this, [this] {
        const QString baseUrl = profile().baseUrl;
        if (!isVisible() || application().isEmpty() || baseUrl == m_lastBaseUrl)
            return;
        m_lastBaseUrl = baseUrl;
        Q_EMIT applicationChanged();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_notice);
    layout->addWidget(buttons);
    showNetwork(false);
    resize(620, sizeHint().height());
}

void ConnectDialog::buildNetworkSection(QFormLayout* form)
{
    m_form = form;
    m_networkToggle->setCheckable(true);
    m_networkToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_networkToggle->setAutoRaise(true);
    connect(m_networkToggle, &QToolButton::toggled, this, &ConnectDialog::showNetwork);

    m_transport->addItem(
        tr("Automatic: 5671, then WebSockets on 443"), QString::fromLatin1(transportName(AmqpTransport::Auto)));
    m_transport->addItem(tr("AMQP over TLS (5671)"), QString::fromLatin1(transportName(AmqpTransport::Amqp)));
    m_transport->addItem(
        tr("AMQP over WebSockets (443)"), QString::fromLatin1(transportName(AmqpTransport::AmqpWebSockets)));
    m_transport->setAccessibleName(tr("Transport"));
    m_transport->setToolTip(tr("How live telemetry reaches the event hub. Networks that only let port 443 out "
                               "need WebSockets; Automatic finds out by itself."));
    m_proxy->setPlaceholderText(tr("system proxy — or http://host:port, or direct"));
    m_proxy->setAccessibleName(tr("Proxy"));
    m_proxy->setToolTip(tr("Empty: the system's proxy (https_proxy, desktop settings). “direct”: none. "
                           "Otherwise an HTTP proxy that tunnels with CONNECT: http://host:port."));
    m_proxyUser->setPlaceholderText(tr("only if the proxy asks for one"));
    m_proxyUser->setAccessibleName(tr("Proxy user"));
    m_proxyPassword->setEchoMode(QLineEdit::Password);
    m_proxyPassword->setAccessibleName(tr("Proxy password"));
    m_caFile->setPlaceholderText(tr("optional: a PEM file of CAs to trust besides the system's"));
    m_caFile->setAccessibleName(tr("CA file"));
    m_caFile->setToolTip(tr("For a proxy that inspects TLS: its CA certificate (PEM), which IT can give you."));
    auto* browse = new QPushButton(tr("&Browse…"), m_caRow);
    browse->setAccessibleName(tr("Browse for a CA file"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start
            = m_caFile->text().trimmed().isEmpty() ? QString() : QFileInfo(m_caFile->text().trimmed()).path();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("CA certificates to trust"), start, tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
        if (path.isEmpty())
            return;
        m_caFile->setText(path);
        m_networkEdited = true;
        updateNetworkSummary();
    });
    const auto edited = [this] {
        m_networkEdited = true;
        updateNetworkSummary();
    };
    connect(m_transport, &QComboBox::activated, this, edited);
    for (auto* e : { m_proxy, m_proxyUser, m_proxyPassword, m_caFile })
        connect(e, &QLineEdit::textEdited, this, edited);
    connect(m_proxy, &QLineEdit::editingFinished, this, &ConnectDialog::moveProxyCredentials);

    auto* ca = new QHBoxLayout(m_caRow);
    ca->setContentsMargins(0, 0, 0, 0);
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    m_caRow->setFocusProxy(m_caFile); // the label's mnemonic goes to the path
    // Rows of the same form, so the labels line up; the toggle folds them away.
    form->addRow(m_networkToggle);
    form->addRow(tr("Tran&sport:"), m_transport);
    form->addRow(tr("Pro&xy:"), m_proxy);
    form->addRow(tr("Proxy &user:"), m_proxyUser);
    form->addRow(tr("Proxy pass&word:"), m_proxyPassword);
    form->addRow(tr("CA &file:"), m_caRow);
    updateNetworkSummary();
}

bool ConnectDialog::networkShown() const
{
    return m_networkToggle->isChecked();
}

void ConnectDialog::showNetwork(bool on)
{
    if (m_networkToggle->isChecked() != on)
        m_networkToggle->setChecked(on); // comes back here through toggled()
    m_networkToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    if (m_networkRowsShown == on)
        return;
    m_networkRowsShown = on;
    for (QWidget* w : { static_cast<QWidget*>(m_transport), static_cast<QWidget*>(m_proxy),
             static_cast<QWidget*>(m_proxyUser), static_cast<QWidget*>(m_proxyPassword), m_caRow })
        m_form->setRowVisible(w, on);
    if (layout()) {
        layout()->activate();
        resize(width(), sizeHint().height());
    }
}

void ConnectDialog::updateNetworkSummary()
{
    const auto n = networkSettings();
    QStringList parts;
    parts << (n.transport == AmqpTransport::Auto ? tr("automatic transport") : m_transport->currentText());
    const auto proxy = splitProxyCredentials(n.proxy);
    QNetworkProxy parsed;
    QString ignored;
    if (proxy.address.isEmpty())
        parts << tr("system proxy");
    else if (!parseProxySetting(proxy.address, parsed, ignored))
        parts << tr("proxy not understood");
    else if (parsed.type() == QNetworkProxy::NoProxy)
        parts << tr("no proxy");
    else
        parts << tr("proxy %1").arg(proxyDisplay(parsed))
                + (proxy.user.isEmpty() ? QString() : tr(" as %1").arg(proxy.user));
    if (!n.caFile.isEmpty())
        parts << tr("CA file %1").arg(QFileInfo(n.caFile).fileName());
    m_networkToggle->setText(tr("&Network: %1").arg(parts.join(QStringLiteral(", "))));
    m_networkToggle->setAccessibleName(tr("Network settings: %1").arg(parts.join(QStringLiteral(", "))));
}

void ConnectDialog::moveProxyCredentials()
{
    const auto parts = splitProxyCredentials(m_proxy->text());
    if (parts.user.isEmpty() && parts.password.isEmpty())
        return;
    m_proxy->setText(parts.address);
    m_proxyUser->setText(parts.user);
    m_proxyPassword->setText(parts.password);
    updateNetworkSummary();
}

NetworkSettings ConnectDialog::networkSettings() const
{
    NetworkSettings n = m_networkBase;
    n.transport = parseTransport(m_transport->currentData().toString()).value_or(AmqpTransport::Auto);
    // Credentials typed into the address itself count when the user and password fields are empty.
    const auto typed = splitProxyCredentials(m_proxy->text());
    const QString user = m_proxyUser->text().trimmed();
    n.proxy = user.isEmpty() ? joinProxyCredentials(typed)
                             : joinProxyCredentials(typed.address, user, m_proxyPassword->text());
    n.caFile = m_caFile->text().trimmed();
    n.extraCaCertificates.clear();
    return n;
}

void ConnectDialog::setNetworkSettings(const NetworkSettings& network)
{
    m_networkBase = network;
    const int index = m_transport->findData(QString::fromLatin1(transportName(network.transport)));
    m_transport->setCurrentIndex(index < 0 ? 0 : index);
    const auto proxy = splitProxyCredentials(network.proxy);
    m_proxy->setText(proxy.address);
    m_proxyUser->setText(proxy.user);
    m_proxyPassword->setText(proxy.password);
    m_caFile->setText(network.caFile);
    m_networkEdited = false;
    updateNetworkSummary();
    NetworkSettings plain = network;
    plain.extraCaCertificates.clear();
    if (!(plain == NetworkSettings {}))
        showNetwork(true);
}

QString ConnectDialog::application() const
{
    return m_app->text().trimmed();
}

QString ConnectDialog::token() const
{
    return m_token->text().trimmed();
}

bool ConnectDialog::useAzLogin() const
{
    return m_az->isChecked();
}

QString ConnectDialog::eventHubConnectionString() const
{
    return m_eventHub->text().trimmed();
}

bool ConnectDialog::rememberSecrets() const
{
    return m_remember->isChecked();
}

void ConnectDialog::setApplication(const QString& app)
{
    m_app->setText(app);
    m_lastBaseUrl = app.trimmed().isEmpty() ? QString() : profile().baseUrl; // whoever sets it sets the rest
}

void ConnectDialog::setToken(const QString& token)
{
    m_token->setText(token);
}

void ConnectDialog::setEventHubConnectionString(const QString& cs)
{
    m_eventHub->setText(cs);
}

void ConnectDialog::setNotice(const QString& text)
{
    m_notice->setText(text);
}

QString ConnectDialog::notice() const
{
    return m_notice->text();
}

void ConnectDialog::prefillSecrets(std::shared_ptr<SecretStore> secrets)
{
    const QString app = application();
    if (app.isEmpty())
        return;
    const QString baseUrl = profile().baseUrl;
    using Saved = std::tuple<QString, QString, QString>;
    auto* loader = new QFutureWatcher<Saved>(this);
    connect(loader, &QFutureWatcher<Saved>::finished, this, [this, loader, secrets, baseUrl] {
        const auto [token, eventHub, proxyPassword] = loader->result();
        loader->deleteLater();
        if (m_token->text().isEmpty() && !token.isEmpty())
            setToken(token);
        if (m_eventHub->text().isEmpty() && !eventHub.isEmpty())
            setEventHubConnectionString(eventHub);
        // Only for the application it was saved with, and only where no password was typed.
        if (m_proxyPassword->text().isEmpty() && !proxyPassword.isEmpty() && profile().baseUrl == baseUrl)
            m_proxyPassword->setText(proxyPassword);
        if (!secrets->persistent())
            setNotice(secrets->notice());
    });
    // A D-Bus round trip (or its timeout): never on the GUI thread.
    loader->setFuture(QtConcurrent::run([secrets, app, baseUrl]() -> Saved {
        return { secrets->load(QStringLiteral("api-token:") + app).value_or(QString()),
            secrets->load(QStringLiteral("eventhub:") + app).value_or(QString()),
            secrets->load(proxySecretKey(baseUrl)).value_or(QString()) };
    }));
}

ConnectionProfile ConnectDialog::profile() const
{
    const QString app = application();
    return app.contains(QStringLiteral("://")) ? ConnectionProfile::forBaseUrl(app) : ConnectionProfile::forApp(app);
}

QFuture<ConnectDialog::SignIn> ConnectDialog::signIn(std::shared_ptr<SecretStore> secrets) const
{
    const auto proxy = splitProxyCredentials(networkSettings().proxy);
    return QtConcurrent::run([az = useAzLogin(), token = token(), remember = rememberSecrets(), app = application(),
                                 eventHub = eventHubConnectionString(), secrets, caFile = m_caFile->text().trimmed(),
                                 proxyKey = proxySecretKey(profile().baseUrl), proxy]() -> SignIn {
        SignIn r;
        // A CA file that cannot be read stops here: connecting without it would only fail later
        // with an untrusted certificate, far from the cause.
        if (!caFile.isEmpty() && !loadCaFile(caFile, r.extraCaCertificates, r.error)) {
            r.errorTitle = QObject::tr("CA file");
            return r;
        }
        if (remember && !eventHub.isEmpty())
            secrets->store(QStringLiteral("eventhub:") + app, eventHub);
        if (remember && !proxy.password.isEmpty())
            secrets->store(proxyKey, proxy.password);
        else if (remember && proxy.user.isEmpty())
            secrets->remove(proxyKey); // no proxy credentials any more: none kept
        if (az) {
            r.authorization = bearerTokenFromAzureCli(r.error); // runs az: a process
            if (!r.error.isEmpty())
                r.errorTitle = QObject::tr("Could not sign in");
            return r;
        }
        if (remember)
            secrets->store(QStringLiteral("api-token:") + app, token);
        ConnectionProfile p;
        p.setToken(token);
        r.authorization = p.authorization;
        return r;
    });
}

} // namespace iotc
