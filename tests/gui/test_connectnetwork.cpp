// The workbench's network settings, offscreen through the real widgets: the Connect dialog's
// Network section, saving them with the application (the proxy password only in the keyring), the
// CA file read when signing in, the route in the status bar, and a proxy asking for credentials.
#include "connectdialog.h"
#include "monitorstatuswidget.h"
#include "proxycredentials.h"
#include "session.h"
#include "signinflow.h"

#include "central/secretstore.h"
#include "sim/simulatedapp.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

QCoreApplication* createTestApplication(int& argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    return new QApplication(argc, argv);
}

namespace {

const QString CaFile = QStringLiteral(IOTC_TEST_DATA_DIR "/tls/ca.pem");

QLineEdit* field(QWidget* dialog, const QString& accessibleName)
{
    for (auto* e : dialog->findChildren<QLineEdit*>())
        if (e->accessibleName() == accessibleName)
            return e;
    return nullptr;
}

void clickConnect(QDialog* dialog)
{
    auto* box = dialog->findChild<QDialogButtonBox*>();
    ASSERT_TRUE(box);
    box->button(QDialogButtonBox::Ok)->click();
}

// Everything the settings file holds, keys and values, and the file's bytes.
QString settingsText()
{
    QSettings settings;
    settings.sync();
    QString text;
    for (const QString& key : settings.allKeys())
        text += key + QLatin1Char('=') + settings.value(key).toString() + QLatin1Char('\n');
    QFile file(settings.fileName());
    if (file.open(QIODevice::ReadOnly))
        text += QString::fromUtf8(file.readAll());
    return text;
}

// Runs job on the modal dialog of type D that opens over window (once it is there).
template <class D> void whenOpen(QWidget* window, std::function<void(D*)> job)
{
    auto* poll = new QTimer(window);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, window, [window, poll, job] {
        for (auto* d : window->findChildren<D*>()) {
            if (d->isVisible()) {
                poll->stop();
                poll->deleteLater();
                job(d);
                return;
            }
        }
    });
    poll->start();
}

struct SignInRig {
    iotc::sim::SimulatedApp app;
    iotc::sim::SimEndpoints e = app.start();
    QWidget window;
    iotc::Session session;
    iotc::SignInFlow flow { &session, &window };
    std::shared_ptr<iotc::SecretStore> secrets
        = std::make_shared<iotc::SecretStore>(QStringLiteral("iotc-workbench-test-network"));

    SignInRig() { flow.setSecretStore(secrets); }
    ~SignInRig() { secrets->remove(iotc::proxySecretKey(e.baseUrl)); }
};

} // namespace

TEST(ProxyCredentials, SplitAndJoinKeepAnyPasswordAndNeverTouchKeywords)
{
    const QString password = QStringLiteral("p@ss:w%rd/é");
    const QString joined = iotc::joinProxyCredentials(QStringLiteral("http://proxy.example:8080"), "alice", password);
    QNetworkProxy parsed;
    QString error;
    ASSERT_TRUE(iotc::parseProxySetting(joined, parsed, error)) << error.toStdString();
    EXPECT_EQ(parsed.hostName(), QStringLiteral("proxy.example"));
    EXPECT_EQ(parsed.port(), 8080);
    EXPECT_EQ(parsed.user(), QStringLiteral("alice"));
    EXPECT_EQ(parsed.password(), password);
    const auto parts = iotc::splitProxyCredentials(joined);
    EXPECT_EQ(parts.address, QStringLiteral("http://proxy.example:8080"));
    EXPECT_EQ(parts.user, QStringLiteral("alice"));
    EXPECT_EQ(parts.password, password);
    EXPECT_EQ(iotc::splitProxyCredentials(QStringLiteral("bob:x@10.0.0.1:3128")).address,
        QStringLiteral("http://10.0.0.1:3128"));
    // Nothing to attach credentials to: the setting is left as it is.
    EXPECT_EQ(iotc::joinProxyCredentials(QString(), "alice", "pw"), QString());
    EXPECT_EQ(iotc::joinProxyCredentials(QStringLiteral("direct"), "alice", "pw"), QStringLiteral("direct"));
    EXPECT_EQ(iotc::joinProxyCredentials(QStringLiteral("proxy.example:3128"), QString(), "pw"),
        QStringLiteral("proxy.example:3128"));
    EXPECT_EQ(iotc::splitProxyCredentials(QStringLiteral("direct")).address, QStringLiteral("direct"));

    QString named;
    EXPECT_TRUE(iotc::proxyAsksForCredentials(
        QStringLiteral("hub x: the proxy proxy.example:8080 asks for credentials, and none were accepted"), &named));
    EXPECT_EQ(named, QStringLiteral("proxy.example:8080"));
    EXPECT_FALSE(iotc::proxyAsksForCredentials(QStringLiteral("the proxy proxy.example:8080 could not be reached")));

    // The configured proxy wins over the one named; the named one over the system's.
    iotc::NetworkSettings n;
    n.proxy = QStringLiteral("http://old:gone@proxy.example:8080");
    EXPECT_EQ(iotc::proxySettingWithCredentials(n, QStringLiteral("other:1"), QString(), "bob", "pw"),
        QStringLiteral("http://bob:pw@proxy.example:8080"));
    n.proxy.clear();
    EXPECT_EQ(iotc::proxySettingWithCredentials(n, QStringLiteral("other.example:3128"), QString(), "bob", "pw"),
        QStringLiteral("http://bob:pw@other.example:3128"));
    n.proxy = QStringLiteral("direct");
    EXPECT_EQ(
        iotc::proxySettingWithCredentials(n, QString(), QStringLiteral("http://127.0.0.1:1"), "bob", "pw"), QString())
        << "no proxy to give them to";
}

