// Offscreen tests of the real widgets: load the demo template, paste the guide's payloads,
// validate (on a worker thread) and read what the user would read.
#include "alldevicespane.h"
#include "central/secretstore.h"
#include "connectdialog.h"
#include "deviceactivitymodel.h"
#include "devicelistmodel.h"
#include "devicepicker.h"
#include "deviceview.h"
#include "issuemodel.h"
#include "mainwindow.h"
#include "payloadpane.h"
#include "rawdatamodel.h"
#include "rawdatapane.h"
#include "session.h"
#include "shortcutsdialog.h"
#include "signinflow.h"
#include "sim/simulatedapp.h"
#include "templatepane.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QToolBar>
#include <QTreeWidget>
#include <gtest/gtest.h>

QCoreApplication* createTestApplication(int& argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    return new QApplication(argc, argv);
}

namespace {

QString cell(const iotc::IssueModel* model, int row, int column)
{
    return model->data(model->index(row, column)).toString();
}

} // namespace

TEST(MainWindow, DemoLoadsTheTemplateOffTheGuiThreadAndFlagsTemperature)
{
    iotc::MainWindow window;
    QSignalSpy loaded(&window, &iotc::MainWindow::templateLoaded);
    window.openDemoTemplate();
    ASSERT_TRUE(loaded.wait(10000));
    EXPECT_TRUE(loaded.at(0).at(0).toBool());

    auto* tree = window.findChild<QTreeWidget*>(QStringLiteral("templateTree"));
    ASSERT_TRUE(tree);
    const auto components
        = tree->findItems(QStringLiteral("Component thermostat1"), Qt::MatchExactly | Qt::MatchRecursive);
    EXPECT_EQ(components.size(), 1);

    auto* pane = window.payloadPane();
    QAbstractItemModelTester tester(pane->issueModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy validated(pane, &iotc::PayloadPane::validated);
    pane->findChild<QPushButton*>(QStringLiteral("validateButton"))->click();
    ASSERT_TRUE(validated.wait(10000));
    const auto* model = pane->issueModel();
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(cell(model, 0, iotc::IssueModel::CodeColumn), QStringLiteral("unmodeled-capability"));
    EXPECT_EQ(cell(model, 0, iotc::IssueModel::SeverityColumn), QStringLiteral("warning"));
    EXPECT_TRUE(
        cell(model, 0, iotc::IssueModel::SuggestionColumn).contains(QStringLiteral("(in thermostat1, thermostat2)")));
    EXPECT_FALSE(model->data(model->index(0, iotc::IssueModel::SeverityColumn), Qt::DecorationRole).isNull())
        << "severity is shown by icon and word, not colour alone";
}

TEST(MainWindow, InvalidJsonIsShownWithItsPosition)
{
    iotc::MainWindow window;
    QSignalSpy loaded(&window, &iotc::MainWindow::templateLoaded);
    window.openDemoTemplate();
    ASSERT_TRUE(loaded.wait(10000));
    auto* pane = window.payloadPane();
    pane->setComponent(QStringLiteral("thermostat1"));
    pane->setPayload(QStringLiteral("{\"temperature\": 21.5,}"));
    QSignalSpy validated(pane, &iotc::PayloadPane::validated);
    pane->validate();
    ASSERT_TRUE(validated.wait(10000));
    const auto* model = pane->issueModel();
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(cell(model, 0, iotc::IssueModel::CodeColumn), QStringLiteral("invalid-json"));
    EXPECT_TRUE(cell(model, 0, iotc::IssueModel::MessageColumn).contains(QStringLiteral("line 1, column 22")));
    EXPECT_TRUE(
        pane->findChild<QLabel*>(QStringLiteral("validationSummary"))->text().contains(QStringLiteral("1 error")));
}

TEST(MainWindow, BrokenTemplateFileIsExplainedNotFatal)
{
    iotc::MainWindow window;
    QSignalSpy loaded(&window, &iotc::MainWindow::templateLoaded);
    window.openTemplate(QStringLiteral("/nonexistent/template.json"));
    ASSERT_TRUE(loaded.wait(10000));
    EXPECT_FALSE(loaded.at(0).at(0).toBool());
    const auto labels = window.templatePane()->findChildren<QLabel*>();
    bool explained = false;
    for (const auto* l : labels)
        explained = explained || l->text().contains(QStringLiteral("cannot open"));
    EXPECT_TRUE(explained);
}

TEST(MainWindow, OpensATemplateFileFromDisk)
{
    iotc::MainWindow window;
    QSignalSpy loaded(&window, &iotc::MainWindow::templateLoaded);
    window.openTemplate(QStringLiteral(IOTC_TEST_DATA_DIR "/azcli/device_template_edge.json"));
    ASSERT_TRUE(loaded.wait(10000));
    EXPECT_TRUE(loaded.at(0).at(0).toBool());
    auto* tree = window.findChild<QTreeWidget*>(QStringLiteral("templateTree"));
    EXPECT_EQ(tree->findItems(QStringLiteral("Module testModule"), Qt::MatchExactly).size(), 1);
}

TEST(MainWindow, DemoStartsTheSimulatedAppOffTheGuiThreadAndListsItsDevices)
{
    iotc::MainWindow window;
    QSignalSpy started(&window, &iotc::MainWindow::demoAppStarted);
    QSignalSpy listed(&window, &iotc::MainWindow::devicesLoaded);
    window.openDemo();
    ASSERT_TRUE(started.wait(15000));
    EXPECT_TRUE(started.at(0).at(0).toBool());
    ASSERT_TRUE(window.demoApp());
    EXPECT_TRUE(window.demoApp()->endpoints().baseUrl.startsWith(QStringLiteral("http://127.0.0.1:")));
    ASSERT_TRUE(listed.count() > 0 || listed.wait(15000));
    auto* model = window.devicePicker()->model();
    EXPECT_EQ(model->rowCount(), window.demoApp()->endpoints().devices);
    EXPECT_GE(model->rowOf(QStringLiteral("blocked-device")), 0);
    EXPECT_EQ(model->count(iotc::DeviceStatus::Blocked), 1);
}

TEST(ConnectDialog, SaysWhatIsMissingAndOffersTheDemo)
{
    iotc::ConnectDialog dialog;
    auto* box = dialog.findChild<QDialogButtonBox*>();
    ASSERT_TRUE(box);
    dialog.show();
    box->button(QDialogButtonBox::Ok)->click();
    EXPECT_TRUE(dialog.isVisible()) << "no application: not accepted";
    bool told = false;
    for (const auto* l : dialog.findChildren<QLabel*>())
        told = told || l->text().contains(QStringLiteral("Say which application"));
    EXPECT_TRUE(told);
    dialog.setApplication(QStringLiteral("contoso"));
    box->button(QDialogButtonBox::Ok)->click();
    EXPECT_TRUE(dialog.isVisible()) << "no token and no az login: not accepted";
    dialog.setToken(QStringLiteral("SharedAccessSignature sr=x&sig=y&skn=z&se=1"));
    box->button(QDialogButtonBox::Ok)->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    for (const auto* e : dialog.findChildren<QLineEdit*>()) {
        if (e->accessibleName() == QStringLiteral("API token")) {
            EXPECT_EQ(e->echoMode(), QLineEdit::Password) << "the token is never shown";
        }
    }

    iotc::ConnectDialog demo;
    demo.show();
    QPushButton* tryDemo = nullptr;
    for (auto* b : demo.findChildren<QPushButton*>())
        if (b->text().contains(QStringLiteral("demo")))
            tryDemo = b;
    ASSERT_TRUE(tryDemo);
    tryDemo->click();
    EXPECT_EQ(demo.result(), iotc::ConnectDialog::Demo);
}

TEST(ShortcutsDialog, ListsEveryActionWithAShortcutInPlainWords)
{
    EXPECT_EQ(
        iotc::plainActionText(QStringLiteral("Error codes && device log")), QStringLiteral("Error codes & device log"));
    EXPECT_EQ(iotc::plainActionText(QStringLiteral("&Diagnose")), QStringLiteral("Diagnose"));
    iotc::MainWindow window;
    QList<QAction*> withKeys;
    for (auto* a : window.findChildren<QAction*>())
        if (!a->shortcut().isEmpty())
            withKeys << a;
    ASSERT_GE(withKeys.size(), 15) << "every main action has a shortcut";
    iotc::ShortcutsDialog dialog(withKeys);
    auto* table = dialog.findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
    ASSERT_TRUE(table);
    EXPECT_EQ(table->rowCount(), withKeys.size());
    bool diagnose = false;
    for (int r = 0; r < table->rowCount(); ++r)
        diagnose = diagnose
            || (table->item(r, 0)->text() == QStringLiteral("Diagnose")
                && table->item(r, 1)->text()
                    == QKeySequence(QStringLiteral("Ctrl+D")).toString(QKeySequence::NativeText));
    EXPECT_TRUE(diagnose);
}

TEST(ConnectDialog, SavedSecretsAreFilledInFromTheStore)
{
    auto secrets = std::make_shared<iotc::SecretStore>(QStringLiteral("iotc-workbench-test-connect"));
    secrets->store(QStringLiteral("api-token:contoso"), QStringLiteral("SharedAccessSignature sr=saved"));
    iotc::ConnectDialog dialog;
    dialog.setApplication(QStringLiteral("contoso"));
    dialog.prefillSecrets(secrets);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog.token().isEmpty(); }, 10000));
    EXPECT_EQ(dialog.token(), QStringLiteral("SharedAccessSignature sr=saved"));
    EXPECT_EQ(dialog.profile().baseUrl, QStringLiteral("https://contoso.azureiotcentral.com"));
    secrets->remove(QStringLiteral("api-token:contoso"));
}

