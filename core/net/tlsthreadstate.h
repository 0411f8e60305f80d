#pragma once

class QThread;

namespace iotc {

// OpenSSL keeps per-thread state (its error queue, random generators) for every thread that used
// TLS through Qt. Its own clean-up at thread exit does not run for Qt's threads here, so each of
// our worker threads that may touch TLS (the HTTP, AMQP and simulator threads) frees it as it
// finishes: about 10 KB a thread otherwise, every time a session's thread ends.
void releaseTlsStateWhenFinished(QThread* thread);

} // namespace iotc
