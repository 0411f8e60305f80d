// The network check in the device's report (core/report/netcheckcheck): every target as evidence,
// each unreachable one a finding in the device's terms, a wrong clock one too.
#include "report/netcheckcheck.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

NetTargetResult target(const char* host, int port, NetProtocol p, bool passed)
{
    NetTargetResult t;
    t.target = { QStringLiteral("hub"), QString::fromLatin1(host), port, p };
    t.passed = passed;
    t.tcpMs = passed ? 12 : -1;
    if (passed) {
        t.tls.attempted = t.tls.ok = t.tls.trusted = true;
        t.tls.protocol = QStringLiteral("TLS 1.2");
        t.tls.issuer = QStringLiteral("DigiCert");
    } else {
        t.code = QStringLiteral("netcheck-port-blocked");
        t.detail = QStringLiteral("the connection was refused");
        t.mitigation = QStringLiteral("MQTT (8883) is blocked on this network: use MQTT over WebSockets (443)");
    }
    return t;
}

} // namespace

TEST(NetCheckInTheReport, ABlockedPortAndAWrongClockAreFindings)
{
    NetCheckReport r;
    r.targets = { target("hub.azure-devices.net", 8883, NetProtocol::Mqtt, false),
        target("hub.azure-devices.net", 443, NetProtocol::Https, true) };
    r.clockSkewSeconds = 600;
    const DiagnosisCheck c = netCheckCheck(r);
    EXPECT_EQ(c.id, QStringLiteral("netcheck"));
    EXPECT_EQ(c.status, DiagnosisCheck::Status::Failed);
    ASSERT_EQ(c.findings.size(), 2u);
    EXPECT_EQ(c.findings[0].code, QStringLiteral("netcheck-port-blocked"));
    EXPECT_TRUE(c.findings[0].mitigation.contains(QStringLiteral("WebSockets")));
    EXPECT_EQ(c.findings[1].code, QStringLiteral("clock-skew"));
    EXPECT_FALSE(c.findings[1].mitigation.isEmpty());
    ASSERT_EQ(c.findings[0].evidence.size(), 3) << "two targets and the clock";
    EXPECT_TRUE(c.findings[0].evidence[1].contains(
        QStringLiteral("443 (HTTPS/WebSockets): passed, TCP 12 ms, TLS 1.2 issued by DigiCert")))
        << c.findings[0].evidence[1].toStdString();
}

TEST(NetCheckInTheReport, AllReachableIsAPassedCheck)
{
    NetCheckReport r;
    r.targets = { target("global.azure-devices-provisioning.net", 443, NetProtocol::Https, true) };
    r.clockSkewSeconds = 2;
    const DiagnosisCheck c = netCheckCheck(r);
    EXPECT_EQ(c.status, DiagnosisCheck::Status::Passed);
    ASSERT_EQ(c.findings.size(), 1u);
    EXPECT_EQ(c.findings[0].severity, Severity::Info);
}
