#include "connectdialog.h"

#include "central/originpolicy.h"
#include "central/secretstore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace iotc {

ConnectDialog::ConnectDialog(QWidget* parent)
    : QDialog(parent)
    , m_app(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_az(new QCheckBox(tr("Use my &az login (Entra ID token from the Azure CLI)"), this))
    , m_eventHub(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember secrets in the OS keyring"), this))
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
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(demo, &QPushButton::clicked, this, [this] { done(Demo); });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_notice);
    layout->addWidget(buttons);
    resize(620, sizeHint().height());
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

void ConnectDialog::prefillSecrets(std::shared_ptr<SecretStore> secrets)
{
    const QString app = application();
    if (app.isEmpty())
        return;
    auto* loader = new QFutureWatcher<QPair<QString, QString>>(this);
    connect(loader, &QFutureWatcher<QPair<QString, QString>>::finished, this, [this, loader, secrets] {
        const auto [token, eventHub] = loader->result();
        loader->deleteLater();
        if (m_token->text().isEmpty() && !token.isEmpty())
            setToken(token);
        if (m_eventHub->text().isEmpty() && !eventHub.isEmpty())
            setEventHubConnectionString(eventHub);
        if (!secrets->persistent())
            setNotice(secrets->notice());
    });
    // A D-Bus round trip (or its timeout): never on the GUI thread.
    loader->setFuture(QtConcurrent::run([secrets, app]() -> QPair<QString, QString> {
        return { secrets->load(QStringLiteral("api-token:") + app).value_or(QString()),
            secrets->load(QStringLiteral("eventhub:") + app).value_or(QString()) };
    }));
}

ConnectionProfile ConnectDialog::profile() const
{
    const QString app = application();
    return app.contains(QStringLiteral("://")) ? ConnectionProfile::forBaseUrl(app) : ConnectionProfile::forApp(app);
}

QFuture<ConnectDialog::SignIn> ConnectDialog::signIn(std::shared_ptr<SecretStore> secrets) const
{
    return QtConcurrent::run([az = useAzLogin(), token = token(), remember = rememberSecrets(), app = application(),
                                 eventHub = eventHubConnectionString(), secrets]() -> SignIn {
        if (remember && !eventHub.isEmpty())
            secrets->store(QStringLiteral("eventhub:") + app, eventHub);
        if (az) {
            SignIn r;
            r.authorization = bearerTokenFromAzureCli(r.error); // runs az: a process
            return r;
        }
        if (remember)
            secrets->store(QStringLiteral("api-token:") + app, token);
        ConnectionProfile p;
        p.setToken(token);
        return { p.authorization, QString() };
    });
}

} // namespace iotc
