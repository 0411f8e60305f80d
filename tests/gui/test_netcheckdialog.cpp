// Tools -> Check this network…, offscreen through the real dialog against the simulator over TLS:
// the check runs off the GUI thread, the table shows each endpoint's steps, the verdict speaks in
// the device's terms, and Copy gives the same as text. Also from the main window's Tools menu.
#include "mainwindow.h"
#include "netcheckdialog.h"

#include "net/networksettings.h"
#include "sim/simulatedapp.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTest>
#include <gtest/gtest.h>

QCoreApplication* createTestApplication(int& argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    return new QApplication(argc, argv);
}

namespace {

using namespace iotc;

class NetCheckDialogTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        sim::SimOptions o;
        o.tls = true;
        o.rateHz = 0;
        o.extraRateHz = 0;
        app = new sim::SimulatedApp(o);
        e = app->start();
        QString error;
        loadCaFile(e.caFile, network.extraCaCertificates, error);
        network.proxy = QStringLiteral("direct");
        QTcpServer s;
        s.listen(QHostAddress::LocalHost);
        closedPort = s.serverPort();
    }
    static void TearDownTestSuite()
    {
        delete app;
        app = nullptr;
    }
    static inline sim::SimulatedApp* app = nullptr;
    static inline sim::SimEndpoints e;
    static inline NetworkSettings network;
    static inline quint16 closedPort = 0;
};

TEST_F(NetCheckDialogTest, ShowsEachEndpointAndTheVerdictInTheDevicesTerms)
{
    NetCheckDialog dialog(network, {});
    dialog.setTargets(QStringLiteral("localhost"), {}, NetPorts { closedPort, e.amqpsPort, QUrl(e.baseUrl).port() });
    dialog.show();
    QSignalSpy finished(&dialog, &NetCheckDialog::finished);
    dialog.run();
    EXPECT_TRUE(dialog.isRunning() || finished.count() == 1);
    ASSERT_TRUE(finished.count() == 1 || finished.wait(20000));

    auto* table = dialog.findChild<QTableWidget*>();
    ASSERT_TRUE(table);
    ASSERT_EQ(table->rowCount(), 3);
    EXPECT_EQ(table->item(0, 0)->text(), QStringLiteral("✖ failed"));
    EXPECT_EQ(table->item(0, 2)->text(), QStringLiteral("mqtt"));
    EXPECT_TRUE(table->item(0, 6)->toolTip().startsWith(QStringLiteral("MQTT (%1) is blocked").arg(closedPort)));
    for (int row : { 1, 2 }) {
        EXPECT_EQ(table->item(row, 0)->text(), QStringLiteral("✔ passed")) << row;
        EXPECT_TRUE(table->item(row, 5)->text().startsWith(QStringLiteral("TLS 1."))) << row;
        EXPECT_TRUE(table->item(row, 6)->text().contains(QStringLiteral("iotc-diag sim CA (throwaway)"))) << row;
    }
    bool verdictShown = false;
    for (auto* label : dialog.findChildren<QLabel*>())
        verdictShown |= label->text().contains(QStringLiteral("MQTT over WebSockets (443)"));
    EXPECT_TRUE(verdictShown);

    if (qEnvironmentVariableIsSet("IOTC_SCREENSHOT")) // to look at it: IOTC_SCREENSHOT=/tmp/n.png
    {
        QApplication::processEvents(); // (the layout takes the verdict's height on the next turn)
        dialog.grab().save(qEnvironmentVariable("IOTC_SCREENSHOT"));
    }

    const QString text = dialog.reportText();
    EXPECT_TRUE(text.startsWith(QStringLiteral("[FAIL] dps localhost:%1 (mqtt)").arg(closedPort)))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("Verdict: failed"))) << text.toStdString();
    for (auto* b : dialog.findChildren<QPushButton*>()) {
        if (b->text() == QStringLiteral("C&opy results")) {
            ASSERT_TRUE(b->isEnabled());
            b->click();
        }
    }
    EXPECT_EQ(QApplication::clipboard()->text(), text);
}

TEST_F(NetCheckDialogTest, TheToolsMenuOpensIt)
{
    MainWindow window;
    QAction* action = window.mainActions().netcheck;
    ASSERT_TRUE(action);
    EXPECT_EQ(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+N")));
    action->trigger();
    NetCheckDialog* dialog = window.findChild<NetCheckDialog*>();
    ASSERT_TRUE(dialog);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_TRUE(dialog->isRunning() || !dialog->report().targets.empty()) << "it starts at once";
    QSignalSpy finished(dialog, &NetCheckDialog::finished);
    ASSERT_TRUE(!dialog->report().targets.empty() || finished.wait(30000));
    EXPECT_EQ(dialog->report().targets.size(), 3u) << "DPS on the three device ports";
    dialog->close();
}

} // namespace