TEST(ConnectNetwork, TheDialogGivesBackTheNetworkSettingsItWasGiven)
{
    iotc::ConnectDialog dialog;
    EXPECT_EQ(dialog.networkSettings(), iotc::NetworkSettings {});
    EXPECT_FALSE(dialog.networkShown()) << "the defaults: the section stays folded";

    iotc::NetworkSettings n;
    n.transport = iotc::AmqpTransport::AmqpWebSockets;
    n.websocketPort = 8443;
    n.proxy = iotc::joinProxyCredentials(QStringLiteral("http://proxy.example:8080"), "alice", "s3cret:@pw");
    n.caFile = CaFile;
    dialog.setNetworkSettings(n);
    EXPECT_EQ(dialog.networkSettings(), n);
    EXPECT_TRUE(dialog.networkShown()) << "settings that are not the defaults are shown";
    EXPECT_FALSE(dialog.networkEdited());

    auto* proxy = field(&dialog, QStringLiteral("Proxy"));
    auto* user = field(&dialog, QStringLiteral("Proxy user"));
    auto* password = field(&dialog, QStringLiteral("Proxy password"));
    ASSERT_TRUE(proxy && user && password && field(&dialog, QStringLiteral("CA file")));
    EXPECT_EQ(proxy->text(), QStringLiteral("http://proxy.example:8080")) << "no credentials in the address";
    EXPECT_EQ(user->text(), QStringLiteral("alice"));
    EXPECT_EQ(password->echoMode(), QLineEdit::Password) << "the proxy password is never shown";
    EXPECT_EQ(proxy->placeholderText(), QStringLiteral("system proxy — or http://host:port, or direct"));
    auto* transport = dialog.findChild<QComboBox*>();
    ASSERT_TRUE(transport);
    EXPECT_EQ(transport->accessibleName(), QStringLiteral("Transport"));
    EXPECT_EQ(transport->currentText(), QStringLiteral("AMQP over WebSockets (443)"));
    EXPECT_EQ(transport->count(), 3);

    // Credentials typed into the address move to their own fields once it is accepted.
    dialog.setApplication(QStringLiteral("contoso"));
    dialog.setToken(QStringLiteral("SharedAccessSignature sr=x&sig=y&skn=z&se=1"));
    user->clear();
    password->clear();
    proxy->setText(QStringLiteral("http://bob:typed-pw@10.0.0.1:3128"));
    transport->setCurrentIndex(transport->findText(QStringLiteral("AMQP over TLS (5671)")));
    dialog.show();
    clickConnect(&dialog);
    EXPECT_EQ(dialog.result(), QDialog::Accepted) << dialog.notice().toStdString();
    EXPECT_EQ(proxy->text(), QStringLiteral("http://10.0.0.1:3128"));
    EXPECT_EQ(user->text(), QStringLiteral("bob"));
    EXPECT_EQ(password->text(), QStringLiteral("typed-pw"));
    const auto got = dialog.networkSettings();
    EXPECT_EQ(got.transport, iotc::AmqpTransport::Amqp);
    EXPECT_EQ(got.proxy, QStringLiteral("http://bob:typed-pw@10.0.0.1:3128"));

    // Back to the defaults: folded summary says so.
    dialog.setNetworkSettings({});
    EXPECT_EQ(dialog.networkSettings(), iotc::NetworkSettings {});
    bool summary = false;
    for (auto* b : dialog.findChildren<QToolButton*>())
        summary = summary || b->text().contains(QStringLiteral("system proxy"));
    EXPECT_TRUE(summary);
}

