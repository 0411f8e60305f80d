// Offscreen tests of the real widgets: load the demo template, paste the guide's payloads,
// validate (on a worker thread) and read what the user would read.
#include "central/secretstore.h"
#include "connectdialog.h"
#include "devicelistmodel.h"
#include "devicepicker.h"
#include "issuemodel.h"
#include "mainwindow.h"
#include "payloadpane.h"
#include "shortcutsdialog.h"
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
#include <QTableWidget>
#include <QTest>
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