TEST(MainWindow, TheToolBarIsBuiltFromTheNamedActionsWithTheirShortcuts)
{
    iotc::MainWindow window;
    const auto& a = window.mainActions();
    auto* bar = window.findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    ASSERT_TRUE(bar);
    const QList<QAction*> expected { a.connect, a.demo, a.monitor, a.capture, a.diagnose, a.exportReport,
        a.copyScreenshot };
    EXPECT_EQ(bar->actions(), expected);
    EXPECT_EQ(window.toolBarActions(), expected);
    const std::vector<std::pair<QAction*, const char*>> keys { { a.connect, "Ctrl+K" }, { a.demo, "Ctrl+Shift+D" },
        { a.openTemplate, "Ctrl+T" }, { a.exportReport, "Ctrl+E" }, { a.saveScreenshot, "Ctrl+Shift+S" },
        { a.copyScreenshot, "Ctrl+Shift+C" }, { a.monitor, "Ctrl+M" }, { a.capture, "Ctrl+R" },
        { a.openCapture, "Ctrl+O" }, { a.openDevice, "Ctrl+L" }, { a.diagnose, "Ctrl+D" },
        { a.screenshotSafe, "Ctrl+Shift+H" }, { a.shortcuts, "F1" }, { a.netcheck, "Ctrl+Shift+N" } };
    for (const auto& [action, key] : keys) {
        ASSERT_TRUE(action) << key;
        EXPECT_EQ(action->shortcut(), QKeySequence(QLatin1String(key))) << action->text().toStdString();
        EXPECT_TRUE(window.shortcutActions().contains(action)) << "listed in the shortcuts dialog: " << key;
    }
    EXPECT_EQ(a.searchDevices->shortcut(), QKeySequence(QKeySequence::Find));
    EXPECT_TRUE(a.monitor->isCheckable());
    EXPECT_TRUE(a.capture->isCheckable());
    EXPECT_TRUE(a.screenshotSafe->isCheckable());
}