TEST(ConnectNetwork, AProxyThatIsNoProxyIsRefusedWithTheReason)
{
    iotc::ConnectDialog dialog;
    dialog.setApplication(QStringLiteral("contoso"));
    dialog.setToken(QStringLiteral("SharedAccessSignature sr=x&sig=y&skn=z&se=1"));
    auto* proxy = field(&dialog, QStringLiteral("Proxy"));
    auto* user = field(&dialog, QStringLiteral("Proxy user"));
    ASSERT_TRUE(proxy && user);
    dialog.show();

    proxy->setText(QStringLiteral("socks5://proxy.example:1080"));
    clickConnect(&dialog);
    EXPECT_TRUE(dialog.isVisible()) << "not accepted";
    EXPECT_TRUE(dialog.notice().contains(QStringLiteral("only HTTP proxies"))) << dialog.notice().toStdString();
    EXPECT_TRUE(dialog.networkShown()) << "the section opens to show the field at fault";

    proxy->setText(QStringLiteral("http://alice:hunter2@proxy.example"));
    clickConnect(&dialog);
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_TRUE(dialog.notice().contains(QStringLiteral("names no port"))) << dialog.notice().toStdString();
    EXPECT_FALSE(dialog.notice().contains(QStringLiteral("hunter2"))) << "the password is not repeated";

    proxy->setText(QStringLiteral("direct"));
    user->setText(QStringLiteral("alice"));
    clickConnect(&dialog);
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_TRUE(dialog.notice().contains(QStringLiteral("go with a proxy address"))) << dialog.notice().toStdString();

    proxy->setText(QStringLiteral("proxy.example:8080"));
    clickConnect(&dialog);
    EXPECT_EQ(dialog.result(), QDialog::Accepted) << dialog.notice().toStdString();
    QNetworkProxy parsed;
    QString error;
    ASSERT_TRUE(iotc::parseProxySetting(dialog.networkSettings().proxy, parsed, error));
    EXPECT_EQ(parsed.user(), QStringLiteral("alice"));
}

