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
        // The answer arrives on the consumer's thread (its context), never after it is gone.
        client->eventSasTokens().then(consumer, [consumer, entityPath](const Result<QJsonObject>& answer) {
            if (!answer.ok())
                return;
            QString error;
            for (const auto& target : EventHubTarget::fromEventSasTokens(*answer.value, error)) {
                if (target.entityPath == entityPath)
                    consumer->renewToken(target.token, target.tokenExpiry);
            }
        });
    });
}

} // namespace iotc
