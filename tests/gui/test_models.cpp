// The views' models fed with fixture batches, each watched by QAbstractItemModelTester (Fatal):
// devices from the REST API's own example answer, observations judged by the real pipeline against
// the TemperatureController template, and what the rows, roles and signals say after inserts,
// updates and resets.
#include "devicelistmodel.h"
#include "issuesummarymodel.h"
#include "latestvaluesmodel.h"

#include "monitor/monitorpipeline.h"
#include "template/templateparser.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include <memory>

QCoreApplication* createTestApplication(int& argc, char** argv)
{
    Q_INIT_RESOURCE(resources);
    return new QApplication(argc, argv);
}

namespace {

using iotc::DeviceListModel;
using iotc::IssueSummaryModel;
using iotc::LatestValuesModel;
using Tester = QAbstractItemModelTester;

constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
const QString Dev = QStringLiteral("thermostat-7");
const QString Other = QStringLiteral("other-device");

// The devices of IoT Central's "List devices" example answer (2022-07-31).
QList<iotc::Device> restExampleDevices()
{
    QFile f(QStringLiteral(IOTC_TEST_DATA_DIR "/iotcentral-rest/2022-07-31/devices_list.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const auto value = QJsonDocument::fromJson(f.readAll())
                           .object()[QStringLiteral("responses")][QStringLiteral("200")][QStringLiteral("body")]
                                    [QStringLiteral("value")]
                           .toArray();
    QList<iotc::Device> out;
    for (const auto& v : value)
        if (auto d = iotc::Device::fromJson(v.toObject()))
            out << *d;
    return out;
}

iotc::Device device(const char* id, const char* templateId, bool enabled, bool provisioned)
{
    iotc::Device d;
    d.id = QLatin1String(id);
    d.displayName = QStringLiteral("Display %1").arg(QLatin1String(id));
    d.templateId = QLatin1String(templateId);
    d.enabled = enabled;
    d.provisioned = provisioned;
    return d;
}

iotc::TelemetryEvent event(const QString& deviceId, const char* component, const char* body, qint64 ms)
{
    iotc::TelemetryEvent e;
    e.deviceId = deviceId;
    e.component = QLatin1String(component);
    e.body = body;
    e.enqueuedMs = ms;
    e.contentType = QStringLiteral("application/json");
    e.contentEncoding = QStringLiteral("utf-8");
    e.messageSource = QStringLiteral("Telemetry");
    return e;
}

// Events judged by the real pipeline (the same that feeds the live views), as one batch.
class Fixture {
public:
    Fixture()
        : m_pipeline(std::make_shared<iotc::TemplateResolver>(std::make_shared<const iotc::DeviceTemplate>(
            iotc::loadTemplateFile(IOTC_TEST_DATA_DIR "/dtdl/dtmi/com/example/temperaturecontroller-2.json"))))
    {
        m_pipeline.setCollectFields(true);
    }
    iotc::ObservationBatch batch(std::vector<iotc::TelemetryEvent> events)
    {
        return std::make_shared<const std::vector<iotc::Observation>>(m_pipeline.process(std::move(events)));
    }

private:
    iotc::MonitorPipeline m_pipeline;
};

// 12:00:00 UTC on a fixed day, so times read back as text are known.
constexpr qint64 Noon = 1700049600000;

QString hhmmss(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
}

QString text(const QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role).toString();
}

} // namespace

// ---- DeviceListModel ----

TEST(DeviceListModel, PagesOfDevicesAreAppendedWithStatusTemplateAndCounts)
{
    DeviceListModel model;
    Tester tester(&model, Fatal);
    const auto page = restExampleDevices();
    ASSERT_EQ(page.size(), 4) << "the fixture holds IoT Central's example list";
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendDevices(page);
    ASSERT_EQ(model.rowCount(), 4);
    ASSERT_EQ(inserted.count(), 1) << "one page, one insert";
    EXPECT_EQ(model.columnCount(), DeviceListModel::ColumnCount);
    const int row = model.rowOf(QStringLiteral("Checkout2"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(text(model, row, DeviceListModel::IdColumn), QStringLiteral("Checkout2"));
    EXPECT_EQ(text(model, row, DeviceListModel::NameColumn), QStringLiteral("Checkout2"));
    EXPECT_EQ(text(model, row, DeviceListModel::TemplateColumn), QStringLiteral("dtmi:contoso:testDeviceTemplate;1"));
    EXPECT_EQ(text(model, row, DeviceListModel::StatusColumn),
        iotc::statusGlyph(iotc::DeviceStatus::Provisioned) + QLatin1Char(' ')
            + iotc::statusText(iotc::DeviceStatus::Provisioned))
        << "a shape and a word, not colour alone";
    EXPECT_EQ(text(model, row, DeviceListModel::StatusColumn, Qt::AccessibleTextRole),
        iotc::statusText(iotc::DeviceStatus::Provisioned));
    EXPECT_EQ(model.data(model.index(row, 0), DeviceListModel::StatusRole).toInt(),
        static_cast<int>(iotc::DeviceStatus::Provisioned));
    EXPECT_EQ(model.data(model.index(row, 0), DeviceListModel::TemplateRole).toString(), page[2].templateId);
    EXPECT_TRUE(text(model, row, DeviceListModel::LastSeenColumn).isEmpty()) << "no message seen yet";
    EXPECT_EQ(model.count(iotc::DeviceStatus::Provisioned), 4);
    EXPECT_EQ(model.templates(), QStringList { QStringLiteral("dtmi:contoso:testDeviceTemplate;1") });
    EXPECT_EQ(model.deviceAt(row)->id, QStringLiteral("Checkout2"));
    EXPECT_EQ(model.deviceAt(4), nullptr);
    EXPECT_EQ(model.rowOf(QStringLiteral("not-listed")), -1);

    // The next page: new devices of every status, one listed twice in it.
    model.appendDevices({ device("blocked-1", "dtmi:contoso:other;1", false, true),
        device("waiting-1", "dtmi:contoso:other;1", false, false), device("unassigned-1", "", true, false),
        device("registered-1", "dtmi:contoso:other;1", true, false),
        device("registered-1", "dtmi:contoso:other;1", true, false) });
    ASSERT_EQ(model.rowCount(), 8) << "a device listed twice in one page is one row";
    EXPECT_EQ(inserted.count(), 2);
    EXPECT_EQ(model.count(iotc::DeviceStatus::Blocked), 1);
    EXPECT_EQ(model.count(iotc::DeviceStatus::BlockedOrWaitingForApproval), 1);
    EXPECT_EQ(model.count(iotc::DeviceStatus::Unassigned), 1);
    EXPECT_EQ(model.count(iotc::DeviceStatus::Registered), 1);
    EXPECT_EQ(text(model, model.rowOf(QStringLiteral("unassigned-1")), DeviceListModel::TemplateColumn),
        DeviceListModel::tr("(none)"));
    EXPECT_TRUE(text(model, model.rowOf(QStringLiteral("blocked-1")), DeviceListModel::StatusColumn)
                    .endsWith(iotc::statusText(iotc::DeviceStatus::Blocked)));
    EXPECT_EQ(model.templates().size(), 3) << "unassigned is a template choice of its own";
}

TEST(DeviceListModel, ARelistedDeviceIsUpdatedInPlace)
{
    DeviceListModel model;
    Tester tester(&model, Fatal);
    model.appendDevices(restExampleDevices());
    auto changed = restExampleDevices()[1];
    changed.enabled = false; // blocked in the meantime
    changed.templateId = QStringLiteral("dtmi:contoso:v2;1");
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy updated(&model, &QAbstractItemModel::dataChanged);
    model.appendDevices({ changed });
    EXPECT_EQ(model.rowCount(), 4);
    EXPECT_EQ(inserted.count(), 0);
    ASSERT_EQ(updated.count(), 1);
    const int row = model.rowOf(changed.id);
    EXPECT_EQ(updated.at(0).at(0).toModelIndex().row(), row);
    EXPECT_EQ(model.data(model.index(row, 0), DeviceListModel::StatusRole).toInt(),
        static_cast<int>(iotc::DeviceStatus::Blocked));
    EXPECT_EQ(model.count(iotc::DeviceStatus::Provisioned), 3);
    EXPECT_EQ(model.count(iotc::DeviceStatus::Blocked), 1);
    EXPECT_EQ(model.templates(),
        (QStringList { QStringLiteral("dtmi:contoso:testDeviceTemplate;1"), QStringLiteral("dtmi:contoso:v2;1") }));
}

// A first snapshot names every device: applied a chunk at a time, never all on one turn.
TEST(DeviceListModel, ProblemsOfAWholeFleetArriveInChunks)
{
    DeviceListModel model;
    QList<iotc::Device> devices;
    auto snapshot = std::make_shared<iotc::TriageSnapshot>();
    const int n = static_cast<int>(DeviceListModel::ProblemChunk) * 2 + 10;
    for (int i = 0; i < n; ++i) {
        iotc::Device d;
        d.id = QStringLiteral("d%1").arg(i);
        devices << d;
        snapshot->changes.push_back({ d.id, QStringLiteral("no-data"), iotc::Severity::Error });
    }
    model.appendDevices(devices);
    auto judged = [&] {
        int count = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            count += model.index(row, DeviceListModel::ProblemColumn).data().toString().isEmpty() ? 0 : 1;
        return count;
    };
    model.applyProblems(snapshot);
    EXPECT_EQ(judged(), static_cast<int>(DeviceListModel::ProblemChunk)) << "the first chunk at once";
    EXPECT_TRUE(QTest::qWaitFor([&] { return judged() == n; }, 5000)) << "the rest on later turns";
}

TEST(DeviceListModel, ActivityShowsLastSeenAndRateAndClearResets)
{
    DeviceListModel model;
    Tester tester(&model, Fatal);
    model.appendDevices(restExampleDevices());
    const int row = model.rowOf(QStringLiteral("Checkout1"));
    QSignalSpy updated(&model, &QAbstractItemModel::dataChanged);
    model.noteActivity({ { QStringLiteral("Checkout1"), { 1, Noon } }, { QStringLiteral("unknown"), { 5, Noon } } });
    ASSERT_EQ(updated.count(), 1) << "a device that is not listed changes nothing";
    EXPECT_EQ(text(model, row, DeviceListModel::LastSeenColumn), hhmmss(Noon));
    EXPECT_EQ(text(model, row, DeviceListModel::RateColumn), QStringLiteral("—")) << "one message: no rate yet";
    // 1 + 10 messages, the last 10 s after the first: 1 message per second, 60 a minute.
    model.noteActivity({ { QStringLiteral("Checkout1"), { 10, Noon + 10000 } } });
    EXPECT_EQ(text(model, row, DeviceListModel::LastSeenColumn), hhmmss(Noon + 10000));
    EXPECT_EQ(text(model, row, DeviceListModel::RateColumn), QStringLiteral("60.0"));

    // The overview's verdicts: the Problem column, sorted by severity (the worst highest).
    using iotc::HealthyCause;
    using iotc::Severity;
    auto triage = std::make_shared<iotc::TriageSnapshot>();
    triage->changes = { { QStringLiteral("Checkout1"), QStringLiteral("invalid-json"), Severity::Error },
        { QStringLiteral("Checkout2"), QLatin1String(HealthyCause), Severity::Info },
        { QStringLiteral("not-listed"), QStringLiteral("no-data"), Severity::Error } };
    model.applyProblems(triage);
    EXPECT_EQ(text(model, row, DeviceListModel::ProblemColumn), QStringLiteral("✖ invalid json"));
    const int checkout2 = model.rowOf(QStringLiteral("Checkout2"));
    EXPECT_EQ(text(model, checkout2, DeviceListModel::ProblemColumn), QStringLiteral("✔ healthy"));
    EXPECT_GT(model.data(model.index(row, DeviceListModel::ProblemColumn), DeviceListModel::SortRole).toInt(),
        model.data(model.index(checkout2, DeviceListModel::ProblemColumn), DeviceListModel::SortRole).toInt());
    EXPECT_TRUE(text(model, model.rowOf(QStringLiteral("Checkout2")), DeviceListModel::RateColumn).isEmpty());

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.clear();
    EXPECT_EQ(reset.count(), 1);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.rowOf(QStringLiteral("Checkout1")), -1);
    EXPECT_EQ(model.count(iotc::DeviceStatus::Provisioned), 0);
    EXPECT_TRUE(model.templates().isEmpty());
    model.appendDevices(restExampleDevices());
    EXPECT_EQ(model.rowCount(), 4) << "filled again after a reset";
    EXPECT_TRUE(text(model, model.rowOf(QStringLiteral("Checkout1")), DeviceListModel::LastSeenColumn).isEmpty())
        << "activity went with the reset";
}

// ---- IssueSummaryModel ----

TEST(IssueSummaryModel, ObservationsAreGroupedByCodeForTheShownDeviceOnly)
{
    Fixture fixture;
    IssueSummaryModel model;
    Tester tester(&model, Fatal);
    model.setDevice(Dev);
    model.append(fixture.batch({
        event(Dev, "thermostat1", "{\"temperature\": 21.5}", Noon),
        event(Dev, "", "{\"Temperature\": 3}", Noon + 1000),
        event(Dev, "thermostat1", R"({"temperature": "hot"})", Noon + 2000),
        event(Dev, "", "{\"Temperature\": 4}", Noon + 3000),
        event(Other, "", R"({"workingSet": "lots"})", Noon + 4000),
    }));
    ASSERT_EQ(model.rowCount(), 2) << "unmodeled-capability and schema-mismatch; the other device's are not shown";
    int unmodeled = -1;
    int mismatch = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString code = text(model, r, IssueSummaryModel::CodeColumn);
        if (code == QLatin1String("unmodeled-capability"))
            unmodeled = r;
        else if (code == QLatin1String("schema-mismatch"))
            mismatch = r;
    }
    ASSERT_GE(unmodeled, 0);
    ASSERT_GE(mismatch, 0);
    EXPECT_EQ(model.data(model.index(unmodeled, IssueSummaryModel::CountColumn)).toLongLong(), 2);
    EXPECT_EQ(text(model, unmodeled, IssueSummaryModel::FirstColumn), hhmmss(Noon + 1000));
    EXPECT_EQ(text(model, unmodeled, IssueSummaryModel::LastColumn), hhmmss(Noon + 3000));
    EXPECT_TRUE(text(model, unmodeled, IssueSummaryModel::ExampleColumn).startsWith(QStringLiteral("Temperature: ")))
        << "the field and what was wrong with it: "
        << text(model, unmodeled, IssueSummaryModel::ExampleColumn).toStdString();
    EXPECT_TRUE(text(model, unmodeled, IssueSummaryModel::ExampleColumn).contains(QStringLiteral("temperature")))
        << "with the suggestion";
    EXPECT_FALSE(text(model, unmodeled, IssueSummaryModel::AdviceColumn).isEmpty()) << "what it means, what to do";
    EXPECT_FALSE(text(model, mismatch, IssueSummaryModel::AdviceColumn).isEmpty());
    EXPECT_TRUE(text(model, unmodeled, IssueSummaryModel::SeverityColumn).contains(QStringLiteral("warning")));
    EXPECT_TRUE(text(model, mismatch, IssueSummaryModel::SeverityColumn).contains(QStringLiteral("error")));
    EXPECT_TRUE(model.data(model.index(mismatch, IssueSummaryModel::SeverityColumn), Qt::ForegroundRole).isValid());
    EXPECT_TRUE(text(model, unmodeled, IssueSummaryModel::CodeColumn, Qt::ToolTipRole)
                    .contains(text(model, unmodeled, IssueSummaryModel::AdviceColumn)));
    EXPECT_FALSE(model.headerData(IssueSummaryModel::AdviceColumn, Qt::Horizontal).toString().isEmpty());
}

TEST(IssueSummaryModel, LaterBatchesCountIntoTheSameRowsAndADeviceSwitchResets)
{
    Fixture fixture;
    IssueSummaryModel model;
    Tester tester(&model, Fatal);
    model.setDevice(Dev);
    model.append(fixture.batch({ event(Dev, "", "{\"Temperature\": 3}", Noon) }));
    ASSERT_EQ(model.rowCount(), 1);
    const QString example = text(model, 0, IssueSummaryModel::ExampleColumn);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy updated(&model, &QAbstractItemModel::dataChanged);
    model.append(fixture.batch({ event(Dev, "", "{\"Temperature\": 5}", Noon + 60000),
        event(Dev, "thermostat1", "{\"temperature\": 20}", Noon + 61000) }));
    EXPECT_EQ(inserted.count(), 0) << "a clean message and a known code add no row";
    EXPECT_GE(updated.count(), 1);
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.data(model.index(0, IssueSummaryModel::CountColumn)).toLongLong(), 2);
    EXPECT_EQ(text(model, 0, IssueSummaryModel::FirstColumn), hhmmss(Noon));
    EXPECT_EQ(text(model, 0, IssueSummaryModel::LastColumn), hhmmss(Noon + 60000));
    EXPECT_EQ(text(model, 0, IssueSummaryModel::ExampleColumn), example) << "the first example stays";