// Through SignInFlow::showConnectDialog as a user would: the settings go into the session's profile
// (the CA file read), are saved without the password (which goes to the keyring), come back for the
// same application, and a CA file that cannot be read stops the connection with a warning.
TEST(SignInNetwork, SavedWithTheApplicationPasswordOnlyInTheKeyring)
{
    QSettings().remove(QStringLiteral("network"));
    SignInRig rig;
    const QString password = QStringLiteral("s3cret-proxy-pw");
    QSignalSpy connecting(&rig.session, &iotc::Session::connecting);
    QSignalSpy connected(&rig.flow, &iotc::SignInFlow::connected);

    // 1. An explicit proxy with credentials (nothing listens there: the connection fails).
    whenOpen<iotc::ConnectDialog>(&rig.window, [&](iotc::ConnectDialog* d) {
        d->setApplication(rig.e.baseUrl);
        d->setToken(rig.e.apiToken);
        d->setEventHubConnectionString(rig.e.eventHubConnectionString);
        iotc::NetworkSettings n;
        n.transport = iotc::AmqpTransport::AmqpWebSockets;
        n.proxy = iotc::joinProxyCredentials(QStringLiteral("http://127.0.0.1:1"), "alice", password);
        n.caFile = CaFile;
        d->setNetworkSettings(n);
        clickConnect(d);
    });
    rig.flow.setUnattended(true);
    rig.flow.showConnectDialog();
    ASSERT_TRUE(QTest::qWaitFor([&] { return connecting.count() == 1; }, 10000))
        << "signed in (the CA file read) and handed to the session";
    const auto& network = rig.session.profile().network;
    EXPECT_EQ(network.transport, iotc::AmqpTransport::AmqpWebSockets);
    EXPECT_EQ(iotc::splitProxyCredentials(network.proxy).password, password) << "the session has it";
    EXPECT_EQ(network.caFile, CaFile);
    EXPECT_FALSE(network.extraCaCertificates.isEmpty()) << "the CA file's certificates, read off the GUI thread";
    ASSERT_TRUE(QTest::qWaitFor([&] { return connected.count() == 1; }, 20000));
    EXPECT_FALSE(connected.last().at(0).toBool()) << "no proxy on port 1";

    const QString saved = settingsText();
    EXPECT_TRUE(saved.contains(QStringLiteral("alice"))) << saved.toStdString();
    EXPECT_TRUE(saved.contains(QStringLiteral("127.0.0.1:1"))) << saved.toStdString();
    EXPECT_FALSE(saved.contains(password)) << "the proxy password is never in the settings file";
    EXPECT_EQ(rig.secrets->load(iotc::proxySecretKey(rig.e.baseUrl)).value_or(QString()), password)
        << "it is in the keyring";
    auto restored = iotc::SignInFlow::savedNetworkSettings(rig.e.baseUrl);
    EXPECT_EQ(restored.transport, iotc::AmqpTransport::AmqpWebSockets);
    EXPECT_EQ(restored.caFile, CaFile);
    EXPECT_EQ(restored.proxy, QStringLiteral("http://alice@127.0.0.1:1"));
    EXPECT_EQ(iotc::SignInFlow::savedNetworkSettings(QStringLiteral("https://other.azureiotcentral.com")),
        iotc::NetworkSettings {})
        << "per application";

    // 2. Opened again for that application: everything is back, the password from the keyring.
    // Another application typed in shows its own (none); then direct, which connects.
    QSettings().setValue(QStringLiteral("lastApplication"), rig.e.baseUrl);
    iotc::NetworkSettings shown;
    iotc::NetworkSettings forOther;
    whenOpen<iotc::ConnectDialog>(&rig.window, [&](iotc::ConnectDialog* d) {
        EXPECT_TRUE(
            QTest::qWaitFor([&] { return !field(d, QStringLiteral("Proxy password"))->text().isEmpty(); }, 10000));
        shown = d->networkSettings();
        auto* app = field(d, QStringLiteral("Application"));
        app->setText(QStringLiteral("other"));
        Q_EMIT app->editingFinished();
        forOther = d->networkSettings();
        app->setText(rig.e.baseUrl);
        Q_EMIT app->editingFinished();
        d->setToken(rig.e.apiToken);
        d->setEventHubConnectionString(rig.e.eventHubConnectionString);
        field(d, QStringLiteral("Proxy user"))->clear();
        field(d, QStringLiteral("Proxy password"))->clear();
        field(d, QStringLiteral("Proxy"))->setText(QStringLiteral("direct"));
        clickConnect(d);
    });
    rig.flow.showConnectDialog();
    iotc::NetworkSettings expected;
    expected.transport = iotc::AmqpTransport::AmqpWebSockets;
    expected.proxy = iotc::joinProxyCredentials(QStringLiteral("http://127.0.0.1:1"), "alice", password);
    expected.caFile = CaFile;
    EXPECT_EQ(shown, expected);
    EXPECT_EQ(forOther, iotc::NetworkSettings {});
    ASSERT_TRUE(QTest::qWaitFor([&] { return connected.count() == 2; }, 20000));
    EXPECT_TRUE(connected.last().at(0).toBool()) << "direct to the simulator";
    EXPECT_EQ(rig.session.profile().network.proxy, QStringLiteral("direct"));
    EXPECT_FALSE(rig.session.profile().network.extraCaCertificates.isEmpty());
    EXPECT_FALSE(rig.secrets->load(iotc::proxySecretKey(rig.e.baseUrl)).has_value())
        << "no proxy credentials any more: the saved password is gone";
    EXPECT_EQ(iotc::SignInFlow::savedNetworkSettings(rig.e.baseUrl).proxy, QStringLiteral("direct"));

    // 3. A CA file that cannot be read: a warning that says so, and no connection attempt.
    const int attempts = connecting.count();
    QString warning;
    whenOpen<iotc::ConnectDialog>(&rig.window, [&](iotc::ConnectDialog* d) {
        d->setToken(rig.e.apiToken);
        field(d, QStringLiteral("CA file"))->setText(QStringLiteral("/nonexistent/inspection-ca.pem"));
        clickConnect(d);
        whenOpen<QMessageBox>(&rig.window, [&](QMessageBox* box) {
            warning = box->windowTitle() + QLatin1Char(':') + box->text();
            box->done(QMessageBox::Ok);
        });
    });
    rig.flow.showConnectDialog();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !warning.isEmpty(); }, 10000));
    EXPECT_TRUE(warning.contains(QStringLiteral("cannot read the CA file /nonexistent/inspection-ca.pem")))
        << warning.toStdString();
    QTest::qWait(200);
    EXPECT_EQ(connecting.count(), attempts) << "nothing connects without its CA";
    EXPECT_TRUE(rig.session.isConnected()) << "the session goes on as it was";
    EXPECT_EQ(iotc::SignInFlow::savedNetworkSettings(rig.e.baseUrl).caFile, CaFile) << "not saved";
    QSettings().remove(QStringLiteral("network"));
}

