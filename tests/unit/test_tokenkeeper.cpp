// When CBS tokens are renewed: made here from a key, or asked for (ready-made, IoT Central's).
#include "eventhub/tokenkeeper.h"

#include "util/sas.h"

#include <gtest/gtest.h>

using namespace iotc;

namespace {

EventHubTarget readyMade(qint64 expiry)
{
    EventHubTarget t;
    t.host = QStringLiteral("ihsu.servicebus.windows.net");
    t.entityPath = QStringLiteral("iothub-ehub-x");
    t.token = QStringLiteral("SharedAccessSignature sr=a&sig=b&se=%1&skn=c").arg(expiry);
    t.tokenExpiry = expiry;
    return t;
}

} // namespace

TEST(TokenKeeper, AReadyMadeTokenIsAskedForAtEightyPercentAndAgainUntilOneArrives)
{
    const qint64 now = 1'800'000'000'000; // ms
    TokenKeeper keeper(readyMade(now / 1000 + 100), 3600);
    EXPECT_FALSE(keeper.makesTokens());
    EXPECT_EQ(keeper.current().second, now / 1000 + 100);
    EXPECT_EQ(keeper.due(now), TokenKeeper::Due::Nothing) << "nothing is due before $cbs took it";
    keeper.accepted(now);
    EXPECT_EQ(keeper.due(now + 79'999), TokenKeeper::Due::Nothing);
    EXPECT_EQ(keeper.due(now + 80'000), TokenKeeper::Due::AskOwner);
    EXPECT_EQ(keeper.due(now + 82'000), TokenKeeper::Due::Nothing) << "a pause (a quarter of the 18 s left)";
    EXPECT_EQ(keeper.due(now + 85'000), TokenKeeper::Due::AskOwner) << "asked again: none has arrived";

    keeper.inbox()->offer(QStringLiteral("older"), now / 1000 + 50);
    EXPECT_FALSE(keeper.takeOffered()) << "a token older than the one in hand is not used";
    EXPECT_TRUE(keeper.holdsValidToken(now + 90'000, 5000));
    EXPECT_FALSE(keeper.holdsValidToken(now + 96'000, 5000));

    keeper.inbox()->offer(QStringLiteral("SharedAccessSignature new"), now / 1000 + 200);
    EXPECT_TRUE(keeper.takeOffered());
    EXPECT_FALSE(keeper.takeOffered()) << "taken once";
    EXPECT_EQ(keeper.due(now + 85'001), TokenKeeper::Due::PutNew) << "the new one is put at once";
    EXPECT_EQ(keeper.due(now + 85'002), TokenKeeper::Due::Nothing);
    const auto [token, expiry] = keeper.current();
    EXPECT_EQ(token, QStringLiteral("SharedAccessSignature new"));
    EXPECT_EQ(expiry, now / 1000 + 200);
    EXPECT_EQ(keeper.due(now + 95'000), TokenKeeper::Due::Nothing);
    EXPECT_EQ(keeper.due(now + 95'001), TokenKeeper::Due::AskOwner)
        << "still due while $cbs has not taken it: after 10 s another one is asked for";
    keeper.accepted(now + 91'000);
    EXPECT_EQ(keeper.due(now + 178'199), TokenKeeper::Due::Nothing);
    EXPECT_EQ(keeper.due(now + 178'200), TokenKeeper::Due::AskOwner) << "80% of the new token's 109 s left";
}

TEST(TokenKeeper, AKeyMakesTokensAndRenewsTwoSecondsBeforeTheyLapseAtTheLatest)
{
    EventHubTarget t = readyMade(0);
    t.token.clear();
    t.key = "c2VjcmV0";
    t.keyName = QStringLiteral("service");
    TokenKeeper keeper(t, 5);
    ASSERT_TRUE(keeper.makesTokens());
    const auto [token, expiry] = keeper.current();
    EXPECT_TRUE(token.startsWith(QStringLiteral("SharedAccessSignature ")));
    EXPECT_TRUE(token.contains(QStringLiteral("skn=service")));
    const qint64 now = expiry * 1000 - 5000;
    keeper.accepted(now);
    EXPECT_EQ(keeper.due(now + 2999), TokenKeeper::Due::Nothing);
    EXPECT_EQ(keeper.due(now + 3000), TokenKeeper::Due::PutNew) << "min(80% of 5 s, 5 s - 2 s) = 3 s";
    EXPECT_EQ(keeper.due(now + 3001), TokenKeeper::Due::Nothing);
    EXPECT_EQ(keeper.due(now + 4000), TokenKeeper::Due::PutNew) << "put again while $cbs has not taken one";
    keeper.newConnection();
    EXPECT_EQ(keeper.due(now + 10000), TokenKeeper::Due::Nothing) << "a new connection puts its own";
}
