#include "tlsthreadstate.h"

#include <QThread>

#include <openssl/crypto.h>

namespace iotc {

void releaseTlsStateWhenFinished(QThread* thread)
{
    // finished() is emitted on the thread itself, just before it ends: direct, so it runs there.
    QObject::connect(
        thread, &QThread::finished, thread, [] { OPENSSL_thread_stop(); }, Qt::DirectConnection);
}

} // namespace iotc
