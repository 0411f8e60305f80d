#include "connectdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

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

} // namespace iotc