TEST(MonitorStatusNetwork, TheStatusBarSaysHowTheStreamTravels)
{
    iotc::MonitorStatusWidget widget;
    iotc::MonitorStatus s;
    s.phase = iotc::MonitorStatus::Phase::Running;
    s.partitions.resize(2);
    for (int i = 0; i < 2; ++i) {
        s.partitions[i].partition = i;
        s.partitions[i].state = iotc::PartitionState::State::Receiving;
    }
    widget.setStatus(s);
    EXPECT_TRUE(widget.text().startsWith(QStringLiteral("● Live: 2/2 partitions receiving"))) << "no route yet";
    s.route = QStringLiteral("AMQP over WebSockets (443) through proxy.example:8080");
    s.eventsPerSecond = 12.5;
    widget.setStatus(s);
    EXPECT_TRUE(widget.text().startsWith(
        QStringLiteral("● Live via AMQP over WebSockets (443) through proxy.example:8080 — 2/2 partitions receiving")))
        << widget.text().toStdString();
    EXPECT_TRUE(widget.text().contains(QStringLiteral("12.5 events/s"))) << "the rest is still there";

    // The real stream against the simulator: the route it took shows up.
    iotc::sim::SimulatedApp app;
    const auto e = app.start();
    iotc::Session session;
    QSignalSpy connected(&session, &iotc::Session::connected);
    auto profile = iotc::ConnectionProfile::forBaseUrl(e.baseUrl);
    profile.setToken(e.apiToken);
    QString error;
    session.connectTo(profile, iotc::EventHubTarget::fromConnectionString(e.eventHubConnectionString, error));
    ASSERT_TRUE(connected.wait(15000));
    session.startMonitor();
    ASSERT_TRUE(session.monitor());
    QObject::connect(
        session.monitor(), &iotc::LiveMonitor::statusChanged, &widget, &iotc::MonitorStatusWidget::setStatus);
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return widget.text().contains(QStringLiteral("● Live via plain AMQP (")); }, 15000))
        << widget.text().toStdString();
}

