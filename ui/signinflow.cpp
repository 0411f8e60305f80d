#include "signinflow.h"

#include "connectdialog.h"
#include "proxycredentials.h"
#include "session.h"

#include "central/secretstore.h"
#include "eventhub/eventhubtarget.h"
#include "monitor/livemonitor.h"

#include <QFutureWatcher>
#include <QMessageBox>
#include <QSettings>
#include <QUrl>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>

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
    connect(m_session, &Session::monitorChanged, this, [this](LiveMonitor* monitor) {
        const int generation = ++m_monitorGeneration;
        if (!monitor)
            return;
        connect(monitor, &LiveMonitor::statusChanged, this, [this, generation](const MonitorStatus& s) {
            QString proxy;
            if (s.phase != MonitorStatus::Phase::Failed || !proxyAsksForCredentials(s.message, &proxy)
                || m_proxyAskedFor == generation)
                return;
            m_proxyAskedFor = generation;
            // Not from inside the monitor's signal: the dialog's event loop would run under it.
            QMetaObject::invokeMethod(
                this, [this, proxy] { askProxyCredentials(proxy); }, Qt::QueuedConnection);
        });
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

namespace {

QString networkGroup(const QString& baseUrl)
{
    // A URL's slashes would nest groups: the key is the base URL percent-encoded.
    return QStringLiteral("network/") + QString::fromLatin1(QUrl::toPercentEncoding(baseUrl));
}

} // namespace

NetworkSettings SignInFlow::savedNetworkSettings(const QString& baseUrl)
{
    NetworkSettings n;
    if (baseUrl.isEmpty())
        return n;
    QSettings settings;
    settings.beginGroup(networkGroup(baseUrl));
    n.transport = parseTransport(settings.value(QStringLiteral("transport")).toString()).value_or(AmqpTransport::Auto);
    n.proxy = joinProxyCredentials(settings.value(QStringLiteral("proxy")).toString(),
        settings.value(QStringLiteral("proxyUser")).toString(), QString());
    n.caFile = settings.value(QStringLiteral("caFile")).toString();
    return n;
}

void SignInFlow::saveNetworkSettings(const QString& baseUrl, const NetworkSettings& network)
{
    if (baseUrl.isEmpty())
        return;
    QSettings settings;
    settings.remove(networkGroup(baseUrl));
    const auto proxy = splitProxyCredentials(network.proxy); // the password stays out of the file
    if (network.transport == AmqpTransport::Auto && proxy.address.isEmpty() && network.caFile.isEmpty())
        return; // the defaults: nothing to keep
    settings.beginGroup(networkGroup(baseUrl));
    settings.setValue(QStringLiteral("transport"), QString::fromLatin1(transportName(network.transport)));
    settings.setValue(QStringLiteral("proxy"), proxy.address);
    settings.setValue(QStringLiteral("proxyUser"), proxy.user);
    settings.setValue(QStringLiteral("caFile"), network.caFile);
}

void SignInFlow::askProxyCredentials(const QString& namedProxy)
{
    if (m_askingProxy || !m_session->isConnected())
        return;
    Q_EMIT proxyCredentialsAsked(namedProxy);
    const QString appBaseUrl = m_session->profile().baseUrl;
    const auto current = splitProxyCredentials(m_session->profile().network.proxy);
    if (m_unattended || !m_window) {
        Q_EMIT message(tr("Live telemetry stopped: the proxy %1 asks for credentials (File → Connect → Network).")
                           .arg(namedProxy.isEmpty() ? tr("in use") : namedProxy),
            15000);
        return;
    }
    ProxyCredentialsDialog dialog(namedProxy, m_window);
    dialog.setUser(current.user);
    dialog.setRemember(m_rememberSecrets);
    m_askingProxy = true;
    const int result = dialog.exec();
    m_askingProxy = false;
    if (result != QDialog::Accepted || !m_session->isConnected() || m_session->profile().baseUrl != appBaseUrl)
        return; // cancelled, or the session went elsewhere meanwhile
    ConnectionProfile profile = m_session->profile();
    const QString proxy
        = proxySettingWithCredentials(profile.network, namedProxy, profile.baseUrl, dialog.user(), dialog.password());
    if (proxy.isEmpty()) {
        QMessageBox::warning(m_window, tr("Proxy"),
            tr("Cannot tell which proxy asked for credentials: give its address in File → Connect → Network."));
        return;
    }
    profile.network.proxy = proxy;
    if (!m_session->isDemo()) {
        saveNetworkSettings(profile.baseUrl, profile.network);
        if (dialog.remember()) {
            // The keyring is a D-Bus round trip: not on the GUI thread.
            (void)QtConcurrent::run([secrets = m_secrets, key = proxySecretKey(profile.baseUrl),
                                        password = dialog.password()] { secrets->store(key, password); });
        }
    }
    Q_EMIT message(
        tr("Connecting again through the proxy %1 as %2…").arg(splitProxyCredentials(proxy).address, dialog.user()),
        10000);
    m_session->connectTo(profile, m_session->eventHubTarget());
}

void SignInFlow::showConnectDialog()
{
    ConnectDialog dialog(m_window);
    dialog.setApplication(QSettings().value(QStringLiteral("lastApplication")).toString());
    if (!dialog.application().isEmpty())
        dialog.setNetworkSettings(savedNetworkSettings(dialog.profile().baseUrl));
    dialog.prefillSecrets(m_secrets);
    // Another application typed in: its own saved network settings, unless the user changed them.
    connect(&dialog, &ConnectDialog::applicationChanged, this, [this, &dialog] {
        if (!dialog.networkEdited())
            dialog.setNetworkSettings(savedNetworkSettings(dialog.profile().baseUrl));
        dialog.prefillSecrets(m_secrets);
    });
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
    m_rememberSecrets = dialog.rememberSecrets();
    ConnectionProfile profile = dialog.profile();
    profile.network = dialog.networkSettings();
    Q_EMIT stateChanged(dialog.useAzLogin() ? tr("Asking az for a token…") : tr("Connecting…"));
    auto* watcher = new QFutureWatcher<ConnectDialog::SignIn>(this);
    connect(
        watcher, &QFutureWatcher<ConnectDialog::SignIn>::finished, this, [this, watcher, profile, eventHub]() mutable {
            const auto signIn = watcher->result();
            watcher->deleteLater();
            if (!signIn.error.isEmpty()) {
                Q_EMIT stateChanged(tr("✖ Not connected"));
                QMessageBox::warning(
                    m_window, signIn.errorTitle.isEmpty() ? tr("Could not sign in") : signIn.errorTitle, signIn.error);
                return;
            }
            // Saved once it was read: a CA file that cannot be read is not kept.
            saveNetworkSettings(profile.baseUrl, profile.network);
            profile.network.extraCaCertificates = signIn.extraCaCertificates;
            profile.authorization = signIn.authorization;
            if (!m_secrets->persistent())
                Q_EMIT message(m_secrets->notice(), 15000);
            m_session->connectTo(profile, eventHub);
        });
    watcher->setFuture(dialog.signIn(m_secrets));
}

} // namespace iotc