    // Invalid JSON is a new code: one row inserted at the end.
    model.append(fixture.batch({ event(Dev, "", "{\"temperature\": 21.5,}", Noon + 62000) }));
    ASSERT_EQ(inserted.count(), 1);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(text(model, 1, IssueSummaryModel::CodeColumn), QStringLiteral("invalid-json"));
    EXPECT_FALSE(text(model, 1, IssueSummaryModel::AdviceColumn).isEmpty());

    model.append(nullptr); // no batch: nothing happens
    EXPECT_EQ(model.rowCount(), 2);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setDevice(Other);
    EXPECT_EQ(reset.count(), 1);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_TRUE(model.groups().empty());
    model.append(fixture.batch({ event(Dev, "", "{\"Temperature\": 3}", Noon + 70000) }));
    EXPECT_EQ(model.rowCount(), 0) << "the previous device's messages are not this one's";
}

TEST(IssueSummaryModel, ADiagnosisAddsItsFindingsBesideTheMessagesOnes)
{
    Fixture fixture;
    IssueSummaryModel model;
    Tester tester(&model, Fatal);
    model.setDevice(Dev);
    model.append(fixture.batch({ event(Dev, "", "{\"Temperature\": 3}", Noon) }));
    iotc::DiagnosisFinding finding;
    finding.code = QStringLiteral("unmodeled-capability");
    finding.title = QStringLiteral("Temperature is not in the template");
    finding.explanation = QStringLiteral("Seen in 3 of 3 messages.");
    finding.mitigation = QStringLiteral("Rename the field to temperature.");
    finding.evidence = QStringList { QStringLiteral("{\"Temperature\": 3}") };
    iotc::DiagnosisCheck check;
    check.id = QStringLiteral("data");
    check.findings = { finding };
    iotc::Diagnosis other;
    other.deviceId = Other;
    other.checks = { check };
    model.addDiagnosis(other);
    EXPECT_EQ(model.rowCount(), 1) << "another device's diagnosis is not shown";

    iotc::Diagnosis diagnosis;
    diagnosis.deviceId = Dev;
    diagnosis.checks = { check };
    model.addDiagnosis(diagnosis);
    ASSERT_EQ(model.rowCount(), 2) << "the same code from the diagnosis is a group of its own";
    ASSERT_EQ(model.groups().size(), 2u);
    EXPECT_NE(model.groups()[0].source, model.groups()[1].source);
    EXPECT_EQ(text(model, 1, IssueSummaryModel::CodeColumn), QStringLiteral("unmodeled-capability"));
    EXPECT_TRUE(text(model, 1, IssueSummaryModel::ExampleColumn).contains(finding.title));
    EXPECT_TRUE(text(model, 1, IssueSummaryModel::ExampleColumn).contains(finding.evidence.first()));
    EXPECT_TRUE(text(model, 1, IssueSummaryModel::AdviceColumn).contains(finding.explanation));
    EXPECT_TRUE(text(model, 1, IssueSummaryModel::AdviceColumn).contains(finding.mitigation));
    model.addDiagnosis(diagnosis);
    EXPECT_EQ(model.rowCount(), 2) << "a second run counts into the same group";
    EXPECT_EQ(model.data(model.index(1, IssueSummaryModel::CountColumn)).toLongLong(), 2);
}

