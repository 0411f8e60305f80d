// The report sample: a body is redacted whole and only then cut, so a cut at any offset, through a
// key, its separator or its value, never lets a piece of the secret out in any spelling.
#include "util/redact.h"
#include "diagnose/sample.h"

#include <QUrl>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace iotc;

namespace {

// base64 as keys and signatures are written, with + and / that URL encoding spells %2B and %2F.
const std::string Secret = "Zq8xK3vT9wLm2NpR5sYb7cFd1gHj4kQe6uWi0oAz+/Tc=";
// A JWT: header, payload and signature are each one.
const std::string JwtHeader = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";
const std::string JwtPayload = "eyJzdWIiOiJkZXZpY2UtMDEiLCJhdWQiOiJodWIifQ";
const std::string JwtSignature = "Qm9va2tlZXBpbmdTaWduYXR1cmVWYWx1ZTEyMzQ1Ng";

std::string urlEncoded(const std::string& s)
{
    return QUrl::toPercentEncoding(QString::fromStdString(s)).toStdString();
}

// Every 8-character piece of every spelling of the secrets that could be in the text.
std::vector<std::string> pieces()
{
    std::vector<std::string> out;
    for (const std::string& form : { Secret, urlEncoded(Secret), JwtHeader, JwtPayload, JwtSignature })
        for (size_t i = 0; i + 8 <= form.size(); ++i)
            out.push_back(form.substr(i, 8));
    return out;
}

::testing::AssertionResult noPieceIn(const QString& sample, const std::string& body, qsizetype cut)
{
    static const auto all = pieces();
    for (const auto& p : all)
        if (sample.contains(QString::fromStdString(p)))
            return ::testing::AssertionFailure() << "\"" << p << "\" survives a cut at " << cut << " in\n  "
                                                 << sample.toStdString() << "\nof\n  " << body;
    return ::testing::AssertionSuccess();
}

// Bodies a device or a misconfigured gateway really sends, each with the secret somewhere in the middle.
std::vector<std::string> bodies()
{
    const std::string jwt = JwtHeader + "." + JwtPayload + "." + JwtSignature;
    return {
        R"({"temperature": 21.5, "SharedAccessKey": ")" + Secret + R"(", "humidity": 40})",
        R"({"t": 1, "conn": "HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=)" + Secret + R"(", "h": 2})",
        R"({"t": 1, "sas": "SharedAccessSignature sr=hub.azure-devices.net%2Fdevices%2Fd1&sig=)" + urlEncoded(Secret)
            + R"(&se=1700000000", "h": 2})",
        "status=ok&sig%3D" + urlEncoded(Secret) + "%26se%3D1700000000&next=1",
        R"({"t": 1, "raw": "{\"primaryKey\":\")" + Secret + R"(\"}", "h": 2})",
        R"({"t": 1, "authorization": "Bearer )" + jwt + R"(", "h": 2})",
        R"({"t": 1, "session": ")" + jwt + R"(", "h": 2})",
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=" + Secret
            + ";EntityPath=hub",
    };
}

Observation observation(const std::string& body)
{
    Observation o;
    o.event.deviceId = QStringLiteral("d1");
    o.event.enqueuedMs = 1700000000123;
    o.event.component = QStringLiteral("thermostat1");
    o.event.moduleId = QStringLiteral("filter");
    o.event.body = QByteArray::fromStdString(body);
    Issue a;
    a.code = "unmodeled-capability";
    Issue b;
    b.code = "schema-mismatch";
    o.issues = { a, b };
    return o;
}

} // namespace

TEST(ReportSample, ASecretCutAtAnyOffsetNeverAppears)
{
    const QLatin1String marker("<redacted>");
    int checked = 0;
    for (const auto& body : bodies()) {
        const Observation o = observation(body);
        ASSERT_FALSE(noPieceIn(QString::fromStdString(body), body, -1)) << "the body holds the secret to begin with";
        for (qsizetype cut = 0; cut <= static_cast<qsizetype>(body.size()) + 1; ++cut) {
            const QString sample = reportSample(o, cut).body;
            ASSERT_LE(sample.size(), cut);
            ASSERT_TRUE(noPieceIn(sample, body, cut));
            // Nor half a marker: "<reda" would read as the body's own text.
            for (qsizetype k = 1; k < marker.size(); ++k)
                ASSERT_FALSE(sample.endsWith(marker.left(k))) << sample.toStdString();
            ++checked;
        }
        // Uncut, the sample is the whole body redacted.
        EXPECT_EQ(reportSample(o, 1 << 20).body, redactSecrets(QString::fromStdString(body)));
        EXPECT_TRUE(reportSample(o, 1 << 20).body.contains(marker)) << body;
    }
    EXPECT_GT(checked, 800);
}

TEST(ReportSample, CuttingFirstWouldLeakWhichIsWhyItRedactsFirst)
{
    // The order matters: cut before the redactor sees it, a JWT loses the shape that names it.
    int leaks = 0;
    for (const auto& body : bodies()) {
        const QString text = QString::fromStdString(body);
        for (qsizetype cut = 0; cut <= text.size(); ++cut)
            leaks += !noPieceIn(redactSecrets(text.left(cut)), body, cut);
    }
    EXPECT_GT(leaks, 0) << "cut-then-redact must leak somewhere, or the test above proves nothing";
}

TEST(ReportSample, CarriesWhenWhereAndTheIssueCodes)
{
    const SampleMessage s = reportSample(observation(R"({"t": 1})"), ExportSampleChars);
    EXPECT_EQ(s.enqueuedTime, QStringLiteral("2023-11-14T22:13:20.123Z"));
    EXPECT_EQ(s.component, QStringLiteral("thermostat1"));
    EXPECT_EQ(s.module, QStringLiteral("filter"));
    EXPECT_EQ(s.issues, (QStringList { QStringLiteral("unmodeled-capability"), QStringLiteral("schema-mismatch") }));
    EXPECT_EQ(s.body, QStringLiteral(R"({"t": 1})"));
}

TEST(ReportSample, ALongBodyIsCutToTheLimitAndNeverInsideACharacter)
{
    const std::string big(10000, 'x');
    EXPECT_EQ(reportSample(observation(big), ExportSampleChars).body.size(), ExportSampleChars);
    const std::string emoji = "ab\xF0\x9F\x98\x80"; // a surrogate pair in UTF-16
    EXPECT_EQ(reportSample(observation(emoji), 3).body, QStringLiteral("ab"));
}
