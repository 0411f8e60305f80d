// The application overview (ui/overviewpane over core/triage/livetriage), offscreen against the
// demo app: the first view after connecting; the counts line, the chart and the groups agree with
// the triage; clicking a cause filters the device list to it; activating a device opens it on its
// Diagnose tab with the cause already explained; the export is redacted.
#include "causechart.h"
#include "devicelistmodel.h"
#include "devicepicker.h"
#include "deviceview.h"
#include "diagnosepane.h"
#include "overviewpane.h"
#include "workbenchfixture.h"

#include "diagnose/diagnosis.h"
#include "triage/triagereport.h"

#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>

#include <QApplication>

using namespace iotc;

QCoreApplication* createTestApplication(int& argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    return new QApplication(argc, argv);
}

namespace {

class Overview : public Workbench {
protected:
    // Waits until the overview has judged every listed device.
    std::shared_ptr<const TriageResult> judged()
    {
        auto* overview = window->overview();
        const int listed = window->devicePicker()->model()->rowCount();
        EXPECT_TRUE(waitFor(
            [&] { return overview->result() && static_cast<int>(overview->result()->devices.size()) == listed; },
            30000))
            << "the overview judged the " << listed << " listed devices";
        return overview->result();
    }
};

TEST_F(Overview, IsTheFirstViewAndAgreesWithTheTriage)
{
    EXPECT_EQ(window->mainTabs()->currentWidget(), window->overview()) << "instead of \"No device selected\"";
    const auto r = judged();
    ASSERT_TRUE(r);
    auto* overview = window->overview();
    EXPECT_EQ(overview->countsText(), triageCountsLine(*r));
    EXPECT_TRUE(overview->countsText().contains(QStringLiteral("healthy"))) << overview->countsText().toStdString();
    // Bars: every cause; groups: every cause, its device count beside it.
    EXPECT_EQ(overview->chart()->barCount(), static_cast<int>(r->byCause.size()))
        << "the problems (healthy: the counts line)";
    ASSERT_EQ(overview->groups()->topLevelItemCount(), static_cast<int>(r->byCause.size()));
    for (int i = 0; i < overview->groups()->topLevelItemCount(); ++i) {
        auto* group = overview->groups()->topLevelItem(i);
        const QString cause = group->toolTip(0);
        ASSERT_TRUE(r->byCause.count(cause)) << cause.toStdString();
        const int n = r->byCause.at(cause);
        const int sample = static_cast<int>(LiveTriage::GroupSample);
        EXPECT_EQ(group->childCount(), std::min(n, sample) + (n > sample ? 1 : 0)) << "a sample, and how many more";
        EXPECT_FALSE(group->text(2).isEmpty()) << "the advice beside " << cause.toStdString();
    }
    // The demo's scenario devices with problems are there, under their causes.
    bool blocked = false;
    for (const auto& d : r->devices)
        blocked = blocked || (d.deviceId == QLatin1String("blocked-device") && d.cause == causes::DeviceBlocked);
    EXPECT_TRUE(blocked);
}

TEST_F(Overview, ACauseFiltersTheDeviceListAndADeviceOpensOnItsDiagnosis)
{
    const auto r = judged();
    ASSERT_TRUE(r);
    auto* overview = window->overview();
    QTreeWidgetItem* group = nullptr;
    for (int i = 0; i < overview->groups()->topLevelItemCount(); ++i)
        if (overview->groups()->topLevelItem(i)->toolTip(0) == QString(causes::DeviceNeverConnected))
            group = overview->groups()->topLevelItem(i);
    ASSERT_TRUE(group);
    emit overview->groups()->itemClicked(group, 0);
    auto* picker = window->devicePicker();
    ASSERT_TRUE(waitFor([&] { return picker->view()->model()->rowCount() == 3; }, 3000))
        << "the three devices that never connected";

    QTreeWidgetItem* device = nullptr;
    for (int i = 0; i < group->childCount(); ++i)
        if (group->child(i)->text(0).startsWith(QStringLiteral("registered-never-connected")))
            device = group->child(i);
    ASSERT_TRUE(device);
    emit overview->groups()->itemActivated(device, 0);
    EXPECT_EQ(window->mainTabs()->currentWidget(), window->deviceView());
    EXPECT_EQ(window->deviceView()->deviceId(), QStringLiteral("registered-never-connected"));
    const QString verdict = window->deviceView()->diagnose()->verdictText();
    EXPECT_TRUE(verdict.contains(QStringLiteral("from the overview"))) << verdict.toStdString();
    EXPECT_TRUE(verdict.contains(triageCauseTitle(causes::DeviceNeverConnected))) << verdict.toStdString();
}

TEST_F(Overview, TheExportIsRedacted)
{
    const auto r = judged();
    ASSERT_TRUE(r);
    QTemporaryDir dir;
    QString error;
    TriageResult withSecret = *r;
    withSecret.devices.front().evidence = QStringLiteral("SharedAccessKey=c2VjcmV0LWtleS12YWx1ZQ==");
    for (const char* name : { "o.md", "o.html", "o.csv" }) {
        const QString path = dir.filePath(QLatin1String(name));
        ASSERT_TRUE(writeTriageReport(withSecret, QStringLiteral("demo"), path, error)) << error.toStdString();
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        EXPECT_FALSE(text.contains("c2VjcmV0LWtleS12YWx1ZQ")) << name;
        EXPECT_TRUE(text.contains(r->devices.front().deviceId.toUtf8())) << name;
    }
}

} // namespace