TEST(MainWindow, DoubleClickingADeviceOnTheAllDevicesPageOpensIt)
{
    iotc::MainWindow window;
    window.resize(1200, 800);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto* pane = window.allDevices();
    ASSERT_TRUE(pane);
    EXPECT_EQ(pane->activity(), window.activity());
    EXPECT_EQ(pane->rawData(), window.appRawData());
    iotc::TelemetryEvent e;
    e.deviceId = QStringLiteral("boiler-17");
    e.body = "{\"temperature\": 21.5}";
    e.enqueuedMs = 1700049600000;
    e.messageSource = QStringLiteral("Telemetry");
    pane->append(
        std::make_shared<const std::vector<iotc::Observation>>(std::vector<iotc::Observation> { { e, {}, {}, {} } }));
    ASSERT_EQ(window.activity()->rowCount(), 1);
    EXPECT_EQ(window.appRawData()->model()->rowCount(), 1);

    window.showView(QStringLiteral("app"));
    EXPECT_EQ(window.mainTabs()->currentWidget(), pane);
    QSignalSpy activated(pane, &iotc::AllDevicesPane::deviceActivated);
    auto* view = pane->activityView();
    const QRect cell = view->visualRect(view->model()->index(0, iotc::DeviceActivityModel::DeviceColumn));
    ASSERT_TRUE(cell.isValid());
    // As a mouse does it: a press and release, then the double click.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated.at(0).at(0).toString(), QStringLiteral("boiler-17"));
    EXPECT_EQ(window.currentDevice(), QStringLiteral("boiler-17"));
    EXPECT_EQ(window.mainTabs()->currentWidget(), window.deviceView()) << "the Device page shows it";

    pane->clear();
    EXPECT_EQ(window.activity()->rowCount(), 0);
    EXPECT_EQ(window.appRawData()->model()->rowCount(), 0);
}