// ---- LatestValuesModel ----

TEST(LatestValuesModel, EveryFieldIsARowKeyedByComponentWithItsTemplateState)
{
    Fixture fixture;
    LatestValuesModel model(3);
    Tester tester(&model, Fatal);
    model.setDevice(Dev);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(fixture.batch({
        event(Dev, "thermostat1", "{\"temperature\": 21.5}", Noon),
        event(Dev, "thermostat2", "{\"temperature\": 19}", Noon + 500),
        event(Dev, "", R"({"Temperature": 3, "workingSet": 512})", Noon + 1000),
        event(Dev, "thermostat1", R"({"temperature": "hot"})", Noon + 2000),
        event(Other, "", "{\"battery\": 80}", Noon + 3000),
    }));
    ASSERT_EQ(inserted.count(), 1) << "the new fields of one batch arrive in one insert";
    ASSERT_EQ(model.rowCount(), 4);
    EXPECT_EQ(model.rowOfKey(QStringLiteral("battery")), -1) << "another device's fields are not shown";

    const int t1 = model.rowOfKey(QStringLiteral("thermostat1/temperature"));
    const int t2 = model.rowOfKey(QStringLiteral("thermostat2/temperature"));
    const int unmodeled = model.rowOfKey(QStringLiteral("Temperature"));
    const int working = model.rowOfKey(QStringLiteral("workingSet"));
    ASSERT_TRUE(t1 >= 0 && t2 >= 0 && unmodeled >= 0 && working >= 0);
    EXPECT_NE(t1, t2) << "the same name in two components is two rows";
    EXPECT_EQ(model.keyAt(t1), QStringLiteral("thermostat1/temperature"));
    EXPECT_EQ(model.data(model.index(t1, 0), LatestValuesModel::KeyRole).toString(), model.keyAt(t1));
    EXPECT_EQ(text(model, t1, LatestValuesModel::FieldColumn), QStringLiteral("temperature"));
    EXPECT_EQ(text(model, t1, LatestValuesModel::ComponentColumn), QStringLiteral("thermostat1"));
    EXPECT_EQ(text(model, t1, LatestValuesModel::ValueColumn), QStringLiteral("\"hot\"")) << "the newest value";
    EXPECT_EQ(text(model, t1, LatestValuesModel::UpdatedColumn), hhmmss(Noon + 2000));
    EXPECT_TRUE(text(model, t1, LatestValuesModel::StateColumn).contains(QStringLiteral("mismatch")));
    EXPECT_FALSE(text(model, t1, LatestValuesModel::StateColumn, Qt::ToolTipRole).isEmpty()) << "says why";
    EXPECT_TRUE(model.data(model.index(t1, 0), LatestValuesModel::NumericRole).toBool())
        << "it was a number before: it stays chartable";
    EXPECT_EQ(model.history(model.keyAt(t1))->size(), 1u) << "only numbers go into the history";

    EXPECT_TRUE(text(model, unmodeled, LatestValuesModel::StateColumn).contains(QStringLiteral("unmodeled")));
    EXPECT_TRUE(
        text(model, unmodeled, LatestValuesModel::FieldColumn, Qt::ToolTipRole).contains(QStringLiteral("temperature")))
        << "the suggestion";
    EXPECT_TRUE(text(model, working, LatestValuesModel::StateColumn).contains(QStringLiteral("modeled")));
    EXPECT_FALSE(text(model, working, LatestValuesModel::StateColumn).contains(QStringLiteral("unmodeled")));
    EXPECT_EQ(text(model, working, LatestValuesModel::ValueColumn), QStringLiteral("512"));
    EXPECT_TRUE(model.data(model.index(working, 0), LatestValuesModel::NumericRole).toBool());
    EXPECT_NE(model.data(model.index(unmodeled, LatestValuesModel::StateColumn), Qt::ForegroundRole),
        model.data(model.index(working, LatestValuesModel::StateColumn), Qt::ForegroundRole));
    EXPECT_EQ(model.firstNumericKey(), QStringLiteral("thermostat2/temperature"))
        << "the first modeled number is what the chart starts with";
}

