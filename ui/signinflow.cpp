#include "signinflow.h"

#include "connectdialog.h"
#include "session.h"

#include "central/secretstore.h"
#include "eventhub/eventhubtarget.h"

#include <QFutureWatcher>
#include <QMessageBox>
#include <QSettings>
#include <QWidget>

#include <optional>

namespace iotc {

SignInFlow::SignInFlow(Session* session, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_window(window)
    , m_secrets(std::make_shared<SecretStore>())
{
    connect(m_session, &Session::connecting, this, &SignInFlow::stateChanged);
    connect(m_session, &Session::connectionFailed, this, [this](const QString& why) {
        Q_EMIT stateChanged(tr("✖ Not connected"));
        if (m_demoRequested)
            Q_EMIT demoStarted(false);
        m_demoRequested = false;
        Q_EMIT connected(false);
        QMessageBox box(QMessageBox::Warning, tr("Could not connect"), why, QMessageBox::Ok, m_window);
        box.setInformativeText(tr("Check the application name and the token (File → Connect)."));
        if (!m_unattended && m_window && m_window->isVisible())
            box.exec();
    });
    connect(m_session, &Session::connected, this, [this] {
        Q_EMIT stateChanged(tr("● Connected to %1").arg(m_session->appLabel()));
        QSettings().setValue(
            QStringLiteral("lastApplication"), m_session->isDemo() ? QString() : m_session->profile().baseUrl);
        if (m_demoRequested)
            Q_EMIT demoStarted(true);
        m_demoRequested = false;
        Q_EMIT connected(true);
    });
}

SignInFlow::~SignInFlow() = default;

QString SignInFlow::notConnectedText()
{
    return tr("Not connected — File → Connect (Ctrl+K) or Try the demo (Ctrl+Shift+D)");
}

void SignInFlow::startDemo()
{
    m_demoRequested = true;
    m_session->startDemo();
}

void SignInFlow::showConnectDialog()
{
    ConnectDialog dialog(m_window);
    dialog.setApplication(QSettings().value(QStringLiteral("lastApplication")).toString());
    dialog.prefillSecrets(m_secrets);
    const int result = dialog.exec();
    if (result == ConnectDialog::Demo) {
        Q_EMIT demoRequested();
        return;
    }
    if (result != QDialog::Accepted)
        return;
    std::optional<EventHubTarget> eventHub;
    if (!dialog.eventHubConnectionString().isEmpty()) {
        QString error;
        eventHub = EventHubTarget::fromConnectionString(dialog.eventHubConnectionString(), error);
        if (!eventHub) {
            QMessageBox::warning(m_window, tr("Event Hubs connection string"), error);
            return;
        }
    }
    Q_EMIT stateChanged(dialog.useAzLogin() ? tr("Asking az for a token…") : tr("Connecting…"));
    auto* watcher = new QFutureWatcher<ConnectDialog::SignIn>(this);
    connect(watcher, &QFutureWatcher<ConnectDialog::SignIn>::finished, this,
        [this, watcher, profile = dialog.profile(), eventHub]() mutable {
            const auto signIn = watcher->result();
            watcher->deleteLater();
            if (!signIn.error.isEmpty()) {
                Q_EMIT stateChanged(tr("✖ Not connected"));
                QMessageBox::warning(m_window, tr("Could not sign in"), signIn.error);
                return;
            }
            profile.authorization = signIn.authorization;
            if (!m_secrets->persistent())
                Q_EMIT message(m_secrets->notice(), 15000);
            m_session->connectTo(profile, eventHub);
        });
    watcher->setFuture(dialog.signIn(m_secrets));
}

} // namespace iotc