TEST(MainWindow, AFailedSignInIsToldInTheStateLineAndAsConnectedFalse)
{
    iotc::sim::SimulatedApp app;
    const auto e = app.start();
    iotc::MainWindow window;
    window.setUnattended(true); // no modal box to wait for
    auto* state = window.findChild<QLabel*>(QStringLiteral("connectionState"));
    ASSERT_TRUE(state);
    EXPECT_EQ(state->text(), iotc::SignInFlow::notConnectedText());
    QSignalSpy connected(&window, &iotc::MainWindow::connected);
    QSignalSpy demo(&window, &iotc::MainWindow::demoAppStarted);
    auto profile = iotc::ConnectionProfile::forBaseUrl(e.baseUrl);
    profile.setToken(QStringLiteral("SharedAccessSignature sr=other&sig=bad&skn=op&se=9999999999"));
    window.session()->connectTo(profile);
    ASSERT_TRUE(connected.wait(15000));
    EXPECT_FALSE(connected.at(0).at(0).toBool());
    EXPECT_EQ(demo.count(), 0) << "no demo was asked for";
    EXPECT_TRUE(state->text().contains(QStringLiteral("Not connected"))) << state->text().toStdString();
    EXPECT_FALSE(state->text().contains(QStringLiteral("sig=bad")));

    // The right token: connected, and the state line says where.
    profile.setToken(e.apiToken);
    window.session()->connectTo(profile);
    ASSERT_TRUE(connected.wait(15000));
    EXPECT_TRUE(connected.at(1).at(0).toBool());
    EXPECT_TRUE(state->text().contains(window.session()->appLabel())) << state->text().toStdString();
}

TEST(MainWindow, SelectNewestMessageShowsItsDetail)
{
    iotc::MainWindow window;
    window.selectDevice(QStringLiteral("boiler-17"));
    EXPECT_EQ(window.currentDevice(), QStringLiteral("boiler-17"));
    window.selectNewestMessage(); // nothing to select: nothing happens
    std::vector<iotc::Observation> batch;
    for (int i = 0; i < 3; ++i) {
        iotc::TelemetryEvent e;
        e.deviceId = QStringLiteral("boiler-17");
        e.body = QStringLiteral("{\"n\": %1}").arg(i).toUtf8();
        e.enqueuedMs = 1700049600000 + i;
        e.messageSource = QStringLiteral("Telemetry");
        batch.push_back({ e, {}, {}, {} });
    }
    window.deviceView()->append(std::make_shared<const std::vector<iotc::Observation>>(std::move(batch)));
    auto* raw = window.deviceView()->rawData();
    ASSERT_EQ(raw->filtered()->rowCount(), 3);
    window.selectNewestMessage();
    const auto selected = raw->view()->selectionModel()->selectedRows();
    ASSERT_EQ(selected.size(), 1);
    EXPECT_EQ(selected.first().row(), 2);
}