// Live monitoring stopped by a proxy asking for credentials: the workbench asks for them and
// connects again through that proxy with them, once per failure.
TEST(SignInNetwork, AProxyAskingForCredentialsIsAnsweredInTheWorkbench)
{
    QSettings().remove(QStringLiteral("network"));
    SignInRig rig;
    QSignalSpy connected(&rig.session, &iotc::Session::connected);
    auto profile = iotc::ConnectionProfile::forBaseUrl(rig.e.baseUrl);
    profile.setToken(rig.e.apiToken);
    QString error;
    rig.session.connectTo(profile, iotc::EventHubTarget::fromConnectionString(rig.e.eventHubConnectionString, error));
    ASSERT_TRUE(connected.wait(15000));
    rig.session.startMonitor();
    ASSERT_TRUE(rig.session.monitor());

    QSignalSpy asked(&rig.flow, &iotc::SignInFlow::proxyCredentialsAsked);
    QSignalSpy connecting(&rig.session, &iotc::Session::connecting);
    QString question;
    bool passwordHidden = false;
    whenOpen<iotc::ProxyCredentialsDialog>(&rig.window, [&](iotc::ProxyCredentialsDialog* d) {
        for (auto* l : d->findChildren<QLabel*>())
            question += l->text();
        passwordHidden = field(d, QStringLiteral("Proxy password"))->echoMode() == QLineEdit::Password;
        clickConnect(d);
        EXPECT_TRUE(d->isVisible()) << "a user name is needed";
        field(d, QStringLiteral("Proxy user"))->setText(QStringLiteral("bob"));
        field(d, QStringLiteral("Proxy password"))->setText(QStringLiteral("pa:ss@1"));
        clickConnect(d);
    });
    iotc::MonitorStatus failed;
    failed.phase = iotc::MonitorStatus::Phase::Failed;
    // A failure that is not about credentials asks nothing.
    failed.message = QStringLiteral("the proxy 127.0.0.1:3128 could not be reached");
    Q_EMIT rig.session.monitor()->statusChanged(failed);
    QTest::qWait(100);
    EXPECT_EQ(asked.count(), 0);

    failed.message = QStringLiteral("every consumer failed: the proxy 127.0.0.1:3128 asks for credentials, and none "
                                    "were accepted: give them as --proxy http://USER:PASSWORD@127.0.0.1:3128");
    Q_EMIT rig.session.monitor()->statusChanged(failed);
    Q_EMIT rig.session.monitor()->statusChanged(failed); // the same failure told again: asked once
    ASSERT_TRUE(QTest::qWaitFor([&] { return connecting.count() == 1; }, 10000)) << "connects again";
    EXPECT_EQ(asked.count(), 1);
    EXPECT_EQ(asked.at(0).at(0).toString(), QStringLiteral("127.0.0.1:3128"));
    EXPECT_TRUE(question.contains(QStringLiteral("127.0.0.1:3128"))) << question.toStdString();
    EXPECT_TRUE(passwordHidden);
    QNetworkProxy proxy;
    ASSERT_TRUE(iotc::parseProxySetting(rig.session.profile().network.proxy, proxy, error)) << error.toStdString();
    EXPECT_EQ(proxy.hostName(), QStringLiteral("127.0.0.1"));
    EXPECT_EQ(proxy.port(), 3128);
    EXPECT_EQ(proxy.user(), QStringLiteral("bob"));
    EXPECT_EQ(proxy.password(), QStringLiteral("pa:ss@1"));
    EXPECT_EQ(iotc::SignInFlow::savedNetworkSettings(rig.e.baseUrl).proxy, QStringLiteral("http://bob@127.0.0.1:3128"));
    EXPECT_FALSE(settingsText().contains(QStringLiteral("pa:ss@1")));
    EXPECT_TRUE(QTest::qWaitFor(
        [&] { return rig.secrets->load(iotc::proxySecretKey(rig.e.baseUrl)) == QStringLiteral("pa:ss@1"); }, 10000))
        << "remembered in the keyring";
    QSettings().remove(QStringLiteral("network"));
}
// The dialog renders with its Network section open and folded; IOTC_SCREENSHOT=path keeps the
// pictures for a look at the layout (otherwise they go to a temporary folder).
TEST(ConnectNetwork, Screenshot)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QByteArray given = qgetenv("IOTC_SCREENSHOT");
    const QByteArray path = given.isEmpty() ? dir.filePath(QStringLiteral("connectdialog.png")).toLocal8Bit() : given;
    iotc::ConnectDialog dialog;
    dialog.setApplication(QStringLiteral("contoso"));
    iotc::NetworkSettings n;
    n.transport = iotc::AmqpTransport::AmqpWebSockets;
    n.proxy = iotc::joinProxyCredentials(QStringLiteral("http://proxy.example:8080"), "alice", "pw");
    n.caFile = QStringLiteral("/etc/ssl/contoso-inspection-ca.pem");
    dialog.setNetworkSettings(n);
    dialog.setNotice(QStringLiteral("The proxy: the proxy URL names no port (http://proxy.example:PORT)."));
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    EXPECT_TRUE(dialog.grab().save(QString::fromLocal8Bit(path)));
    iotc::ConnectDialog folded; // the defaults: the section folded into its summary
    folded.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&folded));
    EXPECT_TRUE(folded.grab().save(
        QString::fromLocal8Bit(path).replace(QStringLiteral(".png"), QStringLiteral("-folded.png"))));
}