TEST(LatestValuesModel, UpdatesChangeRowsInPlaceWithABoundedHistoryAndADeviceSwitchResets)
{
    Fixture fixture;
    LatestValuesModel model(3);
    Tester tester(&model, Fatal);
    model.setDevice(Dev);
    model.append(fixture.batch({ event(Dev, "thermostat1", "{\"temperature\": 20}", Noon) }));
    ASSERT_EQ(model.rowCount(), 1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy updated(&model, &QAbstractItemModel::dataChanged);
    std::vector<iotc::TelemetryEvent> events;
    for (int i = 1; i <= 5; ++i)
        events.push_back(event(Dev, "thermostat1",
            QStringLiteral("{\"temperature\": %1}").arg(20 + i).toUtf8().constData(), Noon + qint64 { i } * 1000));
    model.append(fixture.batch(std::move(events)));
    EXPECT_EQ(inserted.count(), 0);
    ASSERT_EQ(updated.count(), 1);
    EXPECT_EQ(updated.at(0).at(0).toModelIndex().row(), 0);
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(text(model, 0, LatestValuesModel::ValueColumn), QStringLiteral("25"));
    EXPECT_EQ(text(model, 0, LatestValuesModel::UpdatedColumn), hhmmss(Noon + 5000));
    const auto* history = model.history(QStringLiteral("thermostat1/temperature"));
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 3u) << "bounded to what the model was made with";
    EXPECT_EQ(history->front(), QPointF(static_cast<double>(Noon + 3000), 23));
    EXPECT_EQ(history->back(), QPointF(static_cast<double>(Noon + 5000), 25));
    EXPECT_EQ(model.history(QStringLiteral("no-such-field")), nullptr);

    // A new field next to the known one: only the new row is inserted.
    model.append(fixture.batch({ event(Dev, "thermostat1", "{\"temperature\": 26}", Noon + 6000),
        event(Dev, "", R"({"serialNumber": "SN-1"})", Noon + 6000) }));
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(text(model, 0, LatestValuesModel::ValueColumn), QStringLiteral("26"));

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setDevice(Other);
    EXPECT_EQ(reset.count(), 1);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.rowOfKey(QStringLiteral("thermostat1/temperature")), -1);
    EXPECT_TRUE(model.firstNumericKey().isEmpty());
    model.append(fixture.batch({ event(Other, "", "{\"workingSet\": 1}", Noon + 7000) }));
    EXPECT_EQ(model.rowCount(), 1) << "filled again for the new device";
}
