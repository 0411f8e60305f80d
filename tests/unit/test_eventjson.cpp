// replay writes each event's JSON straight into its output (eventjson.h) instead of building the tree
// eventJson() builds: the bytes must be the tree's, for every kind of event and every section asked for.
#include "diag/eventjson.h"
#include "diag/streamoutput.h"

#include <QDateTime>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace iotc;
using namespace iotc::cli;

namespace {

std::vector<TelemetryEvent> events()
{
    std::vector<TelemetryEvent> out;
    TelemetryEvent e;
    e.hub = QStringLiteral("iothub-ehub-x");
    e.partition = 3;
    e.sequenceNumber = 12345;
    e.enqueuedMs = 1764000000123;
    e.deviceId = QStringLiteral("dev-1");
    e.component = QStringLiteral("thermostat1");
    e.modelId = QStringLiteral("dtmi:com:example:TemperatureController;2");
    e.contentType = QStringLiteral("application/json");
    e.contentEncoding = QStringLiteral("utf-8");
    e.annotations = { { QStringLiteral("dt-dataschema"), EventValue(e.modelId) },
        { QStringLiteral("dt-subject"), EventValue(e.component) },
        { QStringLiteral("iothub-connection-device-id"), EventValue(e.deviceId) },
        { QStringLiteral("x-opt-enqueued-time"), EventValue(e.enqueuedMs) },
        { QStringLiteral("x-opt-sequence-number"), EventValue(e.sequenceNumber) } };
    e.systemProperties = { { QStringLiteral("content-type"), EventValue(*e.contentType) },
        { QStringLiteral("content-encoding"), EventValue(*e.contentEncoding) } };
    e.body = R"({"temperature": 21.53})";
    out.push_back(e);

    // Unsorted and repeated names, every kind of value, text that needs escapes or is not ASCII.
    e.annotations = { { QStringLiteral("zeta"), EventValue(QStringLiteral("last")) },
        { QStringLiteral("alpha"), EventValue(true) }, { QStringLiteral("alpha"), EventValue(false) },
        { QStringLiteral("none"), EventValue() }, { QStringLiteral("ratio"), EventValue(0.1) },
        { QStringLiteral("nan"), EventValue(std::nan("")) },
        { QStringLiteral("inf"), EventValue(std::numeric_limits<double>::infinity()) },
        { QStringLiteral("big"), EventValue(1e300) }, { QStringLiteral("huge"), EventValue(quint64(1) << 63) },
        { QStringLiteral("neg"), EventValue(qint64(-7)) },
        { QStringLiteral("esc\"\\\n\x01"), EventValue(QStringLiteral("tab\there \x7f \"q\" \\ \x1f")) },
        { QStringLiteral("caf\u00e9"), EventValue(QStringLiteral("\u202eright-to-left \u00e9 \U0001F600")) },
        { QStringLiteral("\uffff"), EventValue(QString(QChar(0xD800))) }, // a lone surrogate
        { QStringLiteral("Zeta"), EventValue(QStringLiteral("upper")) } };
    e.systemProperties = { { QStringLiteral("message-id"), EventValue(QStringLiteral("m")) },
        { QStringLiteral("content_type"), EventValue(QStringLiteral("underscore first")) },
        { QStringLiteral("content-type"), EventValue(QStringLiteral("dash second")) },
        { QStringLiteral("creation-time"), EventValue(qint64(1764000000000)) } };
    e.applicationProperties = { { QStringLiteral("b"), QStringLiteral("2") },
        { QStringLiteral("a"), QStringLiteral("1") }, { QStringLiteral("b"), QStringLiteral("again") },
        { QStringLiteral("\u00fc"), QStringLiteral("\u00e9") } };
    e.droppedAnnotations = 2;
    e.droppedApplicationProperties = 5;
    e.moduleId = QStringLiteral("mod\"ule");
    e.interfaceName = QStringLiteral("dtmi:legacy:interface;1");
    out.push_back(e);

    // Bodies: members out of order and repeated, nested, deep, not JSON, not UTF-8, empty.
    const std::vector<QByteArray> bodies = {
        R"({"b": 1, "a": [1, 2.50, -0, 1e2, {"y": null, "x": "\u00e9\n"}], "b": {"z": true}})",
        R"([3, "x"])",
        "12.0",
        "not json at all",
        "{\"truncated\": ",
        QByteArray(300, '[') + QByteArray(300, ']'),
        R"({"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":1}}}}}}}}}})",
        "\xEF\xBB\xBF{\"bom\": 1}",
        QByteArray("\xFF\xFE{\0\"\0a\0\"\0:\0 \0001\0}\0", 18),
        "\xC3\x28 not UTF-8",
        "",
        "{\"raw\": \"\x7f\"}",
    };
    for (const auto& body : bodies) {
        e.body = body;
        out.push_back(e);
    }
    e.contentEncoding = QStringLiteral("utf-16");
    e.body = QByteArray("{\0}\0", 4);
    out.push_back(e);

    // Times at and past the edges of what is written by arithmetic.
    for (qint64 ms : { qint64(0), qint64(-1), qint64(951782400000) /* 2000-02-29 */, qint64(253402300799999),
             qint64(253402300800000), qint64(-62135596800000) }) {
        e.enqueuedMs = ms;
        out.push_back(e);
    }
    return out;
}

std::vector<EventSections> sections()
{
    return { EventSections {}, EventSections::all(), { true, false, false }, { false, true, false },
        { false, false, true } };
}

} // namespace

TEST(EventJson, WritesTheBytesOfTheTree)
{
    for (const auto& e : events()) {
        for (const auto& show : sections()) {
            std::string written;
            appendEventJson(written, e, show);
            EXPECT_EQ(written, eventJson(e, show).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                << "sections " << show.system << show.annotations << show.application;
        }
    }
}

TEST(EventJson, LinesAreWhatEventLinesAndObservationLinesPrint)
{
    const auto all = events();
    std::string written;
    appendEventJsonLines(written, all, EventSections::all());
    EXPECT_EQ(written, eventLines(all, true, EventSections::all()));

    std::vector<Observation> observations;
    for (size_t i = 0; i < all.size(); ++i) {
        Observation o;
        o.event = all[i];
        if (i % 2) {
            Issue info;
            info.code = "reserved-field";
            info.severity = Severity::Info;
            info.message = "a note";
            Issue error;
            error.code = "schema-mismatch";
            error.severity = Severity::Error;
            error.message = "wrong \u202e type";
            error.path = "temperature";
            o.issues = { info, error };
        }
        observations.push_back(o);
    }
    for (Severity minimum : { Severity::Info, Severity::Warning }) {
        ValidateOutput how { true, EventSections::all(), false, minimum };
        qint64 errorsWritten = 0, errorsPrinted = 0;
        written.clear();
        appendObservationJsonLines(written, observations, how.show, how.minimum, errorsWritten);
        EXPECT_EQ(written, observationLines(observations, how, errorsPrinted));
        EXPECT_EQ(errorsWritten, errorsPrinted);
        EXPECT_GT(errorsWritten, 0);
    }
}

TEST(EventJson, TimesAreQtsIsoDates)
{
    std::mt19937_64 random(15);
    std::vector<qint64> times { 0, 1, 999, 86399999, 86400000, 951868800000, 4102444800000, 253402300799999 };
    for (int i = 0; i < 2000; ++i)
        times.push_back(static_cast<qint64>(random() % 253402300800000ULL));
    for (qint64 ms : times) {
        std::string written;
        appendIsoTime(written, ms);
        EXPECT_EQ(written, QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString()) << ms;
    }
}
