// Secrets go to the OS keyring or, without one, stay in memory for the run with a notice; a
// keyring that never answers is given up after a bounded wait.
#include "central/secretstore.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusVirtualObject>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

TEST(SecretStore, WithoutAKeyringSecretsStayInMemoryWithANotice)
{
    // No session bus here: the keyring cannot be reached (CI machines have none either).
    setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/iotc-test-bus", 1);
    iotc::SecretStore store(QStringLiteral("iotc-workbench-test"));
    EXPECT_FALSE(store.store(QStringLiteral("profile/contoso"), QStringLiteral("SharedAccessSignature sr=x&sig=y")));
    EXPECT_FALSE(store.persistent());
    EXPECT_TRUE(store.notice().contains(QStringLiteral("memory for this run"))) << store.notice().toStdString();
    ASSERT_TRUE(store.load(QStringLiteral("profile/contoso")));
    EXPECT_EQ(*store.load(QStringLiteral("profile/contoso")), QStringLiteral("SharedAccessSignature sr=x&sig=y"));
    store.remove(QStringLiteral("profile/contoso"));
    EXPECT_FALSE(store.load(QStringLiteral("profile/contoso")));
}

namespace {

// A kwalletd that takes every call and never answers: a locked or hung keyring.
class SilentWallet : public QDBusVirtualObject {
public:
    QString introspect(const QString&) const override { return {}; }
    bool handleMessage(const QDBusMessage&, const QDBusConnection&) override
    {
        ++calls;
        return true; // handled, and no reply will ever come
    }
    int calls = 0;
};

} // namespace

TEST(SecretStore, AKeyringThatNeverAnswersIsGivenUpAfterTheTimeout)
{
    // QtKeychain picks its backend and Qt its session bus once per process: this runs in a process
    // of its own, on a private bus (a unix socket in a temporary directory).
    const char* childFlag = "IOTC_TEST_SILENT_KEYRING";
    if (!qEnvironmentVariableIsSet(childFlag)) {
        if (QStandardPaths::findExecutable(QStringLiteral("dbus-daemon")).isEmpty())
            GTEST_SKIP() << "no dbus-daemon to run a private bus";
        QProcess child;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(childFlag), QStringLiteral("1"));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(),
            { QStringLiteral("--gtest_filter=SecretStore.AKeyringThatNeverAnswersIsGivenUpAfterTheTimeout") });
        ASSERT_TRUE(child.waitForStarted(10000));
        const bool ended = child.waitForFinished(60000);
        if (!ended)
            child.kill();
        const std::string output = child.readAll().toStdString();
        ASSERT_TRUE(ended) << output;
        EXPECT_EQ(child.exitStatus(), QProcess::NormalExit) << output;
        EXPECT_EQ(child.exitCode(), 0) << output;
        EXPECT_NE(output.find("[  PASSED  ] 1 test"), std::string::npos) << output;
        return;
    }

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString config = dir.filePath(QStringLiteral("bus.conf"));
    std::ofstream(config.toStdString())
        << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
           "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
           "<busconfig><type>session</type><listen>unix:path="
        << dir.filePath(QStringLiteral("bus")).toStdString()
        << "</listen><policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
           "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n";
    QProcess bus;
    bus.start(QStringLiteral("dbus-daemon"),
        { QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"), QStringLiteral("--print-address") });
    ASSERT_TRUE(bus.waitForStarted(10000));
    QElapsedTimer clock;
    clock.start();
    while (!bus.canReadLine() && clock.elapsed() < 10000)
        bus.waitForReadyRead(1000);
    const QString address = QString::fromUtf8(bus.readLine()).trimmed();
    ASSERT_FALSE(address.isEmpty()) << bus.readAllStandardError().toStdString();

    // Before the first D-Bus use: the session bus is ours, the desktop one whose keyring is kwalletd.
    qputenv("DBUS_SESSION_BUS_ADDRESS", address.toUtf8());
    qputenv("XDG_CURRENT_DESKTOP", "KDE");
    qputenv("KDE_SESSION_VERSION", "4");
    SilentWallet wallet;
    {
        QDBusConnection service = QDBusConnection::connectToBus(address, QStringLiteral("iotc-silent-wallet"));
        ASSERT_TRUE(service.isConnected());
        ASSERT_TRUE(service.registerVirtualObject(QStringLiteral("/modules/kwalletd"), &wallet));
        ASSERT_TRUE(service.registerService(QStringLiteral("org.kde.kwalletd")));
    }

    iotc::SecretStore store(QStringLiteral("iotc-workbench-test"), 300);
    clock.restart();
    EXPECT_FALSE(store.store(QStringLiteral("profile/contoso"), QStringLiteral("SharedAccessSignature sr=x&sig=y")));
    const qint64 waited = clock.elapsed();
    EXPECT_GE(wallet.calls, 1) << "the call reached the keyring";
    EXPECT_GE(waited, 250) << "it waited for the keyring";
    EXPECT_LT(waited, 5000) << "and not for longer than its timeout (plus slack)";
    EXPECT_FALSE(store.persistent());
    EXPECT_TRUE(store.notice().contains(QStringLiteral("did not answer"))) << store.notice().toStdString();
    EXPECT_TRUE(store.notice().contains(QStringLiteral("memory for this run"))) << store.notice().toStdString();

    // From then on the keyring is not asked again: no second wait.
    clock.restart();
    ASSERT_TRUE(store.load(QStringLiteral("profile/contoso")));
    EXPECT_EQ(*store.load(QStringLiteral("profile/contoso")), QStringLiteral("SharedAccessSignature sr=x&sig=y"));
    EXPECT_FALSE(store.load(QStringLiteral("profile/other")));
    EXPECT_LT(clock.elapsed(), 250);
    EXPECT_EQ(wallet.calls, 1);

    QDBusConnection::disconnectFromBus(QStringLiteral("iotc-silent-wallet"));
    bus.kill();
    bus.waitForFinished(5000);
}
