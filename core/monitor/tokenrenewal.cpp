#include "tokenrenewal.h"

#include "central/centralclient.h"
#include "eventhub/eventhubconsumer.h"
#include "eventhub/eventhubtarget.h"

namespace iotc {

void renewTokensThrough(std::shared_ptr<CentralClient> client, EventHubConsumer* consumer, const QString& entityPath)
{
    if (!client || !consumer)
        return;
    QObject::connect(consumer, &EventHubConsumer::tokenNeeded, consumer, [client, consumer, entityPath] {
        // The answer is handled where it arrives and only touches the inbox, which outlives the
        // consumer: nothing refers to a consumer that stopped in the meantime.
        client->eventSasTokens().then(
            QtFuture::Launch::Sync, [inbox = consumer->tokenInbox(), entityPath](const Result<QJsonObject>& answer) {
                if (!answer.ok()) {
                    inbox->failed(answer.error.summary());
                    return;
                }
                QString error;
                for (const auto& target : EventHubTarget::fromEventSasTokens(*answer.value, error)) {
                    if (target.entityPath == entityPath) {
                        inbox->failed({});
                        inbox->offer(target.token, target.tokenExpiry);
                        return;
                    }
                }
                inbox->failed(QStringLiteral("the application's answer has no token for %1").arg(entityPath));
            });
    });
}

} // namespace iotc
