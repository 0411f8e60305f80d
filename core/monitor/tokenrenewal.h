#pragma once

#include <QString>

#include <memory>

namespace iotc {

class CentralClient;
class EventHubConsumer;

// Keeps a consumer reading past its IoT Central token's expiry: when it asks (tokenNeeded), the
// application is asked for new event hub tokens (generateEventSasTokens) and the one for the
// consumer's hub is handed over. A failed request is simply asked again by the consumer later.
void renewTokensThrough(std::shared_ptr<CentralClient> client, EventHubConsumer* consumer, const QString& entityPath);

} // namespace iotc
