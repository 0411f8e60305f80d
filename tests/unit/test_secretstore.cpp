// Secrets go to the OS keyring or, without one, stay in memory for the run with a notice.
#include "central/secretstore.h"

#include <gtest/gtest.h>

#include <cstdlib>

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
