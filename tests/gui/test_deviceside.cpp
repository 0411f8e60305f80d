// The device's side in the workbench, offscreen against the simulator over TLS. Tools > Check this
// network: the check runs off the GUI thread, the table shows each endpoint, the verdict speaks in
// the device's terms, Copy gives the same as text. The device view's Connectivity tab: the probe
// asks first (the device is disconnected meanwhile), then its steps tick off as they run.
#include "connectivitypane.h"
#include "mainwindow.h"
#include "netcheckdialog.h"

#include "net/networksettings.h"
#include "sim/simulatedapp.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
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
    // The device's report carries this network's check from now on.
    const Diagnosis report = window.deviceReport();
    const auto check = std::find_if(report.checks.begin(), report.checks.end(),
        [](const DiagnosisCheck& c) { return c.id == QLatin1String("netcheck"); });
    ASSERT_NE(check, report.checks.end());
    EXPECT_EQ(check->findings.front().evidence.size() >= 3, true);
    dialog->close();
}

TEST_F(NetCheckDialogTest, TheConnectivityTabAsksFirstThenTicksOffTheProbesSteps)
{
    auto profile = ConnectionProfile::forBaseUrl(e.baseUrl);
    profile.authorization = e.apiToken;
    profile.dpsEndpoint = e.dpsEndpoint;
    profile.network = network;
    profile.network.caFile = e.caFile;
    ConnectivityPane pane;
    pane.setTarget(profile, QStringLiteral("healthy-controller"));
    pane.setPorts(e.mqttPort, e.amqpsPort, e.deviceWebSocketPort);
    auto* protocol = pane.findChild<QComboBox*>();
    ASSERT_TRUE(protocol);
    EXPECT_EQ(protocol->count(), 5);
    protocol->setCurrentIndex(protocol->findData(QStringLiteral("amqp"))); // as an AMQP device
    pane.resize(900, 500);
    pane.show();

    // Cancelled: nothing runs (the device stays connected).
    QTimer::singleShot(0, [] {
        for (auto* w : QApplication::topLevelWidgets())
            if (auto* box = qobject_cast<QMessageBox*>(w)) {
                EXPECT_TRUE(box->text().contains(QStringLiteral("disconnected"))) << box->text().toStdString();
                box->button(QMessageBox::Cancel)->click();
            }
    });
    pane.probe();
    EXPECT_FALSE(pane.isRunning());
    EXPECT_TRUE(pane.report().steps.empty());

    // Confirmed: the steps arrive one by one while it runs, then the verdict.
    QSignalSpy finished(&pane, &ConnectivityPane::finished);
    QTimer::singleShot(0, [] {
        for (auto* w : QApplication::topLevelWidgets())
            if (auto* box = qobject_cast<QMessageBox*>(w))
                box->button(QMessageBox::Yes)->click();
    });
    pane.probe();
    EXPECT_TRUE(pane.isRunning());
    ASSERT_TRUE(finished.wait(60000));
    QApplication::processEvents(); // the last queued step
    auto* steps = pane.findChild<QTreeWidget*>();
    ASSERT_TRUE(steps);
    ASSERT_EQ(steps->topLevelItemCount(), 9);
    EXPECT_EQ(steps->topLevelItem(0)->text(0), QStringLiteral("dns"));
    EXPECT_EQ(steps->topLevelItem(5)->text(0), QStringLiteral("hub-connect (amqp)"));
    EXPECT_EQ(steps->topLevelItem(8)->text(0), QStringLiteral("validated (amqp)"));
    for (int i = 0; i < 9; ++i)
        EXPECT_EQ(steps->topLevelItem(i)->text(1), QStringLiteral("✔ passed")) << i;
    EXPECT_TRUE(pane.report().ok());
    bool verdict = false;
    for (auto* label : pane.findChildren<QLabel*>())
        verdict |= label->text().contains(QStringLiteral("arrived and validated"));
    EXPECT_TRUE(verdict);
    if (qEnvironmentVariableIsSet("IOTC_SCREENSHOT_PROBE"))
        pane.grab().save(qEnvironmentVariable("IOTC_SCREENSHOT_PROBE"));
}

} // namespace
